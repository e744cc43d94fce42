#include "kafka/group_client.hpp"

#include "kafka/client.hpp"

#include <thread>

namespace k2k::kafka {

group_client::group_client(properties props, const std::string& group) : group_(group) {
  props["group.id"] = group;
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
group_client::commit(const std::map<topic_partition, committed_offset>& offsets) {
  auto list = to_partition_list(offsets);
  auto err = rd_kafka_commit(consumer_.get(), list.get(), 0);
  if (live_members_error(err))
    return error_info{ec::active_group, "group " + group_ + " has live members"};
  std::map<topic_partition, alter_outcome> out;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& e = list->elems[i];
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
  if (!client)
    client = std::make_unique<group_client>(props_, group);
  return *client;
}

void group_client_pool::forget(const std::string& group) {
  auto it = clients_.find(group);
  if (it == clients_.end())
    return;
  std::thread([handle = it->second->release()]() mutable { handle.reset(); }).detach();
  clients_.erase(it);
}

} // namespace k2k::kafka
