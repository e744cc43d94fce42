// k2k: Kafka-to-Kafka replication with exact consumer-offset translation.
#include "config/suggest.hpp"
#include "tools/commands.hpp"
#include "tools/version.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct common_options {
  std::string config;
  std::string log_level = "info";
};

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& help,
                      common_options& common) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("-c,--config", common.config, "pipeline YAML file")->check(CLI::ExistingFile);
  cmd->add_option("--log-level", common.log_level,
                  "trace, debug, info, warn, error, critical or off")
      ->capture_default_str();
  return cmd;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Installed as k2k-offset-mapping too: that name runs the offset-mapping service.
  std::string program = argv[0];
  if (program.substr(program.find_last_of('/') + 1) == "k2k-offset-mapping")
    args.insert(args.begin(), "offset-mapping");
  std::reverse(args.begin(), args.end()); // CLI11 takes a reversed vector

  CLI::App app{"k2k: Kafka-to-Kafka replication with exact consumer-offset translation", "k2k"};
  app.set_version_flag("--version", k2k::tools::version_string());
  app.require_subcommand(1);

  common_options common;
  auto* replicate = add_command(app, "replicate", "copy topics source -> target", common);
  replicate->get_option("--config")->required();
  auto* offset_mapping =
      add_command(app, "offset-mapping",
                  "translate consumer-group offsets onto target (k2k-offset-mapping)", common);
  offset_mapping->get_option("--config")->required();
  auto* migrate = add_command(app, "migrate", "move one stopped consumer group", common);
  migrate->get_option("--config")->required();
  k2k::tools::migrate_cli_options migrate_opts;
  migrate->add_option("--group", migrate_opts.migration.group, "the source consumer group")
      ->required();
  migrate->add_option("--target-group", migrate_opts.migration.target_group,
                      "its name on target (default: the same)");
  migrate
      ->add_option("--topics", migrate_opts.migration.topics,
                   "source topics (default: those of the pipeline the group has commits for)")
      ->take_all();
  migrate->add_flag("--dry-run", migrate_opts.migration.dry_run,
                    "find the positions, commit nothing");
  migrate->add_flag("--confirm-stopped", migrate_opts.migration.confirm_stopped,
                    "the application is stopped (for clusters that cannot describe groups)");
  migrate
      ->add_option("--settle-interval", migrate_opts.settle_interval,
                   "with --confirm-stopped: how long the commits must stay unchanged")
      ->capture_default_str();
  migrate->add_flag("--force", migrate_opts.migration.force,
                    "overwrite the commits of an existing idle group on target");
  migrate->add_flag("--wait", migrate_opts.migration.wait,
                    "wait until replication reaches the committed offsets");
  migrate->add_flag("--json", migrate_opts.json, "print the result as JSON");
  migrate->add_option("--verify-records", migrate_opts.migration.verify_records,
                      "records read past a found position to catch re-replicated stretches "
                      "(default: replicator.maxInFlightRecords)");
  auto* validate = add_command(app, "validate", "check a config file and print it", common);
  validate->get_option("--config")->required();
  auto* demo = add_command(app, "demo", "the whole pipeline on embedded clusters", common);
  k2k::tools::demo_options demo_opts;
  int demo_seconds = 20;
  demo->add_option("--duration", demo_seconds, "seconds to run")->capture_default_str();
  demo->add_flag("--keep-running", demo_opts.keep_running,
                 "run until SIGINT/SIGTERM (explore with kcat)");
  auto* demo_source = demo->add_option("--source-bootstrap", demo_opts.source_bootstrap,
                                       "run on this source cluster instead of an embedded one "
                                       "(topics and groups get names of their own)");
  demo->add_option("--target-bootstrap", demo_opts.target_bootstrap,
                   "run on this target cluster instead of an embedded one")
      ->needs(demo_source);
  demo_source->needs(demo->get_option("--target-bootstrap"));

  k2k::tools::mock_cluster_options mock;
  auto* mock_cluster =
      add_command(app, "mock-cluster", "host embedded mock Kafka clusters until SIGTERM", common);
  mock_cluster->add_option("--cluster", mock.clusters, "NAME=BROKERS (default: source=3 target=3)")
      ->take_all();
  mock_cluster->add_option("--topic", mock.topics,
                           "[CLUSTER/]TOPIC:PARTITIONS, on every cluster unless CLUSTER is named");

  // CLI11 would only say "a subcommand is required"; name the unknown one instead.
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands({}))
    names.push_back(sub->get_name());
  if (!args.empty() && args.back().rfind("-", 0) != 0 &&
      std::find(names.begin(), names.end(), args.back()) == names.end()) {
    auto suggestion = k2k::config::closest_match(args.back(), names);
    std::cerr << "k2k: unknown command \"" << args.back() << "\""
              << (suggestion.empty() ? "" : ", did you mean \"" + suggestion + "\"?")
              << " (see k2k --help)\n";
    return 2;
  }
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!k2k::tools::setup_logging(common.log_level))
    return 2;

  if (*validate)
    return k2k::tools::validate_command(common.config);
  if (*mock_cluster)
    return k2k::tools::mock_cluster_command(mock);
  if (*replicate)
    return k2k::tools::replicate_command(common.config);
  if (*offset_mapping)
    return k2k::tools::offset_mapping_command(common.config);
  if (*migrate)
    return k2k::tools::migrate_command(common.config, migrate_opts);
  if (*demo) {
    demo_opts.duration = std::chrono::seconds(demo_seconds);
    return k2k::tools::demo_command(demo_opts);
  }
  return 2;
}
