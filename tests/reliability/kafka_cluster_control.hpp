// A real Kafka cluster started by tools/kafka-cluster (its --dir), driven through that script:
// its bootstrap servers, its brokers killed, stopped, started, paused and resumed by node id,
// and who leads a partition or the KRaft quorum.
#pragma once

#include <cstdint>
#include <string>

namespace k2k::reliability {

class kafka_cluster_control {
public:
  // `script`: tools/kafka-cluster; `dir`: the --dir the cluster was started with. Throws when
  // the cluster is not there.
  kafka_cluster_control(std::string script, std::string dir);

  const std::string& bootstrap() const { return bootstrap_; }
  int brokers() const { return brokers_; }
  // kill, stop, start, pause or resume node `node`; throws when the script fails.
  void command(const std::string& command, int32_t node) const;
  // The active controller's node id (the KRaft quorum leader); throws when unknown.
  int32_t controller() const;
  // The node id leading topic[partition]; throws when metadata cannot be read.
  int32_t leader_of(const std::string& topic, int32_t partition) const;

private:
  std::string script_, dir_, bootstrap_;
  int brokers_ = 0;
};

} // namespace k2k::reliability
