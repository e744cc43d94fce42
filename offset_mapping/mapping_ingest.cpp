#include "offset_mapping/mapping_ingest.hpp"

#include "core/client_ids.hpp"
#include "core/mapping_record.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"
#include "offset_mapping/partition_index.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace k2k::offset_mapping {

struct mapping_ingest::impl : kafka::rebalance_listener {
  caf::actor_system& system;
  config::pipeline_config cfg;
  mapping_registry_actor registry;
  std::shared_ptr<service_counters> counters;
  std::shared_ptr<write_fence> fence; // granted at assignment, revoked at release
  std::atomic<bool> stopping{false};
  kafka::handle_ptr consumer;

  struct routed {
    partition_index_actor mapping;
    int32_t mapping_partition;
    std::optional<mapping_update> pending; // this poll burst's mappings, sent as one message
  };
  // By source partition; found from the decoded views without building a key.
  struct source_key {
    std::string topic;
    int32_t partition;
  };
  struct source_view {
    std::string_view topic;
    int32_t partition;
  };
  struct source_less {
    using is_transparent = void;
    template <class A, class B> bool operator()(const A& a, const B& b) const {
      return a.partition != b.partition ? a.partition < b.partition
                                        : std::string_view{a.topic} < std::string_view{b.topic};
    }
  };
  std::map<source_key, routed, source_less> partitions;
  std::vector<routed*> dirty; // entries with a pending update
  // Mapping partition -> its end offset at assignment (unknown_end when that could not be
  // read: its leader was down). Ready at that offset, or at the end-of-partition event.
  std::map<int32_t, int64_t> loading;
  static constexpr int64_t unknown_end = INT64_MAX;
  // A copy of the assignment for the lag gauge. librdkafka answers rd_kafka_assignment on the
  // group's queue, which a closing consumer can stop serving while the revoke callback runs:
  // the query hung the stopping worker for good on 2.0.2 (librdkafka issue #4041; 2.14.2's
  // rd_kafka_cgrp_terminated still disables and purges that queue).
  kafka::topic_partition_list_ptr assignment{rd_kafka_topic_partition_list_new(0)};
  uint64_t decoded_in_burst = 0; // added to the shared counter at each flush, not per record
  std::chrono::steady_clock::time_point next_progress{};

  impl(caf::actor_system& sys, config::pipeline_config c, mapping_registry_actor r,
       std::shared_ptr<service_counters> n, std::shared_ptr<write_fence> f)
      : system(sys), cfg(std::move(c)), registry(std::move(r)), counters(std::move(n)),
        fence(std::move(f)) {
    auto props = cfg.target.kafka.for_consumer();
    props["group.id"] = core::offset_mapping_group_id(cfg.name);
    props["enable.auto.commit"] = "false";
    props["isolation.level"] = "read_committed"; // mappings of aborted transactions don't count
    props["auto.offset.reset"] = "earliest";     // every mapping still held is read
    // The end of a partition's committed mappings: with transactions (exactly-once) a mapping
    // partition ends with a commit marker, no record to arrive at its end offset.
    props["enable.partition.eof"] = "true";
    // A starting worker reads its mapping partitions to their ends before translating.
    props.emplace("queued.min.messages", kafka::backlog_queued_min_messages); // unless set
    consumer = kafka::make_consumer(props, this);
    kafka::topic_partition_list_ptr topics{rd_kafka_topic_partition_list_new(1)};
    rd_kafka_topic_partition_list_add(topics.get(), cfg.offset_mapping.topic.c_str(),
                                      RD_KAFKA_PARTITION_UA);
    if (auto e = rd_kafka_subscribe(consumer.get(), topics.get()))
      throw std::runtime_error(std::string{"cannot subscribe to the mapping topic: "} +
                               rd_kafka_err2str(e));
  }

