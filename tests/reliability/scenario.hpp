// One seeded reliability scenario: mock source and target clusters in this process (or real
// Kafka clusters started by tools/kafka-cluster), the real `k2k replicate` and
// `k2k offset-mapping` as child processes, applications committing on source (simulated ones
// and a kcat consumer group), a sequence of faults drawn from the seed, and the invariants
// checked after every step and once the scenario is quiet.
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
  // Real Kafka instead of the mock: tools/kafka-cluster and the --dir of a running source and
  // target cluster (shared by scenarios and runs: every name gets a suffix of its own).
  std::string kafka_cluster_script, real_source_dir, real_target_dir;
  bool real() const { return !real_source_dir.empty(); }
};

// How long the pipeline stood still in the steps a fault kind was injected in, from the
// step's start until replication and translation moved again after its faults were reverted.
struct fault_stalls {
  int steps = 0;
  std::chrono::milliseconds replication{0}; // the longest, over those steps
  std::chrono::milliseconds translation{0};
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
  std::map<std::string, fault_stalls> stalls;        // kind -> how long the pipeline stood still
  std::map<std::string, invariant_tally> invariants; // name -> checks, violations
  std::vector<std::string> violations;               // one line each, with the step
  int64_t source_records = 0;
  size_t target_commit_changes = 0;
  size_t uncommitted_copies = 0; // copies of aborted transactions the mock keeps readable
  bool violated() const { return !violations.empty(); }
};

// Every fault kind the runner knows, in the order of the summary table.
const std::vector<std::string>& fault_kinds();

// Whether a kind is drawn by default on mock clusters and on real ones (any kind the clusters
// allow can be named with --faults).
bool drawn_on_mock(const std::string& kind);
bool drawn_on_real(const std::string& kind);
// Whether the clusters allow the kind at all.
bool possible_on(bool real, const std::string& kind);

scenario_result run_scenario(const scenario_options& options);

} // namespace k2k::reliability
