#include "support/real_kafka.hpp"

#include "kafka/admin.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace k2k::test {

std::string real_cluster(const std::string& name) {
  const char* dir = std::getenv("K2K_KAFKA_CLUSTER_DIR");
  if (!dir)
    throw std::runtime_error("K2K_KAFKA_CLUSTER_DIR is not set: run the kafka-labelled tests "
                             "through ctest (its kafka fixture starts the clusters), or start "
                             "one with tools/kafka-cluster up --dir DIR/" +
                             name + " --name " + name);
  auto path = std::string{dir} + "/" + name + "/env";
  std::ifstream in{path};
  std::string line;
  if (!std::getline(in, line) || line.find('=') == std::string::npos)
    throw std::runtime_error("no running cluster " + name + " (" + path +
                             " missing): did the kafka.cluster.up fixture fail?");
  return line.substr(line.find('=') + 1);
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> n{0};
  static const auto run = std::random_device{}() % 1000000;
  return prefix + "-" + std::to_string(run) + "-" + std::to_string(n++);
}

void create_real_topic(const std::string& bootstrap, const std::string& topic, int partitions) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  if (auto e =
          kafka::create_topic(admin.get(), {topic, partitions, -1, {}}, std::chrono::seconds(30)))
    throw std::runtime_error("create " + topic + ": " + e->message);
}

} // namespace k2k::test
