#include "offset_mapping/source_commit_feed.hpp"

#include "core/client_ids.hpp"
#include "core/consumer_offsets_record.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <pthread.h>
#include <set>

namespace k2k::offset_mapping {

using namespace std::chrono_literals;

namespace {
const std::string consumer_offsets_topic = "__consumer_offsets";
}

struct source_commit_feed::impl {
  kafka::handle_ptr consumer;
  std::shared_ptr<service_counters> counters;
  on_changes handler;
  core::source_commit_table table;
  // Partitions not yet read to their end once, and that end (the last stable offset when
  // the read started; INT64_MAX when it could not be read: then the end-of-partition event
  // says it). Not the event alone: while groups commit every few hundred milliseconds a
  // fetch is answered as soon as a commit arrives, so it may never come back empty.
  std::map<int32_t, int64_t> loading;
  std::set<ec> warned; // a bad record kind is logged once, then only counted
  std::atomic<bool> stopping{false};

  void handle(const rd_kafka_message_t& m) {
    if (!m.key) {
      ++counters->source_commit_records_skipped; // not a coordinator record
      return;
    }
    std::string_view key{static_cast<const char*>(m.key), m.key_len};
    std::optional<std::string_view> value;
    if (m.payload)
      value = std::string_view{static_cast<const char*>(m.payload), m.len};
    auto record = core::decode_consumer_offsets_record(key, value);
    if (!record) {
      ++counters->source_commit_records_skipped;
      if (warned.insert(record.error().code).second)
        spdlog::warn("offset-mapping: {}[{}] offset {}: {}; skipped (such records are counted "
                     "in k2k_source_commit_records_skipped_total, not logged again)",
                     consumer_offsets_topic, m.partition, m.offset, record.error().message);
      return;
    }
    table.apply(*record);
  }

  kafka::topic_partition_list_ptr loading_positions() {
    kafka::topic_partition_list_ptr positions{rd_kafka_topic_partition_list_new(0)};
    for (const auto& [p, end] : loading)
      rd_kafka_topic_partition_list_add(positions.get(), consumer_offsets_topic.c_str(), p);
    rd_kafka_position(consumer.get(), positions.get());
    return positions;
  }

  // Partitions whose position reached the end they had when the read started.
  void drop_read_partitions() {
    auto positions = loading_positions();
    for (int i = 0; i < positions->cnt; ++i) {
      const auto& e = positions->elems[i];
      if (e.offset >= 0 && e.offset >= loading.at(e.partition))
        loading.erase(e.partition);
    }
  }

  // Which partitions are still being read, where, and how far their ends are: a first read
  // of a large __consumer_offsets takes a while.
  void log_loading() {
    std::string where;
    auto positions = loading_positions();
    for (int i = 0; i < positions->cnt; ++i) {
      const auto& e = positions->elems[i];
      auto end = loading.at(e.partition);
      where += (where.empty() ? "" : ", ") + std::to_string(e.partition) + " at " +
               std::to_string(e.offset) + " of " +
               (end == INT64_MAX ? std::string{"?"} : std::to_string(end));
    }
    spdlog::info("offset-mapping: source commits: reading {}: {} partition(s) not yet at their "
                 "end ({}); {} groups so far",
                 consumer_offsets_topic, loading.size(), where, table.group_count());
  }

  void run() {
    bool loaded = false;
    auto next_progress = std::chrono::steady_clock::now() + 10s;
    while (!stopping.load()) {
      // A burst: wait for the first record, then take what is already fetched.
      for (int i = 0; i < 5000; ++i) {
        kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), i == 0 ? 100 : 0)};
        if (!m)
          break;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          loading.erase(m->partition);
          continue;
        }
        if (m->err) {
          spdlog::warn("offset-mapping: {}: {}", consumer_offsets_topic,
                       rd_kafka_message_errstr(m.get()));
          continue;
        }
        handle(*m);
      }
      if (!loaded)
        drop_read_partitions();
      if (!loaded && std::chrono::steady_clock::now() >= next_progress) {
        next_progress = std::chrono::steady_clock::now() + 10s;
        log_loading();
      }
      if (!loaded && loading.empty()) {
        loaded = true;
        spdlog::info("offset-mapping: source commits: {} read to its end: {} groups, {} "
                     "committed offsets",
                     consumer_offsets_topic, table.group_count(), table.offset_count());
      }
      counters->source_commit_groups = static_cast<int64_t>(table.group_count());
      if (loaded)
        if (auto c = table.take_changes(); !c.empty())
          handler(std::move(c));
    }
  }
};

result<std::unique_ptr<source_commit_feed>>
source_commit_feed::open(const config::pipeline_config& cfg,
                         std::shared_ptr<service_counters> counters, on_changes handler) {
  auto props = cfg.source.kafka.for_consumer();
  // librdkafka assigns partitions only with a group id; this one never joins nor commits.
  props["group.id"] = core::offset_mapping_group_id(cfg.name) + "-source-commits";
  props["enable.auto.commit"] = "false";
  props["isolation.level"] = "read_committed"; // commits of aborted transactions never count
  props["enable.partition.eof"] = "true";      // the first full read ends at each partition end
  props["auto.offset.reset"] = "earliest";
  auto i = std::make_unique<impl>();
  i->consumer = kafka::make_consumer(props);
  // Listed among all topics, not asked for by name: a cluster that creates topics on a
  // metadata request (the mock) would make an empty one.
  auto topics = kafka::list_topics(i->consumer.get(), 10s);
  if (!topics)
    return error_info{topics.error().code, "cannot read " + consumer_offsets_topic +
                                               " on source: " + topics.error().message};
  auto found = topics->find(consumer_offsets_topic);
  if (found == topics->end() || found->second <= 0)
    return error_info{ec::not_supported,
                      "the source has no " + consumer_offsets_topic +
                          " topic this principal may read (no group committed there yet, ACLs, "
                          "or not a Kafka broker)"};
  kafka::topic_partition_list_ptr parts{rd_kafka_topic_partition_list_new(found->second)};
  for (int32_t p = 0; p < found->second; ++p) {
    auto wm = kafka::watermarks(i->consumer.get(), consumer_offsets_topic, p);
    rd_kafka_topic_partition_list_add(parts.get(), consumer_offsets_topic.c_str(), p)->offset =
        wm ? wm->first : RD_KAFKA_OFFSET_BEGINNING;
    if (!wm || wm->second > wm->first)
      i->loading[p] = wm ? wm->second : INT64_MAX;
  }
  if (auto err = rd_kafka_assign(i->consumer.get(), parts.get()))
    return error_info{ec::kafka_error, "cannot read " + consumer_offsets_topic +
                                           " on source: " + rd_kafka_err2str(err)};
  i->counters = std::move(counters);
  i->handler = std::move(handler);
  return std::unique_ptr<source_commit_feed>{new source_commit_feed{std::move(i)}};
}

source_commit_feed::source_commit_feed(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

void source_commit_feed::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "k2k.commits"); // for top -H and perf
    impl_->run();
  });
}

source_commit_feed::~source_commit_feed() {
  stop();
}

void source_commit_feed::stop() {
  impl_->stopping = true;
  if (thread_.joinable())
    thread_.join();
}

} // namespace k2k::offset_mapping
