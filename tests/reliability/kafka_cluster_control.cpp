#include "reliability/kafka_cluster_control.hpp"

#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"
#include "reliability/child_process.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace k2k::reliability {

using namespace std::chrono_literals;

kafka_cluster_control::kafka_cluster_control(std::string script, std::string dir)
    : script_(std::move(script)), dir_(std::move(dir)) {
  std::ifstream env{dir_ + "/env"}, brokers{dir_ + "/brokers"};
  std::string line;
  if (!std::getline(env, line) || line.find('=') == std::string::npos || !(brokers >> brokers_))
    throw std::runtime_error("no running cluster in " + dir_ + " (start one with " + script_ +
                             " up --dir " + dir_ + " --name NAME)");
  bootstrap_ = line.substr(line.find('=') + 1);
}

void kafka_cluster_control::command(const std::string& command, int32_t node) const {
  auto line = script_ + " " + command + " --dir " + dir_ + " --node " + std::to_string(node);
  if (std::system(line.c_str()) != 0)
    throw std::runtime_error("failed: " + line);
}

int32_t kafka_cluster_control::controller() const {
  auto line = script_ + " controller --dir " + dir_;
  auto result = run_command(line);
  int id = -1;
  if (result.exit_code != 0 || std::sscanf(result.out.c_str(), "%d", &id) != 1 || id < 0)
    throw std::runtime_error("failed: " + line);
  return id;
}

int32_t kafka_cluster_control::leader_of(const std::string& topic, int32_t partition) const {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap_}});
  auto leaders = kafka::learn_topic(admin.get(), topic, 10s).value_or_throw();
  if (partition >= static_cast<int32_t>(leaders.size()) ||
      leaders[static_cast<size_t>(partition)] < 0)
    throw std::runtime_error("no leader for " + kafka::describe(topic, partition));
  return leaders[static_cast<size_t>(partition)];
}

} // namespace k2k::reliability
