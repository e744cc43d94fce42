// The `k2k` subcommands. Each returns the process exit code.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace k2k::tools {

int validate_command(const std::string& config_path);
int replicate_command(const std::string& config_path);
int offset_mapping_command(const std::string& config_path);

struct mock_cluster_options {
  std::vector<std::string> clusters; // NAME=BROKERS
  std::vector<std::string> topics;   // [CLUSTER/]TOPIC:PARTITIONS
};
int mock_cluster_command(const mock_cluster_options& options);

struct demo_options {
  std::chrono::seconds duration{20};
  bool keep_running = false;
};
int demo_command(const demo_options& options);

// Sets the spdlog level; false (and a message on stderr) for an unknown level name.
bool setup_logging(const std::string& level);

} // namespace k2k::tools
