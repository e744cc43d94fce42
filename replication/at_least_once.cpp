// At-least-once delivery: the shared producer's reports confirm copies; each partition's
// gap-free confirmed prefix is published as a mapping record, and that record's report
// moves the checkpoint. A failure holds the prefix back until the partition is rewound to
// it: nothing is lost, something may be copied twice (its newest mapping wins).
#include "replication/delivery.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace k2k::replication {

namespace {

using clock = std::chrono::steady_clock;

class at_least_once final : public delivery {
public:
  explicit at_least_once(delivery_context ctx) : ctx_(std::move(ctx)) {}

  rd_kafka_t* producer_for(partition_state&) override { return ctx_.producer; }
  std::optional<error_info> open(const std::vector<partition_state*>&) override {
    return std::nullopt;
  }
  std::optional<error_info> before_copy(partition_state&, int64_t) override { return std::nullopt; }

  void record_confirmed(partition_state&, size_t bytes) override {
    ++ctx_.counters.records;
    ctx_.counters.bytes += bytes;
  }

  void mapping_confirmed(partition_state& s, int64_t source_next) override {
    ++ctx_.counters.mappings;
    s.confirm(source_next);
  }

  std::optional<error_info> settle() override {
    rd_kafka_poll(ctx_.producer, 0);
    publish_mappings();
    rewind_failed_partitions();
    return std::nullopt;
  }

  void wait_for_room() override { rd_kafka_poll(ctx_.producer, 10); }

  bool busy() const override { return false; } // reports are served by the loop's polls

  std::optional<error_info> drain(const std::vector<partition_state*>& states,
                                  clock::time_point deadline) override {
    auto settled = [&] {
      return std::all_of(states.begin(), states.end(), [](auto* s) { return s->settled(); });
    };
    if (clock::now() >= deadline) // the stop's own drain already waited and said so
      return std::nullopt;
    while (clock::now() < deadline) {
      rd_kafka_poll(ctx_.producer, 50);
      publish_mappings();
      if (settled())
        return std::nullopt;
    }
    spdlog::error(
        "replicate: {} partition(s) still had records in flight when replicator.shutdownTimeout "
        "({} ms) ran out; they will be replicated again from the last checkpoint",
        std::count_if(states.begin(), states.end(), [](auto* s) { return !s->settled(); }),
        ctx_.cfg.replicator.shutdown_timeout.count());
    return std::nullopt;
  }

  void close(partition_state&) override {}

  void abandon() override {} // the worker purges the shared producer

private:
  // Each partition's confirmed prefix becomes a mapping record (or, with mappings off,
  // progress straight away).
  void publish_mappings() {
    for (auto* s : ctx_.partitions.all()) {
      auto prefix = s->progress.take_confirmed_prefix();
      if (!prefix)
        continue;
      auto rec = ctx_.mappings.mapping_for(*s, std::move(*prefix));
      if (ctx_.cfg.features.offset_mapping)
        ctx_.mappings.produce(*s, ctx_.producer, rec);
      else
        s->confirm(rec.source_next.value);
    }
  }

  // A partition with a failed delivery goes back to its first unconfirmed offset once
  // nothing of it is in flight any more.
  void rewind_failed_partitions() {
    for (auto* s : ctx_.partitions.all()) {
      auto failure = s->failure();
      if (!s->assigned || !failure || !s->settled())
        continue;
      if (ctx_.source.rewind(*s, *failure))
        s->reset();
    }
  }

  delivery_context ctx_;
};

} // namespace

std::unique_ptr<delivery> make_at_least_once(delivery_context ctx) {
  return std::make_unique<at_least_once>(std::move(ctx));
}

} // namespace k2k::replication
