// The data side of the k2k / MirrorMaker 2 benchmark: tools/bench-mm2-report.sh starts the
// clusters and the tools, this program prepares the work and measures it. Each command prints
// one result per line, "name value ..." for the report script to read.
//
//   side_by_side prepare-source SOURCE
//   side_by_side prepare-target TARGET
//   side_by_side commit SOURCE GROUP POSITION   (an offset, end-N, or mid: half the end)
//   side_by_side append SOURCE PER_PARTITION    (live traffic on sbs.small)
//   side_by_side count SOURCE
//   side_by_side watch TARGET EXPECTED PIDS TIMEOUT_S SAMPLES_FILE   (PIDS comma-separated)
//   side_by_side latency SOURCE TARGET GROUP MOVES STEP_TIMEOUT_S
//   side_by_side new-group SOURCE TARGET GROUP TIMEOUT_S
//   side_by_side audit SOURCE TARGET SETTLE_S TIMEOUT_S GROUP...
//   side_by_side raw-copy SOURCE TARGET [--headers] [--stay]   (the raw loop, raw_copy.hpp)
#include "bench/mm2/commit_latency_probe.hpp"
#include "bench/mm2/precision_audit.hpp"
#include "bench/mm2/raw_copy.hpp"
#include "bench/mm2/replication_watch.hpp"
#include "bench/mm2/workload.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace k2k::bench::mm2;
using namespace std::chrono_literals;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: side_by_side prepare-source|prepare-target|commit|append|count|watch|"
               "latency|new-group|audit|raw-copy ... (see bench/mm2/side_by_side.cpp)\n");
  return 2;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(double(v.size()) * q))];
}

// A commit position on every partition, from its end offset: "1000", "end-10" or "mid".
std::function<int64_t(int64_t)> position_rule(const std::string& text) {
  if (text == "mid")
    return [](int64_t end) { return end / 2; };
  if (text.rfind("end-", 0) == 0) {
    int64_t below = std::stoll(text.substr(4));
    return [=](int64_t end) { return end - below; };
  }
  int64_t offset = std::stoll(text);
  return [=](int64_t) { return offset; };
}

int watch(const std::string& target, uint64_t expected, const std::string& pid_list, int timeout_s,
          const std::string& samples_file) {
  std::vector<pid_t> pids;
  std::istringstream list{pid_list};
  for (std::string pid; std::getline(list, pid, ',');)
    pids.push_back(std::stoi(pid));
  auto r = watch_replication(target, expected, pids, std::chrono::seconds(timeout_s));
  std::ofstream samples{samples_file};
  for (const auto& s : r.samples)
    samples << s.seconds << ' ' << s.records << ' ' << s.cpu_seconds << '\n';
  auto steady_records = double(expected) * 0.8;
  std::printf("complete %d\nseconds %.2f\nrecords %llu\nsteady_records_per_s %.0f\n"
              "steady_mb_per_s %.1f\ncpu_seconds %.2f\ncpu_s_per_million_steady %.3f\n"
              "peak_rss_mib %.0f\n",
              r.complete ? 1 : 0, r.seconds, static_cast<unsigned long long>(r.records),
              r.steady_records_per_s, r.steady_mb_per_s, r.cpu_seconds,
              r.steady_cpu_seconds / steady_records * 1e6, double(r.peak_rss_kib) / 1024);
  for (const auto& t : r.topics) // "steady_records_per_s.sbs.small 123"
    std::printf("steady_records_per_s.%s %.0f\nsteady_mb_per_s.%s %.1f\n", t.topic.c_str(),
                t.steady_records_per_s, t.topic.c_str(),
                t.steady_records_per_s * double(t.value_bytes) / 1e6);
  return r.complete ? 0 : 1;
}

int latency(const std::string& source, const std::string& target, const std::string& group,
            int moves, int step_timeout_s) {
  auto r = probe_commit_latency(source, target, group, moves, 1000,
                                std::chrono::seconds(step_timeout_s));
  std::printf("samples %zu\ntimeouts %d\np50_ms %.0f\np99_ms %.0f\n", r.ms.size(), r.timeouts,
              percentile(r.ms, 0.5), percentile(r.ms, 0.99));
  return 0;
}

