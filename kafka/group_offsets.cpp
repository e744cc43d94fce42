#include "kafka/group_offsets.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace k2k::kafka {

namespace {

int ms(std::chrono::milliseconds d) {
  return static_cast<int>(d.count());
}

struct admin_options {
  rd_kafka_AdminOptions_t* ptr;
  admin_options(rd_kafka_t* rk, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout)
      : ptr(rd_kafka_AdminOptions_new(rk, op)) {
    char err[256];
    rd_kafka_AdminOptions_set_request_timeout(ptr, ms(timeout), err, sizeof err);
  }
  ~admin_options() { rd_kafka_AdminOptions_destroy(ptr); }
};

// An admin result event's request-level error, if any.
std::optional<error_info> event_failure(rd_kafka_event_t* ev, const std::string& what) {
  auto e = rd_kafka_event_error(ev);
  if (!e)
    return std::nullopt;
  return error_info{e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ? ec::not_supported
                                                                : ec::kafka_error,
                    what + ": " + rd_kafka_event_error_string(ev)};
}

// Waits for the admin result event; an error event becomes an error_info.
result<event_ptr> await(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout,
                        const std::string& what) {
  event_ptr ev{rd_kafka_queue_poll(queue, ms(timeout) + 5000)};
  if (!ev)
    return error_info{ec::kafka_error, what + ": no answer"};
  if (auto e = event_failure(ev.get(), what))
    return *e;
  return ev;
}

bool unsupported(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ||
         code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION || code == RD_KAFKA_RESP_ERR_INVALID_REQUEST;
}

} // namespace

bool live_members_error(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID ||
         code == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS ||
         code == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION;
}

topic_partition_list_ptr to_partition_list(const std::vector<topic_partition>& partitions) {
  topic_partition_list_ptr list{
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()))};
  for (const auto& [t, p] : partitions)
    rd_kafka_topic_partition_list_add(list.get(), t.c_str(), p);
  return list;
}

topic_partition_list_ptr
to_partition_list(const std::map<topic_partition, committed_offset>& offsets) {
  topic_partition_list_ptr list{
      rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()))};
  for (const auto& [tp, c] : offsets) {
    auto* e = rd_kafka_topic_partition_list_add(list.get(), tp.first.c_str(), tp.second);
    e->offset = c.offset;
    if (!c.metadata.empty()) {
      e->metadata = std::malloc(c.metadata.size()); // librdkafka frees it with the list
      std::copy(c.metadata.begin(), c.metadata.end(), static_cast<char*>(e->metadata));
      e->metadata_size = c.metadata.size();
    }
  }
  return list;
}

std::map<topic_partition, committed_offset>
committed_offsets(const rd_kafka_topic_partition_list_t& list) {
  std::map<topic_partition, committed_offset> out;
  for (int i = 0; i < list.cnt; ++i) {
    const auto& e = list.elems[i];
    if (e.err || e.offset < 0)
      continue; // no commit for this partition
    out[{e.topic, e.partition}] = {
        e.offset, e.metadata ? std::string(static_cast<const char*>(e.metadata), e.metadata_size)
                             : std::string{}};
  }
  return out;
}

void send_list_group_offsets(rd_kafka_t* rk, const std::string& group,
                             const std::vector<topic_partition>& partitions,
                             std::chrono::milliseconds timeout, rd_kafka_queue_t* answers,
                             void* opaque) {
  topic_partition_list_ptr wanted;
  if (!partitions.empty())
    wanted = to_partition_list(partitions);
  auto* request = rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), wanted.get());
  {
    admin_options options{rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout};
    rd_kafka_AdminOptions_set_opaque(options.ptr, opaque);
    rd_kafka_ListConsumerGroupOffsets(rk, &request, 1, options.ptr, answers);
  }
  rd_kafka_ListConsumerGroupOffsets_destroy(request);
}

result<std::map<topic_partition, committed_offset>>
read_list_group_offsets(rd_kafka_event_t* answer, const std::string& group) {
  if (auto e = event_failure(answer, "reading the offsets of group " + group))
    return *e;
  size_t n = 0;
  const auto** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
      rd_kafka_event_ListConsumerGroupOffsets_result(answer), &n);
  std::map<topic_partition, committed_offset> out;
  for (size_t g = 0; g < n; ++g) {
    if (const auto* err = rd_kafka_group_result_error(groups[g]))
      return error_info{ec::kafka_error, "reading the offsets of group " + group + ": " +
                                             rd_kafka_error_string(err)};
    if (const auto* parts = rd_kafka_group_result_partitions(groups[g]))
      for (auto& [tp, c] : committed_offsets(*parts))
        out[tp] = std::move(c);
  }
  return out;
}

result<std::map<topic_partition, committed_offset>>
list_group_offsets(rd_kafka_t* rk, const std::string& group,
                   const std::vector<topic_partition>& partitions,
                   std::chrono::milliseconds timeout) {
  queue_ptr queue{rd_kafka_queue_new(rk)};
  send_list_group_offsets(rk, group, partitions, timeout, queue.get(), nullptr);
  auto ev = await(queue.get(), timeout, "reading the offsets of group " + group);
  if (!ev)
    return ev.error();
  return read_list_group_offsets(ev->get(), group);
}

