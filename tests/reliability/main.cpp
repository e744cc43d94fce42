// k2k_reliability: seeded fault-injection scenarios over the real k2k processes (see
// docs/reliability.md). Exit status 1 when any invariant was violated.
#include "reliability/scenario.hpp"
#include "reliability/target_audit.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <random>

using namespace k2k::reliability;

int main(int argc, char** argv) {
  CLI::App app{"k2k reliability: seeded fault-injection scenarios over the real processes",
               "k2k_reliability"};
  scenario_options o;
  int scenarios = 1;
  double step_seconds = 3, max_minutes = 60;
  std::string guard = "enabled";
  std::vector<std::string> faults;
  std::string work_dir;
  app.add_option("--k2k", o.k2k, "the k2k binary")->required()->check(CLI::ExistingFile);
  auto* seed_opt = app.add_option("--seed", o.seed, "seed of the first scenario (default: random)");
  app.add_option("--scenarios", scenarios, "scenarios to run; scenario i uses seed + i")
      ->capture_default_str();
  app.add_option("--steps", o.steps, "fault steps per scenario")->capture_default_str();
  app.add_option("--step-seconds", step_seconds, "how long a step's faults last")
      ->capture_default_str();
  app.add_option("--max-minutes", max_minutes,
                 "no new scenario or step starts after this (each still ends quiet and checked)")
      ->capture_default_str();
  app.add_option("--rate", o.records_per_second, "records per second produced on source")
      ->capture_default_str();
  app.add_option("--faults", faults, "only these fault kinds (names as in the table)");
  app.add_option("--guard", guard, "features.applyMappingsGuard")
      ->check(CLI::IsMember({"enabled", "disabled"}))
      ->capture_default_str();
  app.add_option("--mode", o.mode, "at-least-once or exactly-once (default: from the seed)")
      ->check(CLI::IsMember({"at-least-once", "exactly-once"}));
  app.add_option("--work-dir", work_dir, "configs and process logs (default: a new temp dir)");
  auto* source_opt =
      app.add_option("--real-source", o.real_source_dir,
                     "real Kafka instead of the mock: the --dir of a running tools/kafka-cluster "
                     "source cluster")
          ->check(CLI::ExistingDirectory);
  auto* target_opt =
      app.add_option("--real-target", o.real_target_dir, "... and of the target cluster")
          ->check(CLI::ExistingDirectory);
  auto* script_opt =
      app.add_option("--kafka-cluster", o.kafka_cluster_script, "the tools/kafka-cluster script")
          ->check(CLI::ExistingFile);
  source_opt->needs(target_opt)->needs(script_opt);
  target_opt->needs(source_opt);
  CLI11_PARSE(app, argc, argv);
  if (seed_opt->count() == 0)
    o.seed = std::random_device{}() % 1000000;
  for (const auto& k : faults) {
    if (std::find(fault_kinds().begin(), fault_kinds().end(), k) == fault_kinds().end()) {
      std::fprintf(stderr, "--faults: unknown kind \"%s\"\n", k.c_str());
      return 2;
    }
    if (!possible_on(o.real(), k)) {
      std::fprintf(stderr, "--faults: \"%s\" needs %s clusters\n", k.c_str(),
                   o.real() ? "mock" : "real (--real-source, --real-target)");
      return 2;
    }
  }
  o.faults = {faults.begin(), faults.end()};
  o.guard = guard == "enabled";
  o.step_duration = std::chrono::milliseconds(static_cast<int64_t>(step_seconds * 1000));
  o.deadline = std::chrono::steady_clock::now() +
               std::chrono::seconds(static_cast<int64_t>(max_minutes * 60));
  if (work_dir.empty()) {
    char tmpl[] = "/tmp/k2k-reliability-XXXXXX";
    work_dir = mkdtemp(tmpl);
  }
  spdlog::set_pattern("%H:%M:%S.%e %^%l%$ %v");
  // The runner's own clients meet the faults it injects: their librdkafka lines are noise
  // here (the services' logs are in the work dir).
  spdlog::stderr_color_mt("rdkafka")->set_level(spdlog::level::off);

  std::vector<scenario_result> results;
  auto first_seed = o.seed;
  for (int i = 0; i < scenarios && std::chrono::steady_clock::now() < o.deadline; ++i) {
    auto s = o;
    s.seed = first_seed + i;
    s.work_dir = work_dir + "/seed-" + std::to_string(s.seed);
    std::filesystem::create_directories(s.work_dir);
    spdlog::info("reliability: scenario {} seed {} (logs in {})", i + 1, s.seed, s.work_dir);
    try {
      results.push_back(run_scenario(s));
    } catch (const std::exception& e) { // the clusters' own trouble, not a finding about k2k
      std::fprintf(stderr, "k2k_reliability: scenario seed %llu could not run: %s\n",
                   static_cast<unsigned long long>(s.seed), e.what());
      return 2;
    }
  }

  std::map<std::string, int> faults_total;
  std::map<std::string, fault_stalls> stalls_total;
  std::map<std::string, invariant_tally> invariants_total;
  size_t violations = 0;
  std::printf("\n%-9s %-8s %-14s %5s %6s %14s %15s %10s\n", "scenario", "seed", "mode", "steps",
              "faults", "source records", "commit changes", "violations");
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    int n = 0;
    for (const auto& [k, c] : r.faults) {
      faults_total[k] += c;
      n += c;
    }
    for (const auto& [k, st] : r.stalls) {
      auto& total = stalls_total[k];
      total.steps += st.steps;
      total.replication = std::max(total.replication, st.replication);
      total.translation = std::max(total.translation, st.translation);
    }
    for (const auto& [k, t] : r.invariants) {
      invariants_total[k].checks += t.checks;
      invariants_total[k].violations += t.violations;
    }
    violations += r.violations.size();
    std::printf("%-9zu %-8llu %-14s %5d %6d %14lld %15zu %10zu\n", i + 1,
                static_cast<unsigned long long>(r.seed), r.mode.c_str(), r.steps, n,
                static_cast<long long>(r.source_records), r.target_commit_changes,
                r.violations.size());
  }
  // Per kind: how often, and the longest stall of replication and of translation in the steps
  // it was injected in (from the step's start until both moved again after the revert).
  std::printf("\n%-44s %6s %14s %14s\n", "faults injected", "count", "replication", "translation");
  std::printf("%-44s %6s %14s %14s\n", "", "", "longest stall", "longest stall");
  for (const auto& k : fault_kinds()) {
    if (!possible_on(o.real(), k))
      continue;
    const auto& st = stalls_total[k];
    auto ms = [&](std::chrono::milliseconds d) {
      return st.steps ? fmt::format("{:.1f} s", d.count() / 1000.0) : std::string{"-"};
    };
    std::printf("%-44s %6d %14s %14s\n", k.c_str(), faults_total[k], ms(st.replication).c_str(),
                ms(st.translation).c_str());
  }
  std::printf("\n%-58s %8s %10s\n", "invariant", "checks", "violations");
  for (const auto* k : {invariant::on_target, invariant::mappings, invariant::no_duplicates,
                        invariant::monotonic, invariant::ground_truth, invariant::services}) {
    const auto& t = invariants_total[k];
    std::printf("%-58s %8zu %10zu\n", k, t.checks, t.violations);
  }
  size_t uncommitted = 0;
  for (const auto& r : results)
    uncommitted += r.uncommitted_copies;
  if (uncommitted)
    std::printf("(exactly-once: %zu copies from transactions a replicator aborted or left open "
                "at a kill -9; librdkafka's mock keeps aborted records readable, real Kafka hides "
                "them from read_committed readers)\n",
                uncommitted);
  for (const auto& r : results)
    for (const auto& v : r.violations)
      std::printf("seed %llu %s\n", static_cast<unsigned long long>(r.seed), v.c_str());
  std::string replay = std::string{argv[0]} + " --k2k " + o.k2k + " --steps " +
                       std::to_string(o.steps) + " --step-seconds " +
                       fmt::format("{}", step_seconds) + " --rate " +
                       std::to_string(o.records_per_second);
  if (!o.guard)
    replay += " --guard disabled";
  for (const auto& k : faults)
    replay += " --faults '" + k + "'";
  if (!o.mode.empty())
    replay += " --mode " + o.mode;
  if (o.real())
    replay += " --kafka-cluster " + o.kafka_cluster_script + " --real-source " + o.real_source_dir +
              " --real-target " + o.real_target_dir;
  std::printf("\n%zu violations (logs in %s)\n", violations, work_dir.c_str());
  for (const auto& r : results)
    if (r.violated())
      std::printf("replay seed %llu: %s --seed %llu\n", static_cast<unsigned long long>(r.seed),
                  replay.c_str(), static_cast<unsigned long long>(r.seed));
  std::printf("(a seed fixes the mode, the faults and their order; timing varies)\n");
  return violations == 0 ? 0 : 1;
}
