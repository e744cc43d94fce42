#include "kafka/group_client.hpp"

#include "core/deadline.hpp"
#include "kafka/client.hpp"

#include <thread>

namespace k2k::kafka {

group_client::group_client(properties props, const std::string& group,
                           std::chrono::milliseconds request_timeout)
    : group_(group) {
  props["group.id"] = group;
  // The client never joins: its session timeout only bounds how long librdkafka keeps a
  // commit deferred while the coordinator is away, which destroying the client waits for too.
  auto timeout = std::to_string(std::max<int64_t>(10, request_timeout.count()));
  props["socket.timeout.ms"] = timeout;
  props["session.timeout.ms"] = timeout;
  props["enable.auto.commit"] = "false";
  props["enable.auto.offset.store"] = "false";
  consumer_ = make_consumer(props);
}

result<std::map<topic_partition, committed_offset>>
group_client::committed(const std::vector<topic_partition>& partitions,
                        std::chrono::milliseconds timeout) {
  auto list = to_partition_list(partitions);
  if (auto err = rd_kafka_committed(consumer_.get(), list.get(), static_cast<int>(timeout.count())))
    return error_info{ec::kafka_error,
                      "reading the offsets of group " + group_ + ": " + rd_kafka_err2str(err)};
  return committed_offsets(*list);
}

result<std::map<topic_partition, alter_outcome>>
group_client::commit(const std::map<topic_partition, committed_offset>& offsets,
                     std::chrono::steady_clock::time_point deadline) {
  // Checked before sending too: a process stopped (SIGSTOP, a long pause) after its check
  // resumes here with a stale check in hand.
  if (core::ms_left(deadline) == 0)
    return error_info{ec::timed_out,
                      "committing offsets of group " + group_ + ": its check is too old; not sent"};
  auto list = to_partition_list(offsets);
  queue_ptr answers{rd_kafka_queue_new(consumer_.get())};
  if (auto err =
          rd_kafka_commit_queue(consumer_.get(), list.get(), answers.get(), nullptr, nullptr))
    return error_info{ec::kafka_error,
                      "committing offsets of group " + group_ + ": " + rd_kafka_err2str(err)};
  event_ptr answer;
  // Other events may come first; only the commit's own answer ends the wait.
  while (!answer || rd_kafka_event_type(answer.get()) != RD_KAFKA_EVENT_OFFSET_COMMIT) {
    auto left = core::ms_left(deadline);
    answer.reset(rd_kafka_queue_poll(answers.get(), left));
    if (!answer && core::ms_left(deadline) == 0) {
      answers.reset();
      rd_kafka_destroy_flags(consumer_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
      return error_info{ec::timed_out, "committing offsets of group " + group_ +
                                           ": not answered in time; abandoned (its client "
                                           "closed, so the write cannot land later)"};
    }
  }
  auto err = rd_kafka_event_error(answer.get());
  if (live_members_error(err))
    return error_info{ec::active_group, "group " + group_ + " has live members"};
  std::map<topic_partition, alter_outcome> out;
  if (const auto* answered = rd_kafka_event_topic_partition_list(answer.get()))
    for (int i = 0; i < answered->cnt; ++i) {
      const auto& e = answered->elems[i];
      if (e.err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
        return error_info{ec::active_group, "group " + group_ + " has live members"};
      out[{e.topic, e.partition}] = {e.err};
    }
  if (err && out.empty())
    return error_info{ec::kafka_error,
                      "committing offsets of group " + group_ + ": " + rd_kafka_err2str(err)};
  return out;
}

group_client& group_client_pool::operator[](const std::string& group) {
  auto& client = clients_[group];
  if (!client || !client->usable())
    client = std::make_unique<group_client>(props_, group, request_timeout_);
  return *client;
}

result<std::map<topic_partition, committed_offset>>
group_client_pool::committed(const std::string& group,
                             const std::vector<topic_partition>& partitions, time_point deadline) {
  return (*this)[group].committed(partitions,
                                  std::chrono::milliseconds{std::max(1, core::ms_left(deadline))});
}

result<std::map<topic_partition, alter_outcome>>
group_client_pool::commit(const std::string& group,
                          const std::map<topic_partition, committed_offset>& offsets,
                          time_point deadline) {
  return (*this)[group].commit(offsets, deadline);
}

void group_client_pool::forget(const std::string& group) {
  auto it = clients_.find(group);
  if (it == clients_.end())
    return;
  std::thread([handle = it->second->release()]() mutable { handle.reset(); }).detach();
  clients_.erase(it);
}

} // namespace k2k::kafka
