#include "replication/status_reporter.hpp"

#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

namespace k2k::replication {

using namespace std::chrono_literals;

void status_reporter::publish(phase state) {
  replication_status st;
  st.state = state;
  st.records = counters_.records;
  st.bytes = counters_.bytes;
  st.mappings = counters_.mappings;
  st.delivery_errors = counters_.delivery_errors;
  st.rewinds = counters_.rewinds;
  st.aborted_transactions = counters_.aborted_transactions;
  st.records_deleted_on_source = counters_.records_deleted_on_source;
  st.in_flight = partitions_.in_flight();
  for (auto* s : partitions_.assigned())
    st.partitions.push_back(
        {s->topic, s->partition, s->next_offset, s->checkpoint, lag_ ? lag_(*s) : -1});
  if (fatal_)
    st.error = fatal_->message;
  board_.publish(std::move(st));
}

void status_reporter::refresh() {
  auto now = clock::now();
  if (now < next_snapshot_)
    return;
  publish(phase::running);
  next_snapshot_ = now + 100ms;
}

void status_reporter::log_progress(std::chrono::duration<double> elapsed) {
  auto snapshot = board_.latest();
  std::string lag;
  int shown = 0;
  for (const auto& p : snapshot.partitions)
    if (p.lag > 0 && shown++ < 16)
      lag += " " + kafka::describe(p.topic, p.partition) + "=" + std::to_string(p.lag);
  auto r = counters_.records.load(), b = counters_.bytes.load();
  spdlog::info("replicate: {} records ({:.0f}/s, {:.1f} KiB/s), {} mappings, {} in flight, lag:{}",
               r, (r - records_at_last_line_) / elapsed.count(),
               (b - bytes_at_last_line_) / 1024.0 / elapsed.count(), counters_.mappings.load(),
               snapshot.in_flight, lag.empty() ? " none" : lag);
  records_at_last_line_ = r;
  bytes_at_last_line_ = b;
}

} // namespace k2k::replication
