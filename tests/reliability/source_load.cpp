#include "reliability/source_load.hpp"

#include "kafka/client.hpp"
#include "kafka/group_client.hpp"

#include <spdlog/spdlog.h>

namespace k2k::reliability {

using namespace std::chrono_literals;

namespace {

struct delivery_counts {
  std::vector<std::atomic<int64_t>>* next;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err || !opaque)
    return;
  auto& next = (*static_cast<delivery_counts*>(opaque)->next)[m->partition];
  int64_t seen = next.load();
  while (m->offset + 1 > seen && !next.compare_exchange_weak(seen, m->offset + 1)) {
  }
}

} // namespace

source_load::source_load(load_options options) : o_(std::move(options)), delivered_(o_.partitions) {
  for (auto& d : delivered_)
    d = 0;
  history_.emplace_back(std::chrono::steady_clock::now(), group_commits{});
  producer_ = std::thread([this] { produce_loop(); });
  committer_ = std::thread([this] { commit_loop(); });
}

source_load::~source_load() {
  stop();
}

void source_load::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (producer_.joinable())
    producer_.join();
  if (committer_.joinable())
    committer_.join();
}

void source_load::produce_loop() {
  delivery_counts counts{&delivered_};
  auto source = kafka::make_producer({{"bootstrap.servers", o_.source_bootstrap},
                                      {"enable.idempotence", "true"},
                                      {"message.timeout.ms", "0"}, // never give a record up
                                      {"linger.ms", "5"}},
                                     on_delivery, &counts);
  auto foreign = kafka::make_producer({{"bootstrap.servers", o_.target_bootstrap},
                                       {"message.timeout.ms", "0"},
                                       {"linger.ms", "5"}});
  std::mt19937_64 rng{o_.seed};
  const auto tick = 20ms;
  const int per_tick = std::max(1, o_.records_per_second / 50);
  int64_t n = 0;
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    for (int i = 0; i < per_tick; ++i, ++n) {
      auto key = "k" + std::to_string(n);
      auto value = "v" + std::to_string(n) + "-" + std::to_string(rng());
      rd_kafka_producev(source.get(), RD_KAFKA_V_TOPIC(o_.topic.c_str()),
                        RD_KAFKA_V_PARTITION(static_cast<int32_t>(n % o_.partitions)),
                        RD_KAFKA_V_KEY(key.data(), key.size()),
                        RD_KAFKA_V_VALUE(value.data(), value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    if (rng() % 25 == 0) { // now and then a record of another writer on a target partition
      std::string value = "foreign-" + std::to_string(n);
      rd_kafka_producev(foreign.get(), RD_KAFKA_V_TOPIC(o_.topic.c_str()),
                        RD_KAFKA_V_PARTITION(static_cast<int32_t>(rng() % o_.partitions)),
                        RD_KAFKA_V_VALUE(value.data(), value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    rd_kafka_poll(source.get(), 0);
    rd_kafka_poll(foreign.get(), 0);
    lock.lock();
    wake_.wait_for(lock, tick, [this] { return stopping_; }); // the production rate
  }
  lock.unlock();
  // Everything produced is delivered before the scenario goes quiet (no timeout: a record
  // the producer gave up would be a record the audit could not account for).
  while (rd_kafka_flush(source.get(), 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT)
    spdlog::info("reliability: flushing the source producer");
  while (rd_kafka_flush(foreign.get(), 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT)
    spdlog::info("reliability: flushing the foreign writer");
}

void source_load::commit_loop() {
  kafka::group_client_pool clients{{{"bootstrap.servers", o_.source_bootstrap}}};
  std::mt19937_64 rng{o_.seed ^ 0x5eedULL};
  group_commits committed;
  // A write that failed may still have been applied: it is repeated as it was until it
  // succeeds, so an application's commits never move back on source.
  std::map<std::string, std::map<kafka::topic_partition, kafka::committed_offset>> unsure;
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    for (const auto& group : o_.groups) {
      auto& next = unsure[group];
      if (next.empty())
        for (int32_t p = 0; p < o_.partitions; ++p) {
          kafka::topic_partition tp{o_.topic, p};
          int64_t current = committed[group].count(tp) ? committed[group][tp] : 0;
          int64_t end = delivered_[p].load();
          auto dice = rng() % 10;
          int64_t step = static_cast<int64_t>(rng() % 300);
          int64_t wanted = dice < 3 ? current : dice < 4 ? end : std::min(end, current + step);
          next[tp] = {std::max(current, wanted), ""}; // idle, caught up, or reading on
        }
      auto written = clients[group].commit(next, std::chrono::steady_clock::now() + 30s);
      bool all = static_cast<bool>(written);
      if (written)
        for (const auto& [tp, outcome] : *written)
          all = all && outcome.error == RD_KAFKA_RESP_ERR_NO_ERROR;
      if (!all) // an injected error or a broker down: the application retries
        continue;
      for (const auto& [tp, c] : next)
        committed[group][tp] = c.offset;
      next.clear();
      ++commits_;
    }
    lock.lock();
    history_.emplace_back(std::chrono::steady_clock::now(), committed);
    wake_.wait_for(lock, 250ms, [this] { return stopping_; }); // the applications' commit interval
  }
}

group_commits source_load::commits_as_of(std::chrono::steady_clock::time_point when) const {
  std::lock_guard lock{mutex_};
  const group_commits* found = &history_.front().second;
  for (const auto& [t, c] : history_)
    if (t <= when)
      found = &c;
  return *found;
}

int64_t source_load::produced() const {
  int64_t n = 0;
  for (const auto& d : delivered_)
    n += d.load();
  return n;
}

} // namespace k2k::reliability
