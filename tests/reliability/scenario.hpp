// One seeded reliability scenario: mock source and target clusters in this process, the
// real `k2k replicate` and `k2k offset-mapping` as child processes, applications committing
// on source (simulated ones and a kcat consumer group), a sequence of faults drawn from the
// seed, and the invariants checked after every step and once the scenario is quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace k2k::reliability {

struct scenario_options {
  std::string k2k;      // the k2k binary
  std::string work_dir; // configs and process logs
  uint64_t seed = 1;
  int steps = 6;
  std::chrono::milliseconds step_duration{3000};
  std::chrono::seconds quiet_timeout{120};
  std::set<std::string> faults; // kinds to draw from; empty: all
  int records_per_second = 300; // the mock keeps ~5 MB per partition: keep scenarios under it
  bool guard = true;            // features.applyMappingsGuard
  std::string mode;             // "at-least-once", "exactly-once", empty: from the seed
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct invariant_tally {
  size_t checks = 0;
  size_t violations = 0;
};

struct scenario_result {
  uint64_t seed = 0;
  std::string mode;
  int steps = 0;
  std::map<std::string, int> faults;                 // kind -> times injected
  std::map<std::string, invariant_tally> invariants; // name -> checks, violations
  std::vector<std::string> violations;               // one line each, with the step
  int64_t source_records = 0;
  size_t target_commit_changes = 0;
  size_t uncommitted_copies = 0; // copies of aborted transactions the mock keeps readable
  bool violated() const { return !violations.empty(); }
};

// Every fault kind the runner knows, in the order of the summary table.
const std::vector<std::string>& fault_kinds();

scenario_result run_scenario(const scenario_options& options);

} // namespace k2k::reliability
