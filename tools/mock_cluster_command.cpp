#include "kafka/mock_cluster.hpp"
#include "tools/commands.hpp"
#include "tools/stop_signals.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <regex>

namespace k2k::tools {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  return s;
}

} // namespace

int mock_cluster_command(const mock_cluster_options& options) {
  static const std::regex cluster_form{"([A-Za-z][A-Za-z0-9_-]*)=([0-9]{1,2})"};
  static const std::regex topic_form{"(([A-Za-z][A-Za-z0-9_-]*)/)?([A-Za-z0-9._-]+):([0-9]{1,4})"};

  stop_signals signals; // before librdkafka starts threads

  std::vector<std::pair<std::string, std::unique_ptr<kafka::mock_cluster>>> clusters;
  auto specs = options.clusters.empty() ? std::vector<std::string>{"source=3", "target=3"}
                                        : options.clusters;
  for (const auto& spec : specs) {
    std::smatch m;
    if (!std::regex_match(spec, m, cluster_form) || std::stoi(m[2]) < 1) {
      std::cerr << "k2k mock-cluster: --cluster: expected NAME=BROKERS (e.g. source=3), found \""
                << spec << "\"\n";
      return 2;
    }
    clusters.emplace_back(m[1], std::make_unique<kafka::mock_cluster>(std::stoi(m[2])));
  }
  for (const auto& spec : options.topics) {
    std::smatch m;
    if (!std::regex_match(spec, m, topic_form) || std::stoi(m[4]) < 1) {
      std::cerr << "k2k mock-cluster: --topic: expected [CLUSTER/]TOPIC:PARTITIONS "
                   "(e.g. orders:8 or source/orders:8), found \""
                << spec << "\"\n";
      return 2;
    }
    bool found = false;
    for (auto& [name, cluster] : clusters) {
      if (m[2].matched && m[2] != name)
        continue;
      cluster->create_topic(m[3], std::stoi(m[4]));
      found = true;
    }
    if (!found) {
      std::cerr << "k2k mock-cluster: --topic " << spec << ": no cluster named \"" << m[2]
                << "\"\n";
      return 2;
    }
  }
  for (const auto& [name, cluster] : clusters)
    std::cout << upper(name) << "_BOOTSTRAP=" << cluster->bootstrap_servers() << '\n';
  std::cout << std::flush;
  spdlog::info("mock-cluster: serving {} cluster(s) until SIGTERM or SIGINT", clusters.size());

  int signal = signals.wait();
  spdlog::info("mock-cluster: stopping on signal {}", signal);
  return 0;
}

} // namespace k2k::tools