void send_alter_group_offsets(rd_kafka_t* rk, const std::string& group,
                              const std::map<topic_partition, committed_offset>& offsets,
                              std::chrono::milliseconds timeout, rd_kafka_queue_t* answers,
                              void* opaque) {
  auto list = to_partition_list(offsets);
  auto* request = rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get());
  {
    admin_options options{rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeout};
    rd_kafka_AdminOptions_set_opaque(options.ptr, opaque);
    rd_kafka_AlterConsumerGroupOffsets(rk, &request, 1, options.ptr, answers);
  }
  rd_kafka_AlterConsumerGroupOffsets_destroy(request);
}

result<std::map<topic_partition, alter_outcome>>
read_alter_group_offsets(rd_kafka_event_t* answer, const std::string& group) {
  if (auto e = event_failure(answer, "committing offsets of group " + group))
    return *e;
  size_t n = 0;
  const auto** groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
      rd_kafka_event_AlterConsumerGroupOffsets_result(answer), &n);
  std::map<topic_partition, alter_outcome> out;
  for (size_t g = 0; g < n; ++g) {
    if (const auto* err = rd_kafka_group_result_error(groups[g])) {
      auto code = rd_kafka_error_code(err);
      return error_info{live_members_error(code) ? ec::active_group : ec::kafka_error,
                        "committing offsets of group " + group + ": " + rd_kafka_error_string(err)};
    }
    const auto* parts = rd_kafka_group_result_partitions(groups[g]);
    for (int i = 0; parts && i < parts->cnt; ++i) {
      const auto& e = parts->elems[i];
      if (e.err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
        return error_info{ec::active_group, "group " + group + " has live members on target"};
      out[{e.topic, e.partition}] = {e.err};
    }
  }
  return out;
}

result<std::map<topic_partition, alter_outcome>>
alter_group_offsets(rd_kafka_t* rk, const std::string& group,
                    const std::map<topic_partition, committed_offset>& offsets,
                    std::chrono::milliseconds timeout) {
  queue_ptr queue{rd_kafka_queue_new(rk)};
  send_alter_group_offsets(rk, group, offsets, timeout, queue.get(), nullptr);
  auto ev = await(queue.get(), timeout, "committing offsets of group " + group);
  if (!ev)
    return ev.error();
  return read_alter_group_offsets(ev->get(), group);
}

result<std::vector<std::string>> list_groups(rd_kafka_t* rk, std::chrono::milliseconds timeout) {
  queue_ptr queue{rd_kafka_queue_new(rk)};
  {
    admin_options options{rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout};
    rd_kafka_ListConsumerGroups(rk, options.ptr, queue.get());
  }
  auto ev = await(queue.get(), timeout, "listing consumer groups");
  if (!ev)
    return ev.error();
  const auto* res = rd_kafka_event_ListConsumerGroups_result(ev->get());
  size_t n_errors = 0;
  const auto** errors = rd_kafka_ListConsumerGroups_result_errors(res, &n_errors);
  size_t n = 0;
  const auto** groups = rd_kafka_ListConsumerGroups_result_valid(res, &n);
  if (n == 0 && n_errors > 0) {
    auto code = rd_kafka_error_code(errors[0]);
    return error_info{unsupported(code) ? ec::not_supported : ec::kafka_error,
                      std::string{"listing consumer groups: "} + rd_kafka_error_string(errors[0])};
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i)
    out.emplace_back(rd_kafka_ConsumerGroupListing_group_id(groups[i]));
  return out;
}

result<group_description> describe_group(rd_kafka_t* rk, const std::string& group,
                                         std::chrono::milliseconds timeout) {
  // rd_kafka_list_groups with a name sends DescribeGroups only. The newer
  // rd_kafka_DescribeConsumerGroups leaves rd_kafka_destroy deadlocked in 2.0.2 when the
  // broker lacks the API (seen on the mock), so it is not used here.
  const rd_kafka_group_list* list = nullptr;
  auto err = rd_kafka_list_groups(rk, group.c_str(), &list, ms(timeout));
  std::unique_ptr<const rd_kafka_group_list, void (*)(const rd_kafka_group_list*)> owned{
      list, [](const rd_kafka_group_list* l) {
        if (l)
          rd_kafka_group_list_destroy(l);
      }};
  auto what = "describing group " + group;
  if (!err && list && list->group_cnt == 1)
    err = list->groups[0].err;
  if (err)
    return error_info{unsupported(err) ? ec::not_supported : ec::kafka_error,
                      what + ": " + rd_kafka_err2str(err)};
  if (!list || list->group_cnt != 1)
    return group_description{"Dead", 0};
  return group_description{list->groups[0].state ? list->groups[0].state : "",
                           static_cast<size_t>(list->groups[0].member_cnt)};
}

} // namespace k2k::kafka
