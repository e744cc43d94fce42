// Exactly-once delivery, shaped like librdkafka's examples/transactions.c: a transactional
// producer per source partition; a batch (what one partition took since its last commit)
// and its mapping record are committed in one transaction. A batch that cannot commit is
// aborted and the partition rewound to its first record, so no copy becomes visible twice.
// A batch is committed once its records are all reported, on a pool (parallel_steps), while
// the worker copies other partitions; a drain's flushes and commits are made at once. Reports
// that come inside the pool's calls are served under one lock.
#include "replication/delivery.hpp"
#include "replication/parallel_steps.hpp"

#include "core/client_ids.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <optional>

namespace k2k::replication {

namespace {

using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long a batch fed without pause stays open: as Kafka Streams' exactly-once
// commit.interval.ms. A batch whose records are all reported commits at the next settle.
constexpr auto batch_age_limit = 100ms;

// The producer was fenced: a newer producer of the same transactional id (another worker
// that owns the partition now) exists.
bool fenced(const rd_kafka_error_t* err) {
  auto code = rd_kafka_error_code(err);
  return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
}

// Steps over several partitions go on past an error; the first one is what is returned.
void keep_first(std::optional<error_info>& first, std::optional<error_info> e) {
  if (e && !first)
    first = std::move(e);
}

error_info txn_error(const std::string& what, const partition_state& s,
                     const rd_kafka_error_t* err) {
  return {ec::kafka_error,
          what + " " + kafka::describe(s.topic, s.partition) + ": " + rd_kafka_error_string(err)};
}

class exactly_once final : public delivery {
  struct pending_commit {
    core::mapping_record mapping;
    kafka::error_ptr error; // set by the step
    std::future<void> done;
  };

public:
  explicit exactly_once(delivery_context ctx) : ctx_(std::move(ctx)) {}

  rd_kafka_t* producer_for(partition_state& s) override { return s.txn_producer.get(); }

  // The partitions' producers start at once: each start waits for the coordinator twice.
  std::optional<error_info> open(const std::vector<partition_state*>& states) override {
    std::vector<std::optional<error_info>> opened(states.size());
    steps_.run(
        states.size(), [&](size_t i) { opened[i] = open_one(*states[i]); },
        [this] { refresh_status(); });
    for (auto& e : opened)
      if (e)
        return e;
    return std::nullopt;
  }

  std::optional<error_info> before_copy(partition_state& s, int64_t offset) override {
    if (s.in_transaction)
      return std::nullopt;
    if (kafka::error_ptr err{rd_kafka_begin_transaction(s.txn_producer.get())})
      return txn_error("cannot begin a transaction for", s, err.get());
    s.in_transaction = true;
    s.batch_first = offset;
    s.batch_opened = clock::now();
    return std::nullopt;
  }

  void record_confirmed(partition_state& s, size_t bytes) override {
    ++s.batch_records;
    s.batch_bytes += bytes;
  }

  void mapping_confirmed(partition_state&, int64_t) override {} // counted at the commit

  // Commits, in the background, each batch whose records are all reported; a batch fed
  // for batch_age_limit is sealed, and committed once its reports are in. The worker copies
  // meanwhile: a sealed partition's records wait (partition_state::deferred).
  std::optional<error_info> settle() override {
    auto first_error = finish_ended_commits();
    auto now = clock::now();
    auto assigned = ctx_.partitions.assigned();
    for (auto* s : assigned) {
      if (ctx_.fatal) // set by a commit or abort just above: the worker stops
        break;
      if (!s->in_transaction || committing_.count(s))
        continue;
      rd_kafka_poll(s->txn_producer.get(), 0);
      if (rd_kafka_outq_len(s->txn_producer.get()) == 0)
        keep_first(first_error, start_commit(*s, assigned.size()));
      else if (now - s->batch_opened >= batch_age_limit)
        s->sealed = true;
    }
    return first_error;
  }

