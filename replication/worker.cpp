#include "replication/worker.hpp"

#include "kafka/partition_reader.hpp"
#include "replication/clients.hpp"
#include "replication/delivery.hpp"
#include "replication/rebalance.hpp"
#include "replication/record_copy.hpp"
#include "replication/status_reporter.hpp"
#include "replication/topic_sync.hpp"

#include <spdlog/spdlog.h>

#include <atomic>

namespace k2k::replication {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

struct replication_worker::impl {
  config::pipeline_config cfg;
  std::atomic<stop_request> stop{stop_request::none};
  std::optional<error_info> fatal; // set only by fail(): the loop then stops

  replication_counters counters;
  partition_table partitions{cfg};
  // Before the clients: the consumer calls it until it is closed.
  rebalance_handler rebalance{cfg, partitions, stop, [this](auto e) { fail(std::move(e)); }};
  worker_clients clients;
  std::unique_ptr<source_consumer> source;
  std::unique_ptr<topic_sync> topics;
  std::unique_ptr<mapping_publisher> mappings;
  std::unique_ptr<delivery> mode;

  status_reporter status{counters, partitions, fatal};

  explicit impl(config::pipeline_config c) : cfg(std::move(c)) {}
  ~impl() {
    mode.reset();
    partitions.clear(); // their transactional producers before the shared clients
  }

  void fail(std::optional<error_info> e) {
    if (e && !fatal)
      fatal = std::move(e);
  }

  void start() {
    clients = worker_clients::make(cfg, &rebalance, &impl::on_delivery, this);
    source = std::make_unique<source_consumer>(
        clients.consumer.get(), counters,
        static_cast<uint64_t>(cfg.replicator.max_in_flight_records));
    topics =
        std::make_unique<topic_sync>(cfg, clients.source_admin.get(), clients.target_admin.get());
    mappings = std::make_unique<mapping_publisher>(
        cfg, counters, [this](const partition_state& s) { return source->position(s); });
    delivery_context ctx{cfg,
                         partitions,
                         counters,
                         *source,
                         *mappings,
                         clients.producer.get(),
                         stop,
                         fatal,
                         [this] { status.refresh(); },
                         &impl::on_delivery,
                         this};
    mode = cfg.features.exactly_once ? make_exactly_once(std::move(ctx))
                                     : make_at_least_once(std::move(ctx));
    rebalance.attach(*mode, *source);
    status.set_lag([this](const partition_state& s) { return source->lag(s); });
  }

  // ---- topics ---------------------------------------------------------------------

  void refresh_topics() {
    auto out = topics->refresh();
    if (!out)
      return fail(out.error());
    if (out->mapping_partitions > 0)
      partitions.set_mapping_partitions(out->mapping_partitions);
    // Target partitions first, then the source consumer's view: a new source partition is
    // assigned (after a rebalance) only once its target partition exists and is known.
    for (const auto& topic : out->grown) {
      kafka::learn_topic(clients.producer.get(), cfg.replication.sink.target_topic(topic), 10s);
      kafka::learn_topic(clients.consumer.get(), topic, 10s);
    }
    if (!out->subscribe)
      return;
    if (auto e = source->subscribe(*out->subscribe))
      return fail(error_info{ec::kafka_error, *e});
    if (out->subscribe->empty())
      spdlog::warn("replicate: no source topic matches; waiting for one to appear");
    else
      spdlog::info("replicate: subscribed to {} topic(s)", out->subscribe->size());
  }

  // ---- copying ----------------------------------------------------------------------

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    static_cast<impl*>(opaque)->delivered(*m);
  }

  // Runs inside the polls of the worker thread.
  void delivered(const rd_kafka_message_t& m) {
    std::unique_ptr<delivery_tag> tag{static_cast<delivery_tag*>(m._private)};
    auto& s = *tag->state;
    if (tag->generation != s.generation)
      return; // the partition was reset (rewind/revoke) since this was sent
    if (tag->mapping) {
      if (mappings->delivered(s, *tag, m))
        mode->mapping_confirmed(s, tag->source_next);
    } else if (record_delivered(s, *tag, m, counters)) {
      mode->record_confirmed(s, tag->bytes);
    }
  }

