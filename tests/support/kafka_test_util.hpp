// Test helpers over real librdkafka clients talking to mock clusters.
#pragma once

#include "kafka/mock_cluster.hpp"
#include "kafka/properties.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace k2k::test {

struct test_record {
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t timestamp = 0; // 0: let the producer stamp it
  int64_t offset = -1;   // filled in by consume()
};

// A source and a target cluster, three brokers each, as most tests need.
struct two_clusters {
  kafka::mock_cluster source{3};
  kafka::mock_cluster target{3};
};

// Creates `topic` with the same partition count on both clusters.
void create_on_both(two_clusters& c, const std::string& topic, int partitions);

// Produces and waits for every delivery report; returns the assigned offsets.
// Throws on a failed delivery.
std::vector<int64_t> produce(const std::string& bootstrap, const std::string& topic,
                             int32_t partition, const std::vector<test_record>& records,
                             kafka::properties extra = {});

// Records [from, until) of one partition; returns early (short) at the deadline.
std::vector<test_record> consume(const std::string& bootstrap, const std::string& topic,
                                 int32_t partition, int64_t from, int64_t until,
                                 std::chrono::milliseconds deadline = std::chrono::seconds(20));

// The partition's high watermark (offset of the next record).
int64_t high_watermark(const std::string& bootstrap, const std::string& topic, int32_t partition);

// A group member that has joined `group`, subscribed to `topic`, and consumed one record
// (so the group is active). The topic must hold a record. Fails the test if it cannot.
kafka::handle_ptr live_member(const std::string& bootstrap, const std::string& group,
                              const std::string& topic, kafka::properties extra = {});

// n records "k<i>"/"v<i>" with one header each, starting at index `first`.
std::vector<test_record> numbered_records(int n, int first = 0);

} // namespace k2k::test
