#include "kafka/partition_reader.hpp"

#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace k2k::kafka {

namespace {

// A reader used for one partition after another can still hand out a record or event of an
// earlier assignment (an end-of-partition most of all, which would end this read early).
bool stale(const rd_kafka_message_t& m, const std::string& topic, int32_t partition, int64_t from) {
  if (!m.rkt)
    return false; // a client-wide error: not tied to a partition
  return m.partition != partition || topic != rd_kafka_topic_name(m.rkt) || m.offset < from;
}

} // namespace

handle_ptr make_partition_reader(properties props) {
  props["enable.auto.commit"] = "false";
  props["enable.partition.eof"] = "true";
  props["isolation.level"] = "read_committed";
  props["fetch.wait.max.ms"] = "10";
  return make_consumer(props);
}

bool scan_partition(rd_kafka_t* reader, const std::string& topic, int32_t partition, int64_t from,
                    int64_t until, const std::function<void(const rd_kafka_message_t&)>& on_record,
                    std::chrono::milliseconds deadline) {
  if (from >= until)
    return true;
  topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = from;
  rd_kafka_assign(reader, list.get());
  auto end = std::chrono::steady_clock::now() + deadline;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < end) {
    message_ptr m{rd_kafka_consumer_poll(reader, 100)};
    if (!m || stale(*m, topic, partition, from))
      continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      done = true;
      break;
    }
    if (m->err) {
      spdlog::warn("reading {}: {}", describe(topic, partition), rd_kafka_message_errstr(m.get()));
      continue;
    }
    if (m->offset < until)
      on_record(*m);
    done = m->offset + 1 >= until;
  }
  rd_kafka_assign(reader, nullptr);
  return done;
}

result<int64_t> read_records(rd_kafka_t* reader, const std::string& topic, int32_t partition,
                             int64_t from, int64_t max_records,
                             const std::function<void(const rd_kafka_message_t&)>& on_record,
                             std::chrono::milliseconds timeout) {
  topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = from;
  rd_kafka_assign(reader, list.get());
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int64_t end = from, read = 0;
  std::optional<error_info> failure;
  while (read < max_records) {
    if (std::chrono::steady_clock::now() >= deadline) {
      failure = error_info{ec::kafka_error, "reading " + describe(topic, partition) + " from " +
                                                std::to_string(from) + ": no answer within " +
                                                std::to_string(timeout.count()) + " ms"};
      break;
    }
    message_ptr m{rd_kafka_consumer_poll(reader, 100)};
    if (!m)
      continue;
    if (stale(*m, topic, partition, from))
      continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      end = std::max(end, m->offset);
      break;
    }
    if (m->err) {
      spdlog::warn("reading {}: {}", describe(topic, partition), rd_kafka_message_errstr(m.get()));
      continue;
    }
    on_record(*m);
    end = m->offset + 1;
    ++read;
  }
  rd_kafka_assign(reader, nullptr);
  if (failure)
    return *failure;
  return end;
}

result<int64_t> offset_for_time(rd_kafka_t* rk, const std::string& topic, int32_t partition,
                                int64_t timestamp_ms, std::chrono::milliseconds timeout) {
  topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = timestamp_ms;
  auto err = rd_kafka_offsets_for_times(rk, list.get(), static_cast<int>(timeout.count()));
  if (!err)
    err = list->elems[0].err;
  if (err == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION || err == RD_KAFKA_RESP_ERR_INVALID_REQUEST ||
      err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
    return error_info{ec::not_supported, "offsets-for-times on " + describe(topic, partition) +
                                             ": " + rd_kafka_err2str(err)};
  if (err)
    return error_info{ec::kafka_error, "offsets-for-times on " + describe(topic, partition) + ": " +
                                           rd_kafka_err2str(err)};
  return list->elems[0].offset;
}

result<std::vector<int32_t>> learn_topic(rd_kafka_t* rk, const std::string& topic,
                                         std::chrono::milliseconds timeout) {
  // A topic handle makes the answer update the client's own view of the topic.
  std::unique_ptr<rd_kafka_topic_t, decltype(&rd_kafka_topic_destroy)> handle{
      rd_kafka_topic_new(rk, topic.c_str(), nullptr), &rd_kafka_topic_destroy};
  const rd_kafka_metadata_t* metadata = nullptr;
  auto err = rd_kafka_metadata(rk, 0, handle.get(), &metadata, static_cast<int>(timeout.count()));
  if (!err && (metadata->topic_cnt != 1 || metadata->topics[0].err))
    err = metadata->topic_cnt == 1 ? metadata->topics[0].err
                                   : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
  std::vector<int32_t> leaders;
  if (!err) {
    const auto& t = metadata->topics[0];
    leaders.assign(static_cast<size_t>(t.partition_cnt), -1);
    for (int i = 0; i < t.partition_cnt; ++i)
      if (t.partitions[i].id >= 0 && t.partitions[i].id < t.partition_cnt)
        leaders[static_cast<size_t>(t.partitions[i].id)] = t.partitions[i].leader;
  }
  if (metadata)
    rd_kafka_metadata_destroy(metadata);
  if (err)
    return error_info{ec::kafka_error,
                      "cannot read the metadata of topic " + topic + ": " + rd_kafka_err2str(err)};
  return leaders;
}

result<std::pair<int64_t, int64_t>> watermarks(rd_kafka_t* rk, const std::string& topic,
                                               int32_t partition) {
  int64_t low = 0, high = 0;
  if (auto e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high, 10000))
    return error_info{ec::kafka_error, "cannot read the watermarks of " +
                                           describe(topic, partition) + ": " + rd_kafka_err2str(e)};
  return std::pair<int64_t, int64_t>{low, high};
}

} // namespace k2k::kafka