  // Too much is in flight: the oldest batch not committing gets its reports (settle()
  // commits it next); with only commits under way (the records held are deferred), one of
  // them gets a moment to end.
  void wait_for_room() override {
    partition_state* oldest = nullptr;
    for (auto* s : ctx_.partitions.assigned())
      if (s->in_transaction && !committing_.count(s) &&
          (!oldest || s->batch_opened < oldest->batch_opened))
        oldest = s;
    if (oldest)
      steps_.run(
          1, [&](size_t) { await_delivery_reports(*oldest); }, [this] { refresh_status(); });
    else if (!committing_.empty())
      committing_.begin()->second.done.wait_for(std::chrono::milliseconds(10));
  }

  bool busy() const override { return !committing_.empty(); }

  std::optional<error_info> drain(const std::vector<partition_state*>& states,
                                  clock::time_point deadline) override {
    {
      auto until = giving_up_until().value_or(deadline);
      std::lock_guard<std::mutex> guard(deadline_lock_);
      drain_deadline_ = until;
    }
    auto first_error = finish_commits_of(states);
    keep_first(first_error, commit_transactions(states));
    std::lock_guard<std::mutex> guard(deadline_lock_);
    drain_deadline_.reset();
    return first_error;
  }

  // The partition goes: a commit still under way ends first (what it made visible, its
  // mapping names).
  void close(partition_state& s) override {
    forget_commit_of(s);
    s.txn_producer.reset();
  }

  void abandon() override {
    for (auto* s : ctx_.partitions.all()) {
      forget_commit_of(*s);
      s->txn_producer.reset();
    }
  }

  ~exactly_once() override {
    for (auto& [s, commit] : committing_)
      commit.done.wait(); // it uses the partition's producer and its entry here
  }

private:
  // The transactional id is stable across restarts and workers, so the next owner's
  // init_transactions fences a zombie and aborts its open transaction before the
  // checkpoint is read. The id's older form is fenced the same way first: a worker of an
  // older version may still hold the partition's open transaction under it.
  std::optional<error_info> open_one(partition_state& s) {
    if (s.txn_producer)
      return std::nullopt;
    const auto& pipeline = ctx_.cfg.name;
    if (auto e = fence(s, core::legacy_transactional_id(pipeline, s.topic, s.partition)))
      return e;
    auto id = core::transactional_id(pipeline, s.topic, s.partition);
    s.txn_producer = transactional_producer(id);
    if (auto err = init_transactions(s.txn_producer.get(), id))
      return txn_error("cannot start the transactional producer for", s, err.get());
    // A new producer learns a topic's leaders only at its next topic scan, up to a second
    // after its first record for it: the data and the mapping topic made every partition's
    // first transaction take two seconds, one partition after another (30 s of crawling
    // before full speed on 24 partitions, bench/REPORT.md section mm2). A failed lookup
    // costs only that wait.
    kafka::learn_topic(s.txn_producer.get(), ctx_.cfg.replication.sink.target_topic(s.topic),
                       std::chrono::seconds(1));
    if (ctx_.cfg.features.offset_mapping)
      kafka::learn_topic(s.txn_producer.get(), ctx_.cfg.offset_mapping.topic,
                         std::chrono::seconds(1));
    return std::nullopt;
  }

  kafka::handle_ptr transactional_producer(const std::string& id) {
    auto props = ctx_.cfg.target.kafka.for_producer();
    props["transactional.id"] = id;
    props["enable.idempotence"] = "true";
    return kafka::make_producer(props, &exactly_once::on_delivery, this);
  }

  // Reports come inside the polls of the pool's threads too (parallel_steps): each touches
  // only its own partition's state, and the lock keeps them off the status refresh.
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque) {
    auto& self = *static_cast<exactly_once*>(opaque);
    std::lock_guard<std::mutex> guard(self.reports_lock_);
    self.ctx_.on_delivery(rk, m, self.ctx_.delivery_opaque);
  }

  void refresh_status() {
    std::lock_guard<std::mutex> guard(reports_lock_);
    ctx_.refresh_status();
  }

