#include "replication/worker.hpp"

#include "core/backpressure.hpp"
#include "core/client_ids.hpp"
#include "replication/checkpoint_reader.hpp"
#include "replication/clients.hpp"
#include "replication/delivery.hpp"
#include "replication/record_copy.hpp"
#include "replication/status_board.hpp"
#include "replication/topic_sync.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <map>

namespace k2k::replication {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

struct replication_worker::impl : kafka::rebalance_listener {
  config::pipeline_config cfg;
  std::atomic<stop_request> stop{stop_request::none};
  std::optional<error_info> fatal; // set only by fail(): the loop then stops

  replication_counters counters;
  partition_table partitions{cfg};
  worker_clients clients;
  std::unique_ptr<source_consumer> source;
  std::unique_ptr<topic_sync> topics;
  std::unique_ptr<mapping_publisher> mappings;
  std::unique_ptr<delivery> mode;
  core::backpressure backpressure{static_cast<uint64_t>(cfg.replicator.max_in_flight_records)};
  bool paused_for_backpressure = false;

  status_board board;
  clock::time_point next_snapshot = clock::now();
  uint64_t records_at_last_report = 0, bytes_at_last_report = 0;

  explicit impl(config::pipeline_config c) : cfg(std::move(c)) {}
  ~impl() override {
    mode.reset();
    partitions.clear(); // their transactional producers before the shared clients
  }

  void fail(std::optional<error_info> e) {
    if (e && !fatal)
      fatal = std::move(e);
  }

  void start() {
    clients = worker_clients::make(cfg, this, &impl::on_delivery, this);
    source = std::make_unique<source_consumer>(clients.consumer.get(), counters);
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
                         [this] { refresh_snapshot(); },
                         &impl::on_delivery,
                         this};
    mode = cfg.features.exactly_once ? make_exactly_once(std::move(ctx))
                                     : make_at_least_once(std::move(ctx));
  }

  // ---- topics and rebalances -------------------------------------------------------

  void refresh_topics() {
    auto out = topics->refresh();
    if (!out)
      return fail(out.error());
    if (out->mapping_partitions > 0)
      partitions.set_mapping_partitions(out->mapping_partitions);
    if (!out->subscribe)
      return;
    if (auto e = source->subscribe(*out->subscribe))
      return fail(error_info{ec::kafka_error, *e});
    if (out->subscribe->empty())
      spdlog::warn("replicate: no source topic matches; waiting for one to appear");
    else
      spdlog::info("replicate: subscribed to {} topic(s)", out->subscribe->size());
  }