  // Every assigned mapping partition is read from its beginning; until its end offset at
  // assignment is reached its source partitions are not translated (no partial view).
  void on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    for (int i = 0; i < parts->cnt; ++i) {
      auto mp = parts->elems[i].partition;
      fence->grant(mp);
      int64_t low = 0, high = unknown_end;
      if (auto wm = kafka::watermarks(rk, cfg.offset_mapping.topic, mp)) {
        std::tie(low, high) = *wm;
        // An explicit start needs no ListOffsets per partition: those queue on the broker
        // connection behind a partition's long-polling fetch (fetch.wait.max.ms), so with
        // BEGINNING the partitions started up to a second apart. Retention moving the start
        // meanwhile resets to the new earliest (auto.offset.reset above).
        parts->elems[i].offset = low;
      } else {
        parts->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
        spdlog::warn("offset-mapping: {}; mapping partition {} stays unready until it is read "
                     "to its end",
                     wm.error().message, mp);
      }
      if (high <= low)
        caf::anon_send(registry, ready_atom::value, mp);
      else
        loading[mp] = high;
    }
    spdlog::info("offset-mapping: assigned {} mapping partition(s)", parts->cnt);
    rd_kafka_assign(rk, parts);
    assignment.reset(rd_kafka_topic_partition_list_copy(parts));
    publish_progress();
  }

  void on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    for (int i = 0; i < parts->cnt; ++i)
      fence->revoke(parts->elems[i].partition); // first: no write starts for them from now on
    flush();
    for (int i = 0; i < parts->cnt; ++i) {
      auto mp = parts->elems[i].partition;
      caf::anon_send(registry, revoke_atom::value, mp);
      loading.erase(mp);
      for (auto it = partitions.begin(); it != partitions.end();)
        it = it->second.mapping_partition == mp ? partitions.erase(it) : std::next(it);
    }
    spdlog::info("offset-mapping: released {} mapping partition(s)", parts->cnt);
    rd_kafka_assign(rk, nullptr);
    assignment.reset(rd_kafka_topic_partition_list_new(0));
    publish_progress();
  }

  void handle(const rd_kafka_message_t& m) {
    auto mp = m.partition;
    auto decoded = core::decode_mapping_view({static_cast<const char*>(m.payload), m.len});
    if (!decoded) {
      ++counters->poison_records;
      spdlog::error("offset-mapping: skipping mapping record {}@{}: {}",
                    kafka::describe(cfg.offset_mapping.topic, mp), m.offset,
                    decoded.error().message);
    } else {
      const auto& rec = *decoded;
      auto it = partitions.find(source_view{rec.source_topic, rec.source_partition});
      if (it == partitions.end()) {
        auto mapping = system.spawn(
            partition_index,
            index_retention{static_cast<size_t>(cfg.offset_mapping.max_runs_per_partition),
                            cfg.offset_mapping.max_run_age},
            counters, cfg.error_handling.on_multiple_target_committed_offsets);
        std::string topic{rec.source_topic};
        caf::anon_send(registry, register_atom::value, topic, rec.source_partition, mp, mapping);
        it = partitions
                 .emplace(source_key{std::move(topic), rec.source_partition},
                          routed{mapping, mp, std::nullopt})
                 .first;
      }
      auto& pending = it->second.pending;
      if (pending && pending->pipeline != rec.pipeline)
        flush(); // one update speaks for one pipeline
      if (!pending) {
        pending = mapping_update{std::string{rec.pipeline},
                                 mp,
                                 m.offset,
                                 std::string{rec.target_topic},
                                 rec.target_partition,
                                 rec.source_next.value,
                                 {}};
        dirty.push_back(&it->second);
      }
      pending->mapping_offset = m.offset;
      pending->source_next = std::max(pending->source_next, rec.source_next.value);
      for (size_t i = 0; i < rec.run_count(); ++i) {
        auto run = rec.run(i);
        pending->runs.push_back(run.source_start.value);
        pending->runs.push_back(run.target_start.value);
        pending->runs.push_back(run.count);
      }
      ++decoded_in_burst;
    }
    if (auto l = loading.find(mp); l != loading.end() && m.offset + 1 >= l->second)
      loaded(l);
  }

  void loaded(std::map<int32_t, int64_t>::iterator l) {
    flush(); // the partition actors get every mapping before the registry says "ready"
    caf::anon_send(registry, ready_atom::value, l->first);
    spdlog::info("offset-mapping: mapping partition {} read up to its end ({}): translating",
                 l->first, l->second);
    loading.erase(l);
    publish_progress();
  }

  // Assignment, loading and lag gauges for /metrics and /health. The lag uses the
  // watermarks librdkafka caches from fetch responses (no request).
  void publish_progress() {
    counters->mapping_partitions = assignment->cnt;
    counters->mapping_loading = static_cast<int64_t>(loading.size());
    auto* parts = assignment.get();
    rd_kafka_position(consumer.get(), parts); // local: read from the partitions' fetch state
    int64_t lag = 0;
    for (int i = 0; i < parts->cnt; ++i) {
      int64_t low = 0, high = 0;
      const auto& e = parts->elems[i];
      if (rd_kafka_get_watermark_offsets(consumer.get(), e.topic, e.partition, &low, &high))
        continue;
      lag += std::max<int64_t>(0, high - std::max(e.offset, low));
    }
    counters->mapping_lag = lag;
  }

  // Sends each partition's accumulated mappings as one message.
  void flush() {
    for (auto* r : dirty) {
      caf::anon_send(r->mapping, apply_atom::value, std::move(*r->pending));
      r->pending.reset();
    }
    dirty.clear();
    counters->mapping_records += decoded_in_burst;
    decoded_in_burst = 0;
  }

  void run() {
    while (!stopping.load()) {
      // A burst: wait for the first record, then take what is already fetched.
      for (int i = 0; i < 2000; ++i) {
        kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), i == 0 ? 100 : 0)};
        if (!m)
          break;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          if (auto l = loading.find(m->partition); l != loading.end())
            loaded(l); // every committed mapping before the end was read
          continue;
        }
        if (m->err) {
          spdlog::warn("offset-mapping: mapping topic: {}", rd_kafka_message_errstr(m.get()));
          continue;
        }
        handle(*m);
      }
      flush();
      counters->notify_progress();
      if (auto now = std::chrono::steady_clock::now(); now >= next_progress) {
        publish_progress();
        next_progress = now + std::chrono::seconds(1);
      }
    }
    rd_kafka_consumer_close(consumer.get()); // the revoke callback runs in here
    counters->stopped = true;
  }
};

mapping_ingest::mapping_ingest(caf::actor_system& system, config::pipeline_config cfg,
                               mapping_registry_actor registry,
                               std::shared_ptr<service_counters> counters,
                               std::shared_ptr<write_fence> fence)
    : impl_(std::make_unique<impl>(system, std::move(cfg), std::move(registry), std::move(counters),
                                   std::move(fence))),
      thread_([this] {
        pthread_setname_np(pthread_self(), "k2k.ingest"); // for top -H and perf
        impl_->run();
      }) {}

mapping_ingest::~mapping_ingest() {
  stop();
}

void mapping_ingest::stop() {
  impl_->stopping = true;
  if (thread_.joinable())
    thread_.join();
}

} // namespace k2k::offset_mapping