// Judges the groups until their results have not changed for settle_s (a tool that syncs
// every minute gets that long to finish its last sync), or timeout_s.
int audit(const std::string& source, const std::string& target, int settle_s, int timeout_s,
          const std::vector<std::string>& groups) {
  precision_audit audit{source, target};
  using clock_type = std::chrono::steady_clock;
  auto started = clock_type::now();
  auto key = [](const std::vector<group_precision>& v) {
    std::string k;
    for (const auto& g : v)
      k += g.group + std::to_string(g.exact) + "/" + std::to_string(g.untranslated) + "/" +
           std::to_string(g.reread) + "/" + std::to_string(g.skipped) + ";";
    return k;
  };
  auto judged = audit.judge(groups);
  auto unchanged_since = clock_type::now();
  while (clock_type::now() - unchanged_since < std::chrono::seconds(settle_s) &&
         clock_type::now() - started < std::chrono::seconds(timeout_s)) {
    std::this_thread::sleep_for(1s); // a tool's sync interval is seconds to minutes
    auto now = audit.judge(groups);
    if (key(now) != key(judged)) {
      judged = now;
      unchanged_since = clock_type::now();
    }
  }
  const auto& c = audit.copies();
  std::printf("copies %llu\nmissing %llu\nduplicates %llu\naborted_visible %llu\n",
              static_cast<unsigned long long>(c.copies), static_cast<unsigned long long>(c.missing),
              static_cast<unsigned long long>(c.duplicates),
              static_cast<unsigned long long>(c.aborted_visible));
  for (const auto& g : judged)
    std::printf("group %s partitions %d exact %d untranslated %d reread %lld skipped %lld\n",
                g.group.c_str(), g.partitions, g.exact, g.untranslated,
                static_cast<long long>(g.reread), static_cast<long long>(g.skipped));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  if (argc < 3)
    return usage();
  std::string command = argv[1];
  try {
    if (command == "prepare-source") {
      prepare_source(argv[2]);
    } else if (command == "prepare-target") {
      prepare_target(argv[2]);
    } else if (command == "commit" && argc == 5) {
      commit_group(argv[2], argv[3], position_rule(argv[4]));
    } else if (command == "append" && argc == 4) {
      append_records(argv[2], std::stoll(argv[3]));
    } else if (command == "count") {
      std::printf("%llu\n", static_cast<unsigned long long>(source_records(argv[2])));
    } else if (command == "watch" && argc == 7) {
      return watch(argv[2], std::stoull(argv[3]), argv[4], std::stoi(argv[5]), argv[6]);
    } else if (command == "latency" && argc == 7) {
      return latency(argv[2], argv[3], argv[4], std::stoi(argv[5]), std::stoi(argv[6]));
    } else if (command == "new-group" && argc == 6) {
      auto s =
          first_translation(argv[2], argv[3], argv[4], std::chrono::seconds(std::stoi(argv[5])));
      if (s)
        std::printf("first_translation_s %.2f\n", *s);
      else
        std::printf("first_translation_s none\n");
    } else if (command == "audit" && argc >= 7) {
      return audit(argv[2], argv[3], std::stoi(argv[4]), std::stoi(argv[5]),
                   std::vector<std::string>(argv + 6, argv + argc));
    } else if (command == "raw-copy" && argc >= 4) {
      std::vector<std::string> flags(argv + 4, argv + argc);
      auto flag = [&](const char* f) { return std::count(flags.begin(), flags.end(), f) > 0; };
      auto copied = raw_copy(argv[2], argv[3], flag("--headers"));
      std::printf("copied %llu\n", static_cast<unsigned long long>(copied));
      std::fflush(stdout);
      // --stay: until stopped, as the tools do (the watch reads a live process's CPU and memory).
      while (flag("--stay"))
        pause();
    } else {
      return usage();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "side_by_side %s: %s\n", command.c_str(), e.what());
    return 1;
  }
  return 0;
}