  void on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    std::vector<partition_state*> states;
    for (int i = 0; i < parts->cnt; ++i) {
      auto& s = partitions.state_of(parts->elems[i].topic, parts->elems[i].partition);
      s.reset();
      s.assigned = true;
      s.next_offset = -1;
      s.checkpoint = -1;
      states.push_back(&s);
    }
    for (auto* s : states)
      if (auto e = mode->open(*s))
        return fail(e); // the loop stops
    auto checkpoints = read_resume_points(states);
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
        auto props = cfg.source.kafka.for_consumer();
        spdlog::info("replicate: {} starts from the committed offset or {}",
                     kafka::describe(s.topic, s.partition),
                     props.count("auto.offset.reset") ? props.at("auto.offset.reset") : "earliest");
      }
    }
    rd_kafka_assign(rk, parts);
  }

  // mapping key -> the checkpoint (src_next) this pipeline published for it.
  std::map<std::string, int64_t> read_resume_points(const std::vector<partition_state*>& states) {
    if (!cfg.features.offset_mapping || partitions.mapping_partitions() <= 0)
      return {};
    checkpoint_request wanted;
    for (auto* s : states)
      wanted[s->mapping_partition].insert(s->mapping_key);
    auto props = cfg.target.kafka.for_consumer();
    props["group.id"] = core::checkpoint_reader_group_id(cfg.name);
    auto found = read_checkpoints(props, cfg.offset_mapping.topic, cfg.name, std::move(wanted));
    if (found)
      return std::move(found.value());
    // Without its checkpoint a partition could be replicated twice or skipped; stop rather
    // than guess.
    fail(error_info{found.error().code, "cannot read checkpoints: " + found.error().message});
    return {};
  }

  void on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override {
    std::vector<partition_state*> states;
    for (int i = 0; i < parts->cnt; ++i)
      states.push_back(&partitions.state_of(parts->elems[i].topic, parts->elems[i].partition));
    if (stop.load() != stop_request::crash)
      fail(mode->drain(states, cfg.replicator.shutdown_timeout));
    source->commit_checkpoints(states, false);
    for (auto* s : states) {
      s->assigned = false;
      s->reset();
      mode->close(*s);
    }
    rd_kafka_assign(rk, nullptr);
    spdlog::info("replicate: released {} partition(s)", states.size());
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
    // 256 records within one).
    const int first_wait_ms = partitions.in_flight() > 0 ? 1 : 100;
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
      if (s.failure())
        continue; // will be fetched again after the rewind
      if (auto e = mode->before_copy(s, m->offset))
        return fail(e);
      copy_record(s, mode->producer_for(s), *m, cfg, counters);
      // Serve delivery reports within a long cycle too: confirmed records free their
      // memory sooner and the producer's queue never backs up behind a whole batch.
      if (i % 256 == 255)
        rd_kafka_poll(mode->producer_for(s), 0);
    }
  }

  // True: take nothing from the source in this cycle (core/backpressure.hpp).
  bool hold_source() {
    using action = core::backpressure::action;
    switch (backpressure.decide(partitions.in_flight(), paused_for_backpressure, clock::now())) {
    case action::consume:
      return false;
    case action::hold:
      return true;
    case action::pause:
    case action::resume: {
      bool pause = !paused_for_backpressure;
      if (source->pause_all(pause))
        paused_for_backpressure = pause;
      return false;
    }
    }
    return false;
  }

  // ---- status -----------------------------------------------------------------------

  void update_snapshot(phase state) {
    replication_status st;
    st.state = state;
    st.records = counters.records;
    st.bytes = counters.bytes;
    st.mappings = counters.mappings;
    st.delivery_errors = counters.delivery_errors;
    st.rewinds = counters.rewinds;
    st.aborted_transactions = counters.aborted_transactions;
    st.in_flight = partitions.in_flight();
    for (auto* s : partitions.assigned())
      st.partitions.push_back(
          {s->topic, s->partition, s->next_offset, s->checkpoint, source->lag(*s)});
    if (fatal)
      st.error = fatal->message;
    board.publish(std::move(st));
  }

  // A few times a second, also from inside long waits, so status() stays current.
  void refresh_snapshot() {
    auto now = clock::now();
    if (now < next_snapshot)
      return;
    update_snapshot(phase::running);
    next_snapshot = now + 100ms;
  }

  void report(std::chrono::duration<double> elapsed) {
    auto snapshot = board.latest();
    std::string lag;
    int shown = 0;
    for (const auto& p : snapshot.partitions)
      if (p.lag > 0 && shown++ < 16)
        lag += " " + kafka::describe(p.topic, p.partition) + "=" + std::to_string(p.lag);
    auto r = counters.records.load(), b = counters.bytes.load();
    spdlog::info(
        "replicate: {} records ({:.0f}/s, {:.1f} KiB/s), {} mappings, {} in flight, lag:{}", r,
        (r - records_at_last_report) / elapsed.count(),
        (b - bytes_at_last_report) / 1024.0 / elapsed.count(), counters.mappings.load(),
        snapshot.in_flight, lag.empty() ? " none" : lag);
    records_at_last_report = r;
    bytes_at_last_report = b;
  }

  // ---- the loop ---------------------------------------------------------------------

  std::optional<error_info> run() {
    try {
      start();
    } catch (const std::exception& e) {
      fail(error_info{ec::kafka_error, e.what()});
      update_snapshot(phase::failed);
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
      if (!hold_source())
        consume_cycle();
      else
        mode->wait_for_room();
      if (!fatal)
        fail(mode->settle());
      source->resume_backed_off(partitions.all());
      fail(fatal_producer_error());
      auto now = clock::now();
      if (now >= next_commit) {
        source->commit_checkpoints(partitions.assigned(), true);
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

  std::optional<error_info> fatal_producer_error() {
    char reason[512];
    if (auto e = rd_kafka_fatal_error(clients.producer.get(), reason, sizeof reason))
      return error_info{ec::kafka_error, std::string{"target producer failed: "} + reason + " (" +
                                             rd_kafka_err2name(e) + ")"};
    return std::nullopt;
  }

  void shutdown() {
    bool crash = stop.load() == stop_request::crash;
    update_snapshot(phase::stopping);
    if (crash) {
      // Like a crash: whatever is in flight never gets a mapping.
      mode->abandon();
      rd_kafka_purge(clients.producer.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      for (auto* s : partitions.all())
        s->reset();
      rd_kafka_flush(clients.producer.get(), 5000); // serves the purged reports, freeing tags
    } else {
      auto states = partitions.assigned();
      fail(mode->drain(states, cfg.replicator.shutdown_timeout));
      source->commit_checkpoints(states, false);
    }
    // Close while `this` is alive: the revoke callback runs inside.
    rd_kafka_consumer_close(clients.consumer.get());
    if (!crash)
      rd_kafka_flush(clients.producer.get(),
                     static_cast<int>(cfg.replicator.shutdown_timeout.count()));
    rd_kafka_poll(clients.producer.get(), 0);
    update_snapshot(fatal ? phase::failed : phase::stopped);
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
  return impl_->board.latest();
}

bool replication_worker::wait_for_status(
    const std::function<bool(const replication_status&)>& condition,
    std::chrono::milliseconds timeout) const {
  return impl_->board.wait_for(condition, timeout);
}

} // namespace k2k::replication
