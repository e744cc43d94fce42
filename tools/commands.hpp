// The `k2k` subcommands. Each returns the process exit code.
#pragma once

#include "config/config.hpp"
#include "migration/migrator.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace k2k::tools {

int validate_command(const std::string& config_path);
int replicate_command(const std::string& config_path);
int offset_mapping_command(const std::string& config_path);

// The flags bind to the migration's own options; only what the CLI itself needs is extra.
struct migrate_cli_options {
  migration::migration_options migration;
  bool json = false;
  std::string settle_interval = "10s"; // parsed into migration.settle_interval
};
int migrate_command(const std::string& config_path, const migrate_cli_options& options);

struct mock_cluster_options {
  std::vector<std::string> clusters; // NAME=BROKERS
  std::vector<std::string> topics;   // [CLUSTER/]TOPIC:PARTITIONS
};
int mock_cluster_command(const mock_cluster_options& options);

struct demo_options {
  std::chrono::seconds duration{20};
  bool keep_running = false;
  // Given clusters instead of the embedded ones (both or neither).
  std::string source_bootstrap, target_bootstrap;
};
int demo_command(const demo_options& options);

// The pipeline config, or nullopt after printing every problem to stderr.
std::optional<config::pipeline_config> load_config(const std::string& config_path);

// Sets the spdlog level; false (and a message on stderr) for an unknown level name.
bool setup_logging(const std::string& level);

} // namespace k2k::tools
