#include "actors/replication_worker.hpp"

#include "actors/checkpoint_reader.hpp"
#include "core/decimal.hpp"
#include "core/mapping_record.hpp"
#include "core/partition_progress.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace k2k::replication {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

const char* to_string(replication_status::phase p) {
  switch (p) {
  case replication_status::phase::starting:
    return "starting";
  case replication_status::phase::running:
    return "running";
  case replication_status::phase::stopping:
    return "stopping";
  case replication_status::phase::stopped:
    return "stopped";
  case replication_status::phase::failed:
    return "failed";
  }
  return "unknown";
}

namespace {

constexpr auto metadata_timeout = 10s;

struct partition_state {
  std::string topic;
  int32_t partition = 0;
  std::string target_topic;
  std::string mapping_key;
  int32_t mapping_partition = 0;

  core::partition_progress progress;
  int64_t outstanding = 0;                // data records awaiting a delivery report
  int64_t mappings_outstanding = 0;       // mapping records awaiting a delivery report
  std::optional<int64_t> mapping_failure; // first source offset of a lost mapping
  int64_t next_offset = -1;
  int64_t checkpoint = -1;
  bool assigned = false;
  uint64_t generation = 0;  // bumped on every reset, so late reports are ignored
  int rewinds_in_a_row = 0; // since the last confirmed progress; drives the retry backoff
  std::optional<std::chrono::steady_clock::time_point> paused_until;

  // Exactly-once: this partition's transactional producer and its open batch.
  kafka::handle_ptr txn_producer;
  bool in_transaction = false;
  int64_t batch_first = -1;
  uint64_t batch_records = 0, batch_bytes = 0;

  std::optional<int64_t> failure() const {
    std::optional<int64_t> f = mapping_failure;
    if (auto d = progress.first_failure())
      f = f ? std::min(*f, d->value) : d->value;
    return f;
  }
  bool settled() const { return outstanding == 0 && mappings_outstanding == 0; }
  void reset() {
    progress.reset();
    mapping_failure.reset();
    outstanding = 0;
    mappings_outstanding = 0;
    in_transaction = false;
    batch_records = batch_bytes = 0;
    ++generation;
  }
};

// Travels with each produced record to its delivery report.
struct delivery_tag {
  partition_state* state;
  uint64_t generation;
  bool mapping;
  int64_t source_offset; // data: the record's; mapping: the first source offset covered
  int64_t source_next;   // mapping only
  size_t bytes;
};

using tp_key = std::pair<std::string, int32_t>;

void set_default(kafka::properties& p, const std::string& key, const std::string& value) {
  p.emplace(key, value); // only when the user did not set it
}

} // namespace

struct replication_worker::impl : kafka::rebalance_listener {
  config::pipeline_config cfg;
  std::atomic<int> stop_mode{0}; // 0 run, 1 stop, 2 abort

  kafka::handle_ptr producer;
  kafka::handle_ptr consumer;
  kafka::handle_ptr source_admin;
  kafka::handle_ptr target_admin;

  std::map<tp_key, std::unique_ptr<partition_state>> partitions;
  std::vector<std::string> subscribed;
  int32_t mapping_partitions = 0;
  std::optional<error_info> fatal;

  std::atomic<uint64_t> records{0}, bytes{0}, mappings{0}, delivery_errors{0}, rewinds{0},
      aborted_transactions{0};
  uint64_t records_at_last_report = 0, bytes_at_last_report = 0;
  bool paused_for_backpressure = false;

  mutable std::mutex status_mutex;
  mutable std::condition_variable status_changed;
  replication_status snapshot;

  explicit impl(config::pipeline_config c) : cfg(std::move(c)) {}
  ~impl() override {
    for (auto& [key, s] : partitions)
      s.reset(); // their transactional producers first
    std::vector<kafka::handle_ptr> clients;
    clients.push_back(std::move(consumer));
    clients.push_back(std::move(source_admin));
    clients.push_back(std::move(producer));
    clients.push_back(std::move(target_admin));
    kafka::destroy_within(std::move(clients), std::chrono::seconds(10), "replicate");
  }

  // ---- set-up ----------------------------------------------------------------

  void create_clients() {
    auto consumer_props = cfg.source.kafka.for_consumer();
    set_default(consumer_props, "group.id", "k2k-" + cfg.name);
    set_default(consumer_props, "auto.offset.reset", "earliest");
    // Records of aborted source transactions are never replicated.
    set_default(consumer_props, "isolation.level", "read_committed");
    set_default(consumer_props, "queued.min.messages", kafka::backlog_queued_min_messages);
    consumer_props["enable.auto.commit"] = "false";
    consumer_props["enable.auto.offset.store"] = "false";
    consumer = kafka::make_consumer(consumer_props, this);

    auto producer_props = cfg.target.kafka.for_producer();
    // Idempotence keeps each partition in order and free of retry duplicates.
    set_default(producer_props, "enable.idempotence", "true");
    set_default(producer_props, "linger.ms", "5");
    producer = kafka::make_producer(producer_props, &impl::on_delivery, this);

    source_admin = kafka::make_admin_client(cfg.source.kafka.for_admin());
    target_admin = kafka::make_admin_client(cfg.target.kafka.for_admin());
  }