  void consume_cycle() {
    // Block only when nothing waits for a delivery report (served between cycles and every
    // 256 records within one) or for a commit.
    const int first_wait_ms = partitions.in_flight() > 0 || mode->busy() ? 1 : 100;
    rd_kafka_topic_t* last_topic = nullptr;
    int32_t last_partition = -1;
    partition_state* last_state = nullptr;
    for (int i = 0; i < cfg.replicator.batch_size && !fatal; ++i) {
      kafka::message_ptr m{
          rd_kafka_consumer_poll(clients.consumer.get(), i == 0 ? first_wait_ms : 0)};
      if (!m)
        return;
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
          spdlog::warn("replicate: source: {}", rd_kafka_message_errstr(m.get()));
        continue;
      }
      // Messages come in runs of one partition: look the state up once per run.
      if (m->rkt != last_topic || m->partition != last_partition) {
        last_state = partitions.find(rd_kafka_topic_name(m->rkt), m->partition);
        last_topic = m->rkt;
        last_partition = m->partition;
      }
      if (!last_state || !last_state->assigned)
        continue;
      auto& s = *last_state;
      if (s.sealed || !s.deferred.empty()) {
        s.deferred.push_back(std::move(m));
        continue;
      }
      if (auto e = copy(s, *m))
        return fail(e);
      // Serve delivery reports within a long cycle too: confirmed records free their
      // memory sooner and the producer's queue never backs up behind a whole batch.
      if (i % 256 == 255)
        rd_kafka_poll(mode->producer_for(s), 0);
    }
  }

  std::optional<error_info> copy(partition_state& s, const rd_kafka_message_t& m) {
    if (s.failure())
      return std::nullopt; // will be fetched again after the rewind
    source->note_gap(s, m.offset);
    if (auto e = mode->before_copy(s, m.offset))
      return e;
    copy_record(s, mode->producer_for(s), m, cfg, counters);
    return std::nullopt;
  }

  // The records that waited while their partition's batch was sealed, once it is committed.
  void copy_deferred() {
    for (auto* s : partitions.assigned()) {
      if (s->sealed || s->deferred.empty())
        continue;
      auto held = std::move(s->deferred);
      s->deferred.clear();
      for (auto& m : held)
        if (auto e = copy(*s, *m))
          return fail(e);
    }
  }

  // ---- the loop ---------------------------------------------------------------------

  std::optional<error_info> run() {
    try {
      start();
    } catch (const std::exception& e) {
      fail(error_info{ec::kafka_error, e.what()});
      status.publish(phase::failed);
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
    while (stop.load() == stop_request::none && !fatal) {
      if (clock::now() >= next_refresh) {
        refresh_topics();
        next_refresh = clock::now() + cfg.replicator.topic_refresh_interval;
        if (fatal)
          break;
      }
      if (!source->hold_for_backpressure(partitions.in_flight()))
        consume_cycle();
      else
        mode->wait_for_room();
      if (!fatal)
        fail(mode->settle());
      if (!fatal)
        copy_deferred();
      source->resume_backed_off(partitions.all());
      fail(clients.producer_failure());
      auto now = clock::now();
      if (now >= next_commit) {
        source->commit_checkpoints(partitions.assigned(), true);
        next_commit = now + 1s;
      }
      status.refresh();
      if (now >= next_report) {
        status.log_progress(now - last_report);
        last_report = now;
        next_report = now + cfg.replicator.report_interval;
      }
    }
    shutdown();
    return fatal;
  }

  void shutdown() {
    bool crash = stop.load() == stop_request::crash;
    const auto shutdown_deadline =
        std::chrono::steady_clock::now() + cfg.replicator.shutdown_timeout;
    status.publish(phase::stopping);
    rebalance.stopping_by(shutdown_deadline); // the close's revoke drains within it too
    if (crash) {
      // Like a crash: whatever is in flight never gets a mapping.
      mode->abandon();
      rd_kafka_purge(clients.producer.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      for (auto* s : partitions.all())
        s->reset();
      rd_kafka_flush(clients.producer.get(), 5000); // serves the purged reports, freeing tags
    } else {
      auto states = partitions.assigned();
      fail(mode->drain(states, shutdown_deadline));
      source->commit_checkpoints(states, false);
    }
    // Close while `this` is alive: the revoke callback runs inside.
    rd_kafka_consumer_close(clients.consumer.get());
    if (!crash) // what the drain left (mappings in flight), within the same shutdown timeout
      rd_kafka_flush(clients.producer.get(), ms_left(shutdown_deadline));
    rd_kafka_poll(clients.producer.get(), 0);
    status.publish(fatal ? phase::failed : phase::stopped);
    spdlog::info("replicate: stopped after {} records and {} mappings", counters.records.load(),
                 counters.mappings.load());
  }
};

replication_worker::replication_worker(config::pipeline_config cfg)
    : impl_(std::make_unique<impl>(std::move(cfg))) {}

replication_worker::~replication_worker() = default;

std::optional<error_info> replication_worker::run() {
  return impl_->run();
}

void replication_worker::stop() {
  auto expected = stop_request::none;
  impl_->stop.compare_exchange_strong(expected, stop_request::graceful);
}

void replication_worker::abort() {
  impl_->stop.store(stop_request::crash);
}

replication_status replication_worker::status() const {
  return impl_->status.board().latest();
}

bool replication_worker::wait_for_status(
    const std::function<bool(const replication_status&)>& condition,
    std::chrono::milliseconds timeout) const {
  return impl_->status.board().wait_for(condition, timeout);
}

} // namespace k2k::replication