  // init_transactions under `id`, then the producer goes: what was open under it is aborted
  // and its older holder fenced.
  std::optional<error_info> fence(const partition_state& s, const std::string& id) {
    auto producer = transactional_producer(id);
    if (auto err = init_transactions(producer.get(), id))
      return txn_error("cannot fence the transactional id " + id + " of", s, err.get());
    return std::nullopt;
  }

  // init_transactions until it succeeds, fails for good or the worker stops. A call that
  // times out (a coordinator still loading, a slow link) is retriable: librdkafka goes on in
  // the background and the next call resumes it. It stopped the worker before (seen on
  // librdkafka 2.14.2's mock when one call may block 500 ms).
  kafka::error_ptr init_transactions(rd_kafka_t* producer, const std::string& id) {
    for (;;) {
      kafka::error_ptr err{rd_kafka_init_transactions(producer, timeout_ms())};
      if (!err || !rd_kafka_error_is_retriable(err.get()) || ctx_.stop.load() != stop_request::none)
        return err;
      spdlog::warn("replicate: transactional id {}: {}; retrying", id,
                   rd_kafka_error_string(err.get()));
    }
  }

  int timeout_ms() const { return static_cast<int>(ctx_.cfg.replicator.shutdown_timeout.count()); }
  // Giving partitions up (a graceful stop, a revoke's drain): one deadline that every step
  // shares, so that a target that does not answer costs the shutdown timeout once, not once
  // per partition and step; a transaction still open then is left to the next owner.
  std::optional<clock::time_point> giving_up_until() {
    std::lock_guard<std::mutex> guard(deadline_lock_); // the pool's steps ask too
    if (drain_deadline_)
      return drain_deadline_;
    if (ctx_.stop.load() != stop_request::graceful)
      return std::nullopt;
    if (!stop_deadline_)
      stop_deadline_ = clock::now() + ctx_.cfg.replicator.shutdown_timeout;
    return stop_deadline_;
  }
  // How long a step may still take: what is left while giving up, else the shutdown timeout.
  clock::time_point step_deadline() {
    return giving_up_until().value_or(clock::now() + ctx_.cfg.replicator.shutdown_timeout);
  }
  int step_timeout_ms() { return ms_left(step_deadline()); }
  bool bounded() { return giving_up_until() || crashing(); }
  bool crashing() const { return ctx_.stop.load() == stop_request::crash; }

  // The batch's records are all reported: its mapping is produced here (the publisher is
  // shared) and its commit made on the pool, `assigned` partitions wide at most.
  std::optional<error_info> start_commit(partition_state& s, size_t assigned) {
    s.sealed = true;
    auto rec = batch_mapping(s);
    if (!rec)
      return abort_transaction_and_rewind(s, nullptr);
    auto& commit = committing_[&s];
    commit.mapping = std::move(*rec);
    commit.done =
        steps_.start([this, &s, &commit] { commit.error = end_transaction(s); }, assigned);
    return std::nullopt;
  }