  bool exactly_once() const { return cfg.features.exactly_once; }

  rd_kafka_t* producer_for(partition_state& s) {
    return exactly_once() ? s.txn_producer.get() : producer.get();
  }

  bool selected(const std::string& topic) const {
    const auto& sel = cfg.replication.topics;
    // A regex never picks internal topics (__consumer_offsets, the mapping topic...).
    if (!sel.regex.empty() && topic.rfind("__", 0) == 0)
      return false;
    return sel.matches(topic);
  }

  // Matches source topics, makes sure their target topics (and the mapping topic)
  // exist with enough partitions, and (re)subscribes. Sets `fatal` on a problem the
  // operator must fix.
  void refresh_topics() {
    auto source_topics = kafka::list_topics(source_admin.get(), metadata_timeout);
    if (!source_topics) {
      spdlog::warn("replicate: source metadata: {}; retrying", source_topics.error().message);
      return;
    }
    auto target_topics = kafka::list_topics(target_admin.get(), metadata_timeout);
    if (!target_topics) {
      spdlog::warn("replicate: target metadata: {}; retrying", target_topics.error().message);
      return;
    }
    std::vector<std::string> matched;
    for (const auto& [topic, count] : *source_topics) {
      if (!selected(topic))
        continue;
      auto target = cfg.replication.sink.target_topic(topic);
      auto existing = target_topics->find(target);
      if (existing == target_topics->end()) {
        spdlog::info("replicate: creating target topic {} with {} partitions", target, count);
        if (auto e = kafka::create_topic(target_admin.get(), {target, count, -1, {}},
                                         metadata_timeout)) {
          fatal = error_info{e->code, "target topic " + target + " is missing and " + e->message};
          return;
        }
      } else if (existing->second < count) {
        fatal = error_info{ec::invalid_config,
                           "target topic " + target + " has " + std::to_string(existing->second) +
                               " partitions but source topic " + topic + " has " +
                               std::to_string(count) +
                               "; partitions are copied p -> p, so the target needs at least " +
                               std::to_string(count)};
        return;
      }
      matched.push_back(topic);
    }
    for (const auto& name : cfg.replication.topics.names) {
      // Said once when a topic goes missing and once when it is back, not every refresh.
      bool exists = source_topics->count(name) > 0;
      if (!exists && missing_topics.insert(name).second)
        spdlog::warn("replicate: source topic {} does not exist (yet); the others go on", name);
      else if (exists && missing_topics.erase(name))
        spdlog::info("replicate: source topic {} exists again", name);
    }

    if (cfg.features.offset_mapping) {
      const auto& topic = cfg.offset_mapping.topic;
      auto it = target_topics->find(topic);
      if (it == target_topics->end()) {
        spdlog::info("replicate: creating mapping topic {} with {} partitions", topic,
                     cfg.offset_mapping.partitions);
        if (auto e = kafka::create_topic(target_admin.get(),
                                         {topic,
                                          cfg.offset_mapping.partitions,
                                          cfg.offset_mapping.replication_factor,
                                          {{"cleanup.policy", "delete"}}},
                                         metadata_timeout)) {
          fatal = error_info{e->code, "mapping topic " + topic + " is missing and " + e->message};
          return;
        }
        mapping_partitions = cfg.offset_mapping.partitions;
      } else {
        mapping_partitions = it->second;
      }
    }

    std::sort(matched.begin(), matched.end());
    if (matched == subscribed)
      return;
    subscribed = matched;
    if (matched.empty()) {
      spdlog::warn("replicate: no source topic matches; waiting for one to appear");
      rd_kafka_unsubscribe(consumer.get());
      return;
    }
    kafka::topic_partition_list_ptr list{
        rd_kafka_topic_partition_list_new(static_cast<int>(matched.size()))};
    for (const auto& t : matched)
      rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto e = rd_kafka_subscribe(consumer.get(), list.get()))
      fatal = error_info{ec::kafka_error, std::string{"cannot subscribe: "} + rd_kafka_err2str(e)};
    else
      spdlog::info("replicate: subscribed to {} topic(s)", matched.size());
  }

  partition_state& state_of(const std::string& topic, int32_t partition) {
    auto& slot = partitions[{topic, partition}];
    if (!slot) {
      slot = std::make_unique<partition_state>();
      slot->topic = topic;
      slot->partition = partition;
      slot->target_topic = cfg.replication.sink.target_topic(topic);
      slot->mapping_key = core::mapping_key(topic, partition);
      if (mapping_partitions > 0)
        slot->mapping_partition = kafka::key_partition(slot->mapping_key, mapping_partitions);
    }
    return *slot;
  }

  // ---- rebalance -----------------------------------------------------------------

  void on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    std::vector<partition_state*> states;
    for (int i = 0; i < parts->cnt; ++i) {
      auto& s = state_of(parts->elems[i].topic, parts->elems[i].partition);
      s.reset();
      s.assigned = true;
      s.next_offset = -1;
      s.checkpoint = -1;
      states.push_back(&s);
    }
    if (exactly_once())
      for (auto* st : states)
        if (!st->txn_producer && !start_transactional_producer(*st))
          return; // fatal is set; the loop stops
    std::map<std::string, int64_t> checkpoints;
    if (cfg.features.offset_mapping && mapping_partitions > 0) {
      checkpoint_request wanted;
      for (auto* st : states)
        wanted[st->mapping_partition].insert(st->mapping_key);
      auto props = cfg.target.kafka.for_consumer();
      props["group.id"] = "k2k-" + cfg.name + "-checkpoint";
      try {
        checkpoints =
            read_checkpoints(props, cfg.offset_mapping.topic, cfg.name, std::move(wanted));
      } catch (const std::exception& e) {
        // Without its checkpoint a partition could be replicated twice or skipped;
        // stop rather than guess.
        fatal = error_info{ec::kafka_error, std::string{"cannot read checkpoints: "} + e.what()};
      }
    }
    for (int i = 0; i < parts->cnt; ++i) {
      auto& s = *states[static_cast<size_t>(i)];
      auto cp = checkpoints.find(s.mapping_key);
      if (cp != checkpoints.end()) {
        parts->elems[i].offset = cp->second;
        s.next_offset = s.checkpoint = cp->second;
        spdlog::info("replicate: {} resumes at {} (mapping checkpoint)",
                     kafka::describe(s.topic, s.partition), cp->second);
      } else {
        parts->elems[i].offset = RD_KAFKA_OFFSET_INVALID; // committed offset, else reset policy
        spdlog::info("replicate: {} starts from the committed offset or {}",
                     kafka::describe(s.topic, s.partition),
                     cfg.source.kafka.for_consumer().count("auto.offset.reset")
                         ? cfg.source.kafka.for_consumer().at("auto.offset.reset")
                         : "earliest");
      }
    }
    rd_kafka_assign(rk, parts);
  }

  void on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    std::vector<partition_state*> states;
    for (int i = 0; i < parts->cnt; ++i)
      states.push_back(&state_of(parts->elems[i].topic, parts->elems[i].partition));
    if (stop_mode.load() != 2)
      drain(states, cfg.replicator.shutdown_timeout);
    commit_checkpoints(states, false);
    for (auto* s : states) {
      s->assigned = false;
      s->reset();
      s->txn_producer.reset();
    }
    rd_kafka_assign(rk, nullptr);
    spdlog::info("replicate: released {} partition(s)", states.size());
  }

  // Waits until the given partitions have nothing in flight (deliveries and mappings).
  void drain(const std::vector<partition_state*>& states, std::chrono::milliseconds timeout) {
    if (exactly_once()) {
      commit_transactions(states);
      return;
    }
    auto deadline = clock::now() + timeout;
    auto settled = [&] {
      return std::all_of(states.begin(), states.end(), [](auto* s) { return s->settled(); });
    };
    while (clock::now() < deadline) {
      rd_kafka_poll(producer.get(), 50);
      publish_mappings();
      if (settled())
        return;
    }
    spdlog::error(
        "replicate: {} partition(s) still had records in flight after {} ms; they will "
        "be replicated again from the last checkpoint",
        std::count_if(states.begin(), states.end(), [](auto* s) { return !s->settled(); }),
        timeout.count());
  }

  // ---- produce path --------------------------------------------------------------

  void add_header(rd_kafka_headers_t* h, const std::string& name, std::string_view value) {
    rd_kafka_header_add(h, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                        static_cast<ssize_t>(value.size()));
  }

  void replicate(partition_state& s, const rd_kafka_message_t* m) {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_detach_headers(const_cast<rd_kafka_message_t*>(m), &headers) || !headers)
      headers = rd_kafka_headers_new(5);
    rd_kafka_timestamp_type_t ts_type;
    int64_t ts = rd_kafka_message_timestamp(m, &ts_type);
    const auto& on = cfg.features.tracing_headers;
    const auto& names = cfg.tracing_headers;
    if (on.topic)
      add_header(headers, names.topic, s.topic);
    if (on.partition)
      add_header(headers, names.partition, core::format_decimal(s.partition).view());
    if (on.offset)
      add_header(headers, names.offset, core::format_decimal(m->offset).view());
    if (on.timestamp && ts >= 0)
      add_header(headers, names.timestamp, core::format_decimal(ts).view());
    if (on.pipeline)
      add_header(headers, names.pipeline, cfg.name);

    auto* p = producer_for(s);
    if (exactly_once() && !s.in_transaction) {
      if (kafka::error_ptr err{rd_kafka_begin_transaction(p)}) {
        rd_kafka_headers_destroy(headers);
        fatal = error_info{ec::kafka_error, "cannot begin a transaction for " +
                                                kafka::describe(s.topic, s.partition) + ": " +
                                                rd_kafka_error_string(err.get())};
        return;
      }
      s.in_transaction = true;
      s.batch_first = m->offset;
    }
    auto* tag = new delivery_tag{&s, s.generation, false, m->offset, 0, m->key_len + m->len};
    int64_t timestamp = cfg.features.keep_record_creation_timestamp && ts >= 0 ? ts : 0;
    for (;;) {
      auto e = rd_kafka_producev(
          p, RD_KAFKA_V_TOPIC(s.target_topic.c_str()), RD_KAFKA_V_PARTITION(s.partition),
          RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(timestamp),
          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(tag), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(p, 50); // make room by serving delivery reports
        continue;
      }
      if (e) {
        rd_kafka_headers_destroy(headers);
        delete tag;
        ++delivery_errors;
        spdlog::error("replicate: cannot produce {}@{} to {}: {}",
                      kafka::describe(s.topic, s.partition), m->offset, s.target_topic,
                      rd_kafka_err2str(e));
        s.progress.sent(core::source_offset{m->offset});
        s.progress.failed(core::source_offset{m->offset});
        return;
      }
      break;
    }
    s.progress.sent(core::source_offset{m->offset});
    ++s.outstanding;
    s.next_offset = m->offset + 1;
  }

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    static_cast<impl*>(opaque)->delivered(m);
  }

  void delivered(const rd_kafka_message_t* m) {
    std::unique_ptr<delivery_tag> tag{static_cast<delivery_tag*>(m->_private)};
    auto& s = *tag->state;
    if (tag->generation != s.generation)
      return; // the partition was reset (rewind/revoke) since this was sent
    if (tag->mapping) {
      --s.mappings_outstanding;
      if (m->err) {
        ++delivery_errors;
        spdlog::error("replicate: mapping for {} [{}, {}) not written: {}; replicating it again",
                      kafka::describe(s.topic, s.partition), tag->source_offset, tag->source_next,
                      rd_kafka_err2str(m->err));
        s.mapping_failure = s.mapping_failure ? std::min(*s.mapping_failure, tag->source_offset)
                                              : tag->source_offset;
      } else if (!exactly_once()) { // exactly-once: counted when the transaction commits
        ++mappings;
        s.checkpoint = std::max(s.checkpoint, tag->source_next);
        s.rewinds_in_a_row = 0;
      }
      return;
    }
    --s.outstanding;
    // A success without an offset: when a later batch is acked while an earlier request's
    // answer was lost, librdkafka's idempotent producer counts the earlier records as stored
    // at offset -1 (an implicit ack). No mapping can name such a copy: sent again.
    if (m->err || m->offset < 0) {
      ++delivery_errors;
      if (!s.failure())
        spdlog::error("replicate: {}@{} not delivered to {}: {}; rewinding the partition",
                      kafka::describe(s.topic, s.partition), tag->source_offset, s.target_topic,
                      m->err ? rd_kafka_err2str(m->err)
                             : "delivered without a target offset (a retried write the broker "
                               "had already stored)");
      s.progress.failed(core::source_offset{tag->source_offset});
      return;
    }
    s.progress.delivered(core::source_offset{tag->source_offset}, core::target_offset{m->offset});
    if (exactly_once()) {
      ++s.batch_records;
      s.batch_bytes += tag->bytes;
    } else {
      ++records;
      bytes += tag->bytes;
    }
  }

  // Turns each partition's confirmed prefix into a mapping record (or, with mappings
  // off, straight into progress). At-least-once mode only.
  void publish_mappings() {
    for (auto& [key, sp] : partitions) {
      auto& s = *sp;
      auto prefix = s.progress.take_confirmed_prefix();
      if (!prefix)
        continue;
      auto rec = mapping_for(s, std::move(*prefix));
      if (!cfg.features.offset_mapping) {
        s.checkpoint = std::max(s.checkpoint, rec.source_next.value);
        s.rewinds_in_a_row = 0;
      } else {
        produce_mapping(s, producer.get(), rec);
      }
    }
  }

  core::mapping_record mapping_for(partition_state& s, core::mapped_prefix prefix) {
    auto source_next = prefix.source_next.value;
    if (!s.failure() && s.progress.in_flight() == 0)
      source_next = std::max(source_next, position(s)); // past trailing transaction markers
    return {cfg.name,
            s.topic,
            s.partition,
            s.target_topic,
            s.partition,
            core::source_offset{source_next},
            std::move(prefix.runs)};
  }

  bool produce_mapping(partition_state& s, rd_kafka_t* p, const core::mapping_record& rec) {
    auto value = core::encode_mapping(rec);
    auto first = rec.runs.front().source_start.value;
    auto* tag = new delivery_tag{&s, s.generation, true, first, rec.source_next.value, 0};
    for (;;) {
      auto e = rd_kafka_producev(p, RD_KAFKA_V_TOPIC(cfg.offset_mapping.topic.c_str()),
                                 RD_KAFKA_V_PARTITION(s.mapping_partition),
                                 RD_KAFKA_V_KEY(s.mapping_key.data(), s.mapping_key.size()),
                                 RD_KAFKA_V_VALUE(value.data(), value.size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(tag),
                                 RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(p, 50);
        continue;
      }
      if (e) {
        delete tag;
        ++delivery_errors;
        s.mapping_failure = s.mapping_failure ? std::min(*s.mapping_failure, first) : first;
        spdlog::error("replicate: cannot produce mapping for {}: {}",
                      kafka::describe(s.topic, s.partition), rd_kafka_err2str(e));
        return false;
      }
      ++s.mappings_outstanding;
      return true;
    }
  }

  // ---- exactly-once --------------------------------------------------------------

  // A transactional producer per source partition: its id is stable across restarts
  // and workers, so the next owner's init_transactions fences a zombie and aborts its
  // open transaction before the checkpoint is read.
  bool start_transactional_producer(partition_state& s) {
    auto props = cfg.target.kafka.for_producer();
    props["transactional.id"] =
        "k2k-" + cfg.name + "-" + s.topic + "-" + std::to_string(s.partition);
    props["enable.idempotence"] = "true";
    s.txn_producer = kafka::make_producer(props, &impl::on_delivery, this);
    auto timeout = static_cast<int>(cfg.replicator.shutdown_timeout.count());
    if (kafka::error_ptr err{rd_kafka_init_transactions(s.txn_producer.get(), timeout)}) {
      fatal = error_info{ec::kafka_error, "cannot start the transactional producer for " +
                                              kafka::describe(s.topic, s.partition) + ": " +
                                              rd_kafka_error_string(err.get())};
      return false;
    }
    return true;
  }

  // Data and mapping of the open batch become visible together, or not at all.
  void commit_transaction(partition_state& s) {
    if (!s.in_transaction)
      return;
    auto* p = s.txn_producer.get();
    // Delivery reports give the target offsets. A slow target only delays the batch
    // (message.timeout.ms, which librdkafka keeps within transaction.timeout.ms, turns a
    // lost record into a failed report); a stopping worker waits its shutdown timeout.
    auto deadline = clock::now() + cfg.replicator.shutdown_timeout;
    while (rd_kafka_outq_len(p) > 0 && stop_mode.load() != 2 &&
           (stop_mode.load() == 0 || clock::now() < deadline)) {
      rd_kafka_flush(p, 100);
      refresh_snapshot();
    }
    if (stop_mode.load() == 2)
      return; // crash-like stop: leave the transaction open, the next owner aborts it
    bool ok = s.outstanding == 0 && !s.failure();
    std::optional<core::mapped_prefix> prefix;
    if (ok) {
      prefix = s.progress.take_confirmed_prefix();
      ok = prefix.has_value() && s.progress.in_flight() == 0;
    }
    std::optional<core::mapping_record> rec;
    if (ok) {
      rec = mapping_for(s, std::move(*prefix));
      if (cfg.features.offset_mapping)
        ok = produce_mapping(s, p, *rec);
    }
    kafka::error_ptr err;
    auto timeout = static_cast<int>(cfg.replicator.shutdown_timeout.count());
    // A retriable error (a timeout, the coordinator moving) leaves the commit going on in
    // the background: commit_transaction resumes it rather than throwing the batch away.
    // librdkafka turns it into an abortable error once transaction.timeout.ms has passed;
    // a stopping worker retries only for its shutdown timeout.
    auto retry_until = clock::now() + cfg.replicator.shutdown_timeout;
    for (int attempt = 1; ok; ++attempt) {
      err.reset(rd_kafka_commit_transaction(p, timeout));
      if (!err || !rd_kafka_error_is_retriable(err.get()) || stop_mode.load() == 2 ||
          (stop_mode.load() == 1 && clock::now() >= retry_until))
        break;
      spdlog::warn("replicate: committing the transaction of {} (attempt {}): {}: retrying",
                   kafka::describe(s.topic, s.partition), attempt,
                   rd_kafka_error_string(err.get()));
    }
    if (ok && !err) {
      s.checkpoint = rec->source_next.value;
      s.rewinds_in_a_row = 0;
      records += s.batch_records;
      bytes += s.batch_bytes;
      if (cfg.features.offset_mapping)
        ++mappings;
      s.reset();
      return;
    }
    if (err && rd_kafka_error_is_fatal(err.get())) {
      fatal = error_info{
          ec::kafka_error,
          "exactly-once producer for " + kafka::describe(s.topic, s.partition) +
              " failed (fenced by another worker?): " + rd_kafka_error_string(err.get())};
      return;
    }
    spdlog::warn("replicate: aborting the transaction of {} (source offsets {}..{}): {}",
                 kafka::describe(s.topic, s.partition), s.batch_first, s.next_offset - 1,
                 err ? rd_kafka_error_string(err.get()) : "a record was not delivered");
    if (kafka::error_ptr abort_err{rd_kafka_abort_transaction(p, timeout)}) {
      fatal = error_info{ec::kafka_error, "cannot abort the transaction of " +
                                              kafka::describe(s.topic, s.partition) + ": " +
                                              rd_kafka_error_string(abort_err.get())};
      return;
    }
    ++aborted_transactions;
    auto first = s.batch_first;
    s.reset();
    seek(s, first);
  }

  void commit_transactions(const std::vector<partition_state*>& states) {
    for (auto* s : states)
      if (!fatal)
        commit_transaction(*s);
  }

  int64_t position(const partition_state& s) {
    kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
    rd_kafka_topic_partition_list_add(list.get(), s.topic.c_str(), s.partition);
    if (rd_kafka_position(consumer.get(), list.get()))
      return -1;
    return list->elems[0].offset;
  }

  // A partition with a failed delivery goes back to its first unconfirmed offset once
  // nothing of it is in flight any more: at-least-once, nothing lost.
  void rewind_failed_partitions() {
    for (auto& [key, sp] : partitions) {
      auto& s = *sp;
      auto failure = s.failure();
      if (!s.assigned || !failure || !s.settled())
        continue;
      if (seek(s, *failure))
        s.reset();
    }
  }

  // Sends the partition's source consumer back to `offset`.
  bool seek(partition_state& s, int64_t offset) {
    kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
    rd_kafka_topic_partition_list_add(list.get(), s.topic.c_str(), s.partition)->offset = offset;
    kafka::error_ptr err{rd_kafka_seek_partitions(consumer.get(), list.get(), 10000)};
    if (err || list->elems[0].err) {
      spdlog::warn("replicate: cannot rewind {} yet: {}", kafka::describe(s.topic, s.partition),
                   err ? rd_kafka_error_string(err.get()) : rd_kafka_err2str(list->elems[0].err));
      return false;
    }
    s.next_offset = offset;
    ++rewinds;
    // The first retry is immediate; a partition that keeps failing (a permanent error such
    // as a denied ACL) backs off 100 ms, 200 ms, ... up to 10 s between attempts.
    auto backoff = std::chrono::milliseconds(
        s.rewinds_in_a_row == 0
            ? 0
            : std::min<int64_t>(10000, 100LL << std::min(s.rewinds_in_a_row - 1, 7)));
    ++s.rewinds_in_a_row;
    spdlog::warn("replicate: {} rewound to {}{}", kafka::describe(s.topic, s.partition), offset,
                 backoff.count() ? ", retrying in " + std::to_string(backoff.count()) + " ms" : "");
    if (backoff.count() > 0) {
      rd_kafka_pause_partitions(consumer.get(), list.get());
      s.paused_until = clock::now() + backoff;
    }
    return true;
  }

  // Ends the retry backoff of partitions whose wait is over. (A backpressure resume may end
  // one early; that only shortens the wait.)
  void resume_backed_off_partitions() {
    auto now = clock::now();
    for (auto& [key, sp] : partitions) {
      auto& s = *sp;
      if (!s.paused_until || now < *s.paused_until)
        continue;
      s.paused_until.reset();
      kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
      rd_kafka_topic_partition_list_add(list.get(), s.topic.c_str(), s.partition);
      rd_kafka_resume_partitions(consumer.get(), list.get());
    }
  }

  // The replicator's own source group follows the confirmed checkpoints: the resume
  // point when mappings are off, and a lag signal for operators either way.
  void commit_checkpoints(const std::vector<partition_state*>& states, bool async) {
    kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(1)};
    for (auto* s : states)
      if (s->checkpoint >= 0)
        rd_kafka_topic_partition_list_add(list.get(), s->topic.c_str(), s->partition)->offset =
            s->checkpoint;
    if (list->cnt == 0)
      return;
    if (auto e = rd_kafka_commit(consumer.get(), list.get(), async ? 1 : 0);
        e && e != RD_KAFKA_RESP_ERR__NO_OFFSET)
      spdlog::warn("replicate: committing source offsets: {}", rd_kafka_err2str(e));
  }

  std::vector<partition_state*> assigned_states() {
    std::vector<partition_state*> out;
    for (auto& [key, s] : partitions)
      if (s->assigned)
        out.push_back(s.get());
    return out;
  }

  uint64_t in_flight() const {
    uint64_t n = 0;
    for (const auto& [key, s] : partitions)
      n += s->progress.in_flight();
    return n;
  }

  // Bounded memory whatever the lag. At the in-flight limit the loop stops taking records
  // from the source and serves delivery reports instead; what the consumer prefetched stays
  // queued (librdkafka bounds it: queued.max.messages.kbytes). Pausing the partitions right
  // away would throw that prefetch away (librdkafka purges a paused partition's queue) and
  // fetch it again: the benchmark lost about half its throughput to that. Only a hold that
  // lasts `backpressure_hold` pauses them, so the consumer is polled again (rebalances,
  // max.poll.interval.ms); below half the limit they resume.
  static constexpr auto backpressure_hold = 1s;
  std::optional<clock::time_point> holding_since;

  // True: take nothing from the source in this cycle.
  bool hold_source() {
    auto n = in_flight();
    auto limit = static_cast<uint64_t>(cfg.replicator.max_in_flight_records);
    if (paused_for_backpressure) {
      if (n <= limit / 2)
        pause_source(false);
      return false; // the consumer is polled; its paused partitions return nothing
    }
    if (n < limit) {
      holding_since.reset();
      return false;
    }
    auto now = clock::now();
    if (!holding_since)
      holding_since = now;
    if (now - *holding_since < backpressure_hold)
      return true;
    holding_since.reset();
    pause_source(true);
    return false;
  }

  void pause_source(bool pause) {
    rd_kafka_topic_partition_list_t* assigned = nullptr;
    if (rd_kafka_assignment(consumer.get(), &assigned))
      return;
    kafka::topic_partition_list_ptr list{assigned};
    if (pause)
      rd_kafka_pause_partitions(consumer.get(), list.get());
    else
      rd_kafka_resume_partitions(consumer.get(), list.get());
    paused_for_backpressure = pause;
  }

  void update_snapshot(replication_status::phase phase) {
    replication_status st;
    st.state = phase;
    st.records = records;
    st.bytes = bytes;
    st.mappings = mappings;
    st.delivery_errors = delivery_errors;
    st.rewinds = rewinds;
    st.aborted_transactions = aborted_transactions;
    st.in_flight = in_flight();
    for (auto& [key, s] : partitions) {
      if (!s->assigned)
        continue;
      partition_status p{s->topic, s->partition, s->next_offset, s->checkpoint, -1};
      int64_t low = 0, high = 0;
      if (s->next_offset >= 0 && !rd_kafka_get_watermark_offsets(consumer.get(), s->topic.c_str(),
                                                                 s->partition, &low, &high))
        p.lag = std::max<int64_t>(0, high - s->next_offset);
      st.partitions.push_back(std::move(p));
    }
    if (fatal)
      st.error = fatal->message;
    {
      std::lock_guard<std::mutex> guard{status_mutex};
      snapshot = std::move(st);
    }
    status_changed.notify_all();
  }

  clock::time_point next_snapshot = clock::now();
  std::set<std::string> missing_topics; // configured source topics not in the metadata

  // A few times a second, also from inside long waits, so status() stays current.
  void refresh_snapshot() {
    auto now = clock::now();
    if (now < next_snapshot)
      return;
    update_snapshot(replication_status::phase::running);
    next_snapshot = now + 100ms;
  }

  void report(std::chrono::duration<double> elapsed) {
    std::string lag;
    std::lock_guard<std::mutex> guard{status_mutex};
    int shown = 0;
    for (const auto& p : snapshot.partitions)
      if (p.lag > 0 && shown++ < 16)
        lag += " " + kafka::describe(p.topic, p.partition) + "=" + std::to_string(p.lag);
    auto r = records.load(), b = bytes.load();
    spdlog::info(
        "replicate: {} records ({:.0f}/s, {:.1f} KiB/s), {} mappings, {} in flight, lag:{}", r,
        (r - records_at_last_report) / elapsed.count(),
        (b - bytes_at_last_report) / 1024.0 / elapsed.count(), mappings.load(), snapshot.in_flight,
        lag.empty() ? " none" : lag);
    records_at_last_report = r;
    bytes_at_last_report = b;
  }

  // ---- the loop ------------------------------------------------------------------

  std::optional<error_info> run() {
    try {
      create_clients();
    } catch (const std::exception& e) {
      fatal = error_info{ec::kafka_error, e.what()};
      update_snapshot(replication_status::phase::failed);
      return fatal;
    }
    spdlog::info("replicate: pipeline {}: {} -> {}, mappings {}, headers {}", cfg.name,
                 cfg.source.kafka.for_consumer()["bootstrap.servers"],
                 cfg.target.kafka.for_producer()["bootstrap.servers"],
                 cfg.features.offset_mapping ? "on (" + cfg.offset_mapping.topic + ")" : "off",
                 cfg.features.tracing_headers.offset ? "on" : "off");
    auto next_refresh = clock::now();
    auto next_report = clock::now() + cfg.replicator.report_interval;
    auto last_report = clock::now();
    auto next_commit = clock::now() + 1s;
    while (!stop_mode.load() && !fatal) {
      if (clock::now() >= next_refresh) {
        refresh_topics();
        next_refresh = clock::now() + cfg.replicator.topic_refresh_interval;
        if (fatal)
          break;
      }
      if (!hold_source())
        consume_cycle();
      else if (!exactly_once())
        rd_kafka_poll(producer.get(), 10); // wait for confirmations instead
      if (exactly_once()) {
        commit_transactions(assigned_states());
      } else {
        rd_kafka_poll(producer.get(), 0);
        publish_mappings();
        rewind_failed_partitions();
      }
      resume_backed_off_partitions();
      if (auto e = fatal_producer_error())
        fatal = e;
      auto now = clock::now();
      if (now >= next_commit) {
        commit_checkpoints(assigned_states(), true);
        next_commit = now + 1s;
      }
      refresh_snapshot();
      if (now >= next_report) {
        report(now - last_report);
        last_report = now;
        next_report = now + cfg.replicator.report_interval;
      }
    }
    shutdown();
    return fatal;
  }

  void consume_cycle() {
    // Block only when nothing waits for a delivery report (served between cycles and every
    // 256 records within one).
    const int first_wait_ms = in_flight() > 0 ? 1 : 100;
    rd_kafka_topic_t* last_topic = nullptr;
    int32_t last_partition = -1;
    partition_state* last_state = nullptr;
    for (int i = 0; i < cfg.replicator.batch_size; ++i) {
      kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), i == 0 ? first_wait_ms : 0)};
      if (!m)
        return;
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
          spdlog::warn("replicate: source: {}", rd_kafka_message_errstr(m.get()));
        continue;
      }
      // Messages come in runs of one partition: look the state up once per run.
      if (m->rkt != last_topic || m->partition != last_partition) {
        auto it = partitions.find({rd_kafka_topic_name(m->rkt), m->partition});
        last_state = it == partitions.end() ? nullptr : it->second.get();
        last_topic = m->rkt;
        last_partition = m->partition;
      }
      if (!last_state || !last_state->assigned)
        continue;
      auto& s = *last_state;
      if (s.failure())
        continue; // will be fetched again after the rewind
      replicate(s, m.get());
      // Serve delivery reports within a long cycle too: confirmed records free their
      // memory sooner and the producer's queue never backs up behind a whole batch.
      if (i % 256 == 255)
        rd_kafka_poll(producer_for(s), 0);
    }
  }

  std::optional<error_info> fatal_producer_error() {
    char reason[512];
    if (auto e = rd_kafka_fatal_error(producer.get(), reason, sizeof reason))
      return error_info{ec::kafka_error, std::string{"target producer failed: "} + reason + " (" +
                                             rd_kafka_err2name(e) + ")"};
    return std::nullopt;
  }

  void shutdown() {
    bool abort = stop_mode.load() == 2;
    update_snapshot(replication_status::phase::stopping);
    if (abort) {
      // Like a crash: whatever is in flight never gets a mapping; open transactions stay
      // open until the next owner's init_transactions aborts them.
      for (auto& [key, s] : partitions)
        s->txn_producer.reset();
      rd_kafka_purge(producer.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      for (auto& [key, s] : partitions)
        s->reset();
      rd_kafka_flush(producer.get(), 5000); // serves the purged reports, freeing their tags
    } else {
      auto states = assigned_states();
      drain(states, cfg.replicator.shutdown_timeout);
      commit_checkpoints(states, false);
    }
    // Close while `this` is alive: the revoke callback runs inside.
    rd_kafka_consumer_close(consumer.get());
    if (!abort)
      rd_kafka_flush(producer.get(), static_cast<int>(cfg.replicator.shutdown_timeout.count()));
    rd_kafka_poll(producer.get(), 0);
    update_snapshot(fatal ? replication_status::phase::failed : replication_status::phase::stopped);
    spdlog::info("replicate: stopped after {} records and {} mappings", records.load(),
                 mappings.load());
  }
};

replication_worker::replication_worker(config::pipeline_config cfg)
    : impl_(std::make_unique<impl>(std::move(cfg))) {}

replication_worker::~replication_worker() = default;

std::optional<error_info> replication_worker::run() {
  return impl_->run();
}

void replication_worker::stop() {
  int expected = 0;
  impl_->stop_mode.compare_exchange_strong(expected, 1);
}

void replication_worker::abort() {
  impl_->stop_mode.store(2);
}

replication_status replication_worker::status() const {
  std::lock_guard<std::mutex> guard{impl_->status_mutex};
  return impl_->snapshot;
}

bool replication_worker::wait_for_status(
    const std::function<bool(const replication_status&)>& condition,
    std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock{impl_->status_mutex};
  return impl_->status_changed.wait_for(lock, timeout, [&] { return condition(impl_->snapshot); });
}

} // namespace k2k::replication
