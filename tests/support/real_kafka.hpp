// The real Apache Kafka clusters CTest's `kafka` fixture started with tools/kafka-cluster
// (tests/CMakeLists.txt), shared by every test labelled kafka; tests keep apart by unique
// topic and group names.
#pragma once

#include <string>

namespace k2k::test {

// NAME's bootstrap servers, read from $K2K_KAFKA_CLUSTER_DIR/NAME/env. Throws, saying how to
// start it, when the cluster is not there.
std::string real_cluster(const std::string& name);

// A name no other test (nor an earlier run against the same cluster) uses.
std::string unique_name(const std::string& prefix);

// Creates topic on a real cluster (replication factor: the cluster's default); throws on error.
void create_real_topic(const std::string& bootstrap, const std::string& topic, int partitions);

} // namespace k2k::test
