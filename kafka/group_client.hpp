// Reading and writing one group's committed offsets through a consumer handle of that group
// that never joins it (OffsetFetch / OffsetCommit with no generation), instead of the admin
// API. librdkafka's coordinator-bound admin calls (ListConsumerGroupOffsets,
// AlterConsumerGroupOffsets) can abort the whole process with
// "rd_kafka_enq_once_del_source_return: Assertion `eonce->refcnt > 0'" when the coordinator's
// connection drops mid-request (librdkafka issues #3663, #4605: seen on 2.0.2, still open up
// to 2.15); the consumer's own commit path does not have that bug. One handle per group: for a
// few long-lived groups.
#pragma once

#include "core/error.hpp"
#include "kafka/group_offsets_io.hpp"
#include "kafka/properties.hpp"

#include <memory>

namespace k2k::kafka {

class group_client {
public:
  // `request_timeout` (socket.timeout.ms, and session.timeout.ms: how long a commit stays
  // deferred) bounds a commit's life in librdkafka, also when the client is destroyed with it
  // still queued: destroying waits for it.
  group_client(properties props, const std::string& group,
               std::chrono::milliseconds request_timeout = std::chrono::seconds(60));

  result<std::map<topic_partition, committed_offset>>
  committed(const std::vector<topic_partition>& partitions, std::chrono::milliseconds timeout);

  // A group with live members is refused by the broker: ec::active_group. A write not
  // answered by `deadline` is in doubt (ec::timed_out): librdkafka would keep it queued and
  // retry it while the coordinator is away, landing it whenever that comes back (a minute
  // later on a real failover), so the handle is destroyed here without a consumer close
  // before returning. Destroying waits for a request already queued to a broker, at most
  // its request timeout; after that the write can no longer be sent. The client is unusable
  // then: the pool makes a new one.
  result<std::map<topic_partition, alter_outcome>>
  commit(const std::map<topic_partition, committed_offset>& offsets,
         std::chrono::steady_clock::time_point deadline);

  bool usable() const { return consumer_ != nullptr; }

  // The consumer handle, for the pool to close elsewhere; the client is unusable after.
  handle_ptr release() { return std::move(consumer_); }

private:
  std::string group_;
  handle_ptr consumer_;
};

// One group_client per group, made on first use and kept (a service translates the same
// groups cycle after cycle): groups.offsetClients per-group.
class group_client_pool final : public group_offsets_io {
public:
  explicit group_client_pool(properties props,
                             std::chrono::milliseconds request_timeout = std::chrono::seconds(60))
      : props_(std::move(props)), request_timeout_(request_timeout) {}
  // The group's client, a new one when there was none or it was closed.
  group_client& operator[](const std::string& group);
  result<std::map<topic_partition, committed_offset>>
  committed(const std::string& group, const std::vector<topic_partition>& partitions,
            time_point deadline) override;
  result<std::map<topic_partition, alter_outcome>>
  commit(const std::string& group, const std::map<topic_partition, committed_offset>& offsets,
         time_point deadline) override;

  // Drops a group's client after a failed call; the next use makes a new one. A handle whose
  // coordinator connection got stuck after a broker outage kept timing out for minutes on
  // librdkafka 2.0.2's mock (reliability seed 202) while a fresh handle finds the coordinator
  // again. Its handle is closed on a thread of its own: closing a group consumer whose
  // coordinator is unreachable can block for its timeouts, and the caller serves other groups.
  void forget(const std::string& group) override;

private:
  properties props_;
  std::chrono::milliseconds request_timeout_;
  std::map<std::string, std::unique_ptr<group_client>> clients_;
};

} // namespace k2k::kafka
