#include "bench/mm2/replication_watch.hpp"

#include "bench/mm2/workload.hpp"
#include "kafka/partition_reader.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace k2k::bench::mm2 {

namespace {

struct process_cost {
  double cpu_seconds = 0;
  uint64_t peak_rss_kib = 0;
};

// The process and its children, whichever of its threads started them (k2k's group-offsets
// helpers are started by the committers' threads), and theirs.
void add_cost(pid_t pid, process_cost& cost) {
  auto dir = "/proc/" + std::to_string(pid);
  std::ifstream stat{dir + "/stat"};
  std::string line;
  if (!std::getline(stat, line))
    return; // gone
  // Fields after the command name (which may hold spaces): state is field 3, utime 14,
  // stime 15, cutime 16, cstime 17 (children already waited for).
  std::istringstream fields{line.substr(line.rfind(')') + 2)};
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 17 && fields >> field; ++i)
    if (i >= 14)
      ticks += std::stod(field);
  cost.cpu_seconds += ticks / double(sysconf(_SC_CLK_TCK));
  std::ifstream status{dir + "/status"};
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      cost.peak_rss_kib += std::stoull(line.substr(6));
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator(dir + "/task", error)) {
    std::ifstream children{task.path() / "children"};
    for (pid_t child; children >> child;)
      add_cost(child, cost);
  }
}

// The first samples with 10 % and with 90 % of `total` by `count`: the steady part of a copy,
// start-up and tail left out; nullopt when they are not apart in time.
template <typename Count>
std::optional<std::pair<const replication_sample*, const replication_sample*>>
steady_window(const std::vector<replication_sample>& samples, Count count, uint64_t total) {
  const replication_sample* from = nullptr;
  const replication_sample* until = nullptr;
  for (const auto& s : samples) {
    if (!from && count(s) >= total / 10)
      from = &s;
    if (!until && count(s) >= total * 9 / 10)
      until = &s;
  }
  if (!from || !until || until->seconds <= from->seconds)
    return std::nullopt;
  return std::make_pair(from, until);
}

process_cost cost_of(const std::vector<pid_t>& pids) {
  process_cost cost;
  for (auto pid : pids)
    add_cost(pid, cost);
  return cost;
}

} // namespace

replication_result watch_replication(const std::string& target, uint64_t expected,
                                     const std::vector<pid_t>& pids, std::chrono::seconds timeout) {
  using clock = std::chrono::steady_clock;
  auto reader = kafka::make_partition_reader({{"bootstrap.servers", target}});
  std::vector<uint64_t> prior; // each topic's prior records on target, in topics()' order
  for (const auto& t : topics()) {
    uint64_t topic_prior = 0;
    for (int32_t p = 0; p < t.partitions; ++p)
      topic_prior += uint64_t(prior_records(p));
    prior.push_back(topic_prior);
  }
  replication_result out;
  auto started = clock::now();
  while (clock::now() - started < timeout) {
    replication_sample s;
    s.seconds = std::chrono::duration<double>(clock::now() - started).count();
    for (size_t i = 0; i < topics().size(); ++i) {
      const auto& t = topics()[i];
      uint64_t topic_end = 0;
      for (int32_t p = 0; p < t.partitions; ++p)
        if (auto w = kafka::watermarks(reader.get(), t.name, p))
          topic_end += uint64_t(w->second);
      auto copied = topic_end > prior[i] ? topic_end - prior[i] : 0;
      s.topic_records.push_back(copied);
      s.records += copied;
      s.value_bytes += copied * t.value_bytes;
    }
    auto cost = cost_of(pids);
    s.cpu_seconds = cost.cpu_seconds;
    out.samples.push_back(s);
    out.peak_rss_kib = std::max(out.peak_rss_kib, cost.peak_rss_kib);
    // Target ends count transaction markers too (k2k exactly-once): at most a few per
    // partition and batch, so complete may come that many records early.
    if (s.records >= expected) {
      out.complete = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // the sampling period
  }
  const auto& last = out.samples.back();
  out.seconds = last.seconds;
  out.records = last.records;
  out.cpu_seconds = last.cpu_seconds;
  auto count = [](const replication_sample& s) { return s.records; };
  if (auto w = steady_window(out.samples, count, expected)) {
    auto seconds = w->second->seconds - w->first->seconds;
    out.steady_records_per_s = double(w->second->records - w->first->records) / seconds;
    out.steady_mb_per_s = double(w->second->value_bytes - w->first->value_bytes) / seconds / 1e6;
    out.steady_cpu_seconds = w->second->cpu_seconds - w->first->cpu_seconds;
  }
  for (size_t i = 0; i < topics().size(); ++i) {
    auto topic_count = [i](const replication_sample& s) { return s.topic_records[i]; };
    topic_rate rate{topics()[i].name, topics()[i].value_bytes};
    if (auto w = steady_window(out.samples, topic_count, last.topic_records[i]))
      rate.steady_records_per_s = double(topic_count(*w->second) - topic_count(*w->first)) /
                                  (w->second->seconds - w->first->seconds);
    out.topics.push_back(rate);
  }
  return out;
}

} // namespace k2k::bench::mm2
