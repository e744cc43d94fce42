#include "bench/mm2/replication_watch.hpp"

#include "bench/mm2/workload.hpp"
#include "kafka/partition_reader.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
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
  uint64_t prior = 0;
  for (const auto& t : topics())
    for (int32_t p = 0; p < t.partitions; ++p)
      prior += uint64_t(prior_records(p));
  replication_result out;
  auto started = clock::now();
  while (clock::now() - started < timeout) {
    uint64_t on_target = 0;
    for (const auto& t : topics())
      for (int32_t p = 0; p < t.partitions; ++p)
        if (auto w = kafka::watermarks(reader.get(), t.name, p))
          on_target += uint64_t(w->second);
    auto cost = cost_of(pids);
    replication_sample s{std::chrono::duration<double>(clock::now() - started).count(),
                         on_target > prior ? on_target - prior : 0, cost.cpu_seconds};
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
  const replication_sample* from = nullptr;
  const replication_sample* until = nullptr;
  for (const auto& s : out.samples) {
    if (!from && s.records >= expected / 10)
      from = &s;
    if (!until && s.records >= expected * 9 / 10)
      until = &s;
  }
  if (from && until && until->seconds > from->seconds) {
    out.steady_records_per_s =
        double(until->records - from->records) / (until->seconds - from->seconds);
    out.steady_cpu_seconds = until->cpu_seconds - from->cpu_seconds;
  }
  return out;
}

} // namespace k2k::bench::mm2