  std::optional<error_info> finish_ended_commits() {
    std::optional<error_info> first_error;
    for (auto it = committing_.begin(); it != committing_.end();) {
      if (it->second.done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      keep_first(first_error, finish_commit(it++));
    }
    return first_error;
  }

  std::optional<error_info> finish_commits_of(const std::vector<partition_state*>& states) {
    std::optional<error_info> first_error;
    for (auto* s : states) {
      auto it = committing_.find(s);
      if (it == committing_.end())
        continue;
      while (it->second.done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        refresh_status();
      keep_first(first_error, finish_commit(it));
    }
    return first_error;
  }

  std::optional<error_info> finish_commit(std::map<partition_state*, pending_commit>::iterator it) {
    auto& s = *it->first;
    auto rec = std::move(it->second.mapping);
    auto err = std::move(it->second.error);
    it->second.done.get(); // what the step threw, if anything
    committing_.erase(it);
    if (crashing())
      return std::nullopt; // the transaction stays open or committed; the next owner sees which
    return transaction_ended(s, rec, err.get());
  }

  // Waits for the partition's commit, if one is under way, and drops its result.
  void forget_commit_of(partition_state& s) {
    auto it = committing_.find(&s);
    if (it == committing_.end())
      return;
    it->second.done.wait();
    committing_.erase(it);
  }

  // Data and mapping of each open batch become visible together, or not at all. Every step
  // that waits for the target is made for all partitions at once.
  std::optional<error_info> commit_transactions(const std::vector<partition_state*>& states) {
    std::vector<partition_state*> open;
    for (auto* s : states)
      if (s->in_transaction)
        open.push_back(s);
    if (open.empty() || ctx_.fatal)
      return std::nullopt;
    auto refresh = [this] { refresh_status(); };
    steps_.run(
        open.size(), [&](size_t i) { await_delivery_reports(*open[i]); }, refresh);
    if (crashing())
      return std::nullopt; // the transactions stay open; the next owner aborts them
    // The mapping publisher is shared: this thread produces every batch's mapping.
    std::vector<std::optional<core::mapping_record>> mappings(open.size());
    for (size_t i = 0; i < open.size(); ++i)
      mappings[i] = batch_mapping(*open[i]);
    std::vector<kafka::error_ptr> ended(open.size());
    steps_.run(
        open.size(),
        [&](size_t i) {
          if (mappings[i])
            ended[i] = end_transaction(*open[i]);
        },
        refresh);
    if (crashing())
      return std::nullopt;
    std::optional<error_info> first_error;
    for (size_t i = 0; i < open.size(); ++i)
      keep_first(first_error, transaction_ended(*open[i], mappings[i], ended[i].get()));
    return first_error;
  }

  // `rec`: the batch's mapping (nullopt: the batch was not complete); `err`: why its commit
  // failed.
  std::optional<error_info> transaction_ended(partition_state& s,
                                              const std::optional<core::mapping_record>& rec,
                                              const rd_kafka_error_t* err) {
    if (!rec)
      return abort_transaction_and_rewind(s, nullptr);
    if (!err) {
      batch_committed(s, *rec);
      return std::nullopt;
    }
    if (rd_kafka_error_is_fatal(err))
      return error_info{ec::kafka_error,
                        "exactly-once producer for " + kafka::describe(s.topic, s.partition) +
                            " failed (fenced by another worker?): " + rd_kafka_error_string(err)};
    return abort_transaction_and_rewind(s, err);
  }

  // Delivery reports give the target offsets. A slow target only delays the batch
  // (message.timeout.ms, which librdkafka keeps within transaction.timeout.ms, turns a
  // lost record into a failed report); a stopping worker waits its shutdown timeout.
  void await_delivery_reports(partition_state& s) {
    auto* p = s.txn_producer.get();
    auto deadline = step_deadline();
    while (rd_kafka_outq_len(p) > 0 && !crashing() && (!bounded() || clock::now() < deadline))
      rd_kafka_flush(p, 100);
  }

  // The batch's mapping record, produced into the transaction; nullopt when the batch has a
  // failed or unconfirmed record (or its mapping could not be produced): it must abort.
  std::optional<core::mapping_record> batch_mapping(partition_state& s) {
    if (s.outstanding != 0 || s.failure())
      return std::nullopt;
    auto prefix = s.progress.take_confirmed_prefix();
    if (!prefix || s.progress.in_flight() != 0)
      return std::nullopt;
    auto rec = ctx_.mappings.mapping_for(s, std::move(*prefix));
    if (ctx_.cfg.features.offset_mapping && !ctx_.mappings.produce(s, s.txn_producer.get(), rec))
      return std::nullopt;
    return rec;
  }

  // A retriable error (a timeout, the coordinator moving) leaves the commit going on in the
  // background: committing again resumes it rather than throwing the batch away. librdkafka
  // turns it into an abortable error once transaction.timeout.ms has passed; a stopping
  // worker retries only for its shutdown timeout.
  kafka::error_ptr end_transaction(partition_state& s) {
    auto retry_until = step_deadline();
    kafka::error_ptr err;
    for (int attempt = 1;; ++attempt) {
      err.reset(rd_kafka_commit_transaction(
          s.txn_producer.get(), bounded() ? std::max(1, step_timeout_ms()) : timeout_ms()));
      if (!err || !rd_kafka_error_is_retriable(err.get()) || crashing() ||
          (bounded() && clock::now() >= retry_until))
        return err;
      spdlog::warn("replicate: committing the transaction of {} (attempt {}): {}: retrying",
                   kafka::describe(s.topic, s.partition), attempt,
                   rd_kafka_error_string(err.get()));
    }
  }

  void batch_committed(partition_state& s, const core::mapping_record& rec) {
    s.confirm(rec.source_next.value);
    ctx_.counters.records += s.batch_records;
    ctx_.counters.bytes += s.batch_bytes;
    if (ctx_.cfg.features.offset_mapping)
      ++ctx_.counters.mappings;
    s.start_next_batch();
  }

  // `err`: why the commit failed (nullptr: a record was not delivered).
  std::optional<error_info> abort_transaction_and_rewind(partition_state& s,
                                                         const rd_kafka_error_t* err) {
    bool giving_up = giving_up_until().has_value();
    if (giving_up && step_timeout_ms() == 0)
      return leave_open(s, "no time left to abort it");
    spdlog::warn("replicate: aborting the transaction of {} (source offsets {}..{}): {}",
                 kafka::describe(s.topic, s.partition), s.batch_first, s.next_offset - 1,
                 err ? rd_kafka_error_string(err) : "a record was not delivered");
    if (kafka::error_ptr abort_err{rd_kafka_abort_transaction(
            s.txn_producer.get(), giving_up ? step_timeout_ms() : timeout_ms())}) {
      // Another worker owns the partition now: stop, even while giving the partition up (a
      // zombie whose session expired learns it here, and must not rejoin as a live worker).
      if (fenced(abort_err.get()))
        return txn_error("cannot abort the transaction of", s, abort_err.get());
      if (giving_up)
        return leave_open(s, rd_kafka_error_string(abort_err.get()));
      // This producer cannot go on (seen on real Kafka after the coordinator was frozen past
      // transaction.timeout.ms and aborted the transaction itself): a new one takes over, its
      // init_transactions aborting whatever is still open under the id.
      spdlog::warn("replicate: cannot abort the transaction of {}: {}; starting a new "
                   "transactional producer for it",
                   kafka::describe(s.topic, s.partition), rd_kafka_error_string(abort_err.get()));
      close(s);
      if (auto e = open_one(s))
        return e;
    }
    ++ctx_.counters.aborted_transactions;
    auto first = s.batch_first;
    s.reset();
    ctx_.source.rewind(s, first);
    return std::nullopt;
  }

  // The partition is given up with its transaction still open (the target did not answer in
  // time): nothing of it becomes visible, and the partition's next owner aborts it when its
  // init_transactions fences this producer; it resumes from the last committed mapping.
  std::optional<error_info> leave_open(partition_state& s, const std::string& why) {
    spdlog::warn("replicate: leaving the transaction of {} (source offsets {}..{}) open: {}; "
                 "the partition's next owner aborts it",
                 kafka::describe(s.topic, s.partition), s.batch_first, s.next_offset - 1, why);
    s.reset();
    return std::nullopt;
  }

  delivery_context ctx_;
  parallel_steps steps_;
  std::map<partition_state*, pending_commit> committing_; // commits under way, on the pool
  std::mutex reports_lock_;
  std::mutex deadline_lock_;
  std::optional<clock::time_point> drain_deadline_; // while draining
  std::optional<clock::time_point> stop_deadline_;  // from the first step after a graceful stop
};

} // namespace

std::unique_ptr<delivery> make_exactly_once(delivery_context ctx) {
  return std::make_unique<exactly_once>(std::move(ctx));
}

} // namespace k2k::replication
