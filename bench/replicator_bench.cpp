// Replicator throughput on one mock source + one mock target, all in one run:
//   (a) raw librdkafka consume -> produce loop, no headers, no mappings (the limit)
//   (b) `kcat -C | kcat -P`, if kcat is installed
//   (c) k2k replicate with tracing headers and offset mappings
//   (d) the same with exactly-once
// Prints records/s (median of interleaved rounds) and the ratios c/a, c/b, d/a. Not a test:
// machines are noisy, so only ratios within one run mean anything.
#include "bench/median.hpp"
#include "config/load.hpp"
#include "kafka/client.hpp"
#include "kafka/mock_cluster.hpp"
#include "replication/worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace k2k;
using clock_type = std::chrono::steady_clock;

namespace {

// Source partitions (fifth argument). librdkafka's mock keeps about 5 MB per partition, so more
// partitions are what lets a run hold enough records to time a fast replicator.
int partitions = 32;

// Steady-state rate: records between 10% and 90% done over the time between them, so
// start-up (group join, first fetch) and the tail do not dominate.
struct steady_window {
  int64_t total;
  clock_type::time_point t10{}, t90{};
  bool has10 = false, has90 = false;
  void observe(int64_t done) {
    if (!has10 && done >= total / 10) {
      t10 = clock_type::now();
      has10 = true;
    }
    if (!has90 && done >= total * 9 / 10) {
      t90 = clock_type::now();
      has90 = true;
    }
  }
  // 0 (reported as unmeasured) when the window is too short for the 100 ms resolution of
  // the k2k status: more records are needed then.
  double rate() const {
    auto seconds = std::chrono::duration<double>(t90 - t10).count();
    return has90 && seconds >= 0.5 ? (total * 8 / 10) / seconds : 0;
  }
};

void preload(const std::string& bootstrap, const std::string& topic, int64_t records,
             size_t value_size) {
  auto producer = kafka::make_producer({{"bootstrap.servers", bootstrap}, {"linger.ms", "20"}});
  std::string value(value_size, 'x');
  for (int64_t i = 0; i < records; ++i) {
    auto key = "key-" + std::to_string(i);
    while (rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                             RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % partitions)),
                             RD_KAFKA_V_KEY(key.data(), key.size()),
                             RD_KAFKA_V_VALUE(value.data(), value.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(producer.get(), 10);
  }
  rd_kafka_flush(producer.get(), 120000);
}

// (a) the simplest correct-enough loop: assign, consume, produce, flush.
// With `headers`, it also adds the five tracing headers (no mappings, no progress
// tracking), to separate what the headers cost on the wire from what k2k's bookkeeping costs.
// With `prefetch`, its consumer is configured as k2k's source consumer is by default
// (queued.min.messages): the same loop with the client tuning k2k does.
double raw_loop(const kafka::mock_cluster& src, const kafka::mock_cluster& tgt, int64_t records,
                bool headers, const std::string& target_topic, bool prefetch = false) {
  kafka::properties consumer_props{{"bootstrap.servers", src.bootstrap_servers()},
                                   {"group.id", "bench-raw"},
                                   {"enable.auto.commit", "false"}};
  if (prefetch)
    consumer_props["queued.min.messages"] = kafka::backlog_queued_min_messages;
  auto consumer = kafka::make_consumer(consumer_props);
  auto producer = kafka::make_producer({{"bootstrap.servers", tgt.bootstrap_servers()},
                                        {"linger.ms", "5"},
                                        {"enable.idempotence", "true"}});
  kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(partitions)};
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), "bench", p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer.get(), list.get());
  int64_t seen = 0;
  steady_window window{records};
  while (seen < records) {
    window.observe(seen - rd_kafka_outq_len(producer.get())); // delivered so far
    kafka::message_ptr m{rd_kafka_consumer_poll(consumer.get(), 100)};
    rd_kafka_poll(producer.get(), 0);
    if (m && m->err)
      std::cerr << "raw loop: " << rd_kafka_message_errstr(m.get()) << "\n";
    if (!m || m->err)
      continue;
    ++seen;
    rd_kafka_headers_t* h = rd_kafka_headers_new(5);
    if (headers) {
      auto offset = std::to_string(m->offset), partition = std::to_string(m->partition),
           ts = std::to_string(rd_kafka_message_timestamp(m.get(), nullptr));
      rd_kafka_header_add(h, "k2k_topic", -1, "bench", -1);
      rd_kafka_header_add(h, "k2k_partition", -1, partition.data(), -1);
      rd_kafka_header_add(h, "k2k_offset", -1, offset.data(), -1);
      rd_kafka_header_add(h, "k2k_timestamp", -1, ts.data(), -1);
      rd_kafka_header_add(h, "k2k_pipeline", -1, "c", -1);
    }
    while (rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(target_topic.c_str()),
                             RD_KAFKA_V_PARTITION(m->partition), RD_KAFKA_V_KEY(m->key, m->key_len),
                             RD_KAFKA_V_VALUE(m->payload, m->len),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h),
                             RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(producer.get(), 10);
  }
  while (rd_kafka_outq_len(producer.get()) > 0) {
    rd_kafka_poll(producer.get(), 1);
    window.observe(seen - rd_kafka_outq_len(producer.get()));
  }
  return window.rate();
}

// (b) kcat piping values (newline-delimited) from source to target.
double kcat_pipe(const kafka::mock_cluster& src, const kafka::mock_cluster& tgt, int64_t records,
                 const std::string& target_topic) {
  if (std::system("command -v kcat > /dev/null 2>&1") != 0)
    return 0;
  auto cmd = "kcat -C -b " + src.bootstrap_servers() + " -t bench -o beginning -e -q -c " +
             std::to_string(records) + " -f '%k\\t%s\\n' | kcat -P -b " + tgt.bootstrap_servers() +
             " -t " + target_topic + " -K '\\t'";
  auto start = clock_type::now();
  if (std::system(cmd.c_str()) != 0)
    return 0;
  return records / std::chrono::duration<double>(clock_type::now() - start).count();
}

// (c)/(d) the replicator (status snapshots every 100 ms).
double k2k_replicate(const kafka::mock_cluster& src, const kafka::mock_cluster& tgt,
                     int64_t records, bool exactly_once, const std::string& name) {
  // Experiments: K2K_BENCH_PRODUCER="linger.ms: 50", K2K_BENCH_REPLICATOR="batchSize: 500",
  // K2K_BENCH_CONSUMER="fetch.wait.max.ms: 10" (the source consumer)
  const char* producer = std::getenv("K2K_BENCH_PRODUCER");
  const char* consumer = std::getenv("K2K_BENCH_CONSUMER");
  const char* replicator = std::getenv("K2K_BENCH_REPLICATOR");
  auto yaml = "name: " + name + "\nsource: {kafka: {common: {bootstrap.servers: \"" +
              src.bootstrap_servers() + "\"}, consumer: {" + (consumer ? consumer : "") +
              "}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" + tgt.bootstrap_servers() +
              "\"}, producer: {" + (producer ? producer : "") +
              "}}}\nreplication:\n  - source: {topic: [bench]}\n  - sink: {topic: {prefix: \"" +
              name + ".\"}}\noffsetMapping: {topic: " + name + ".mappings, partitions: 4}\n" +
              "features: {exactlyOnce: " + (exactly_once ? "enabled" : "disabled") +
              "}\nreplicator: {reportInterval: 1s" +
              (replicator ? std::string{", "} + replicator : "") + "}\n";
  auto loaded = config::load_string(yaml, "bench.yaml");
  if (!loaded.ok()) {
    std::cerr << loaded.errors.front().to_string() << "\n";
    std::exit(1);
  }
  replication::replication_worker worker{loaded.config};
  std::thread t{[&] { worker.run(); }};
  steady_window window{records};
  worker.wait_for_status(
      [&](const auto& st) {
        window.observe(static_cast<int64_t>(st.records));
        return static_cast<int64_t>(st.records) >= records && st.in_flight == 0;
      },
      std::chrono::minutes(10));
  worker.stop();
  t.join();
  return window.rate();
}

} // namespace

int main(int argc, char** argv) {
  int64_t records = argc > 1 ? std::atoll(argv[1]) : 2400000;
  partitions = argc > 5 ? std::max(1, std::atoi(argv[5])) : partitions;
  // Small values by default: the mock keeps only ~5 MB per partition.
  size_t value_size = argc > 2 ? static_cast<size_t>(std::atoll(argv[2])) : 10;
  spdlog::set_level(std::getenv("K2K_BENCH_LOG") ? spdlog::level::info : spdlog::level::warn);
  kafka::mock_cluster src{1}, tgt{1};
  src.create_topic("bench", partitions);
  std::cout << "preloading " << records << " records of " << value_size << " bytes into "
            << partitions << " partitions" << std::endl;
  preload(src.bootstrap_servers(), "bench", records, value_size);
  {
    auto probe = kafka::make_consumer(
        {{"bootstrap.servers", src.bootstrap_servers()}, {"group.id", "bench-probe"}});
    int64_t total = 0;
    for (int p = 0; p < partitions; ++p) {
      int64_t low = 0, high = 0;
      rd_kafka_query_watermark_offsets(probe.get(), "bench", p, &low, &high, 10000);
      total += high - low;
    }
    if (total != records) {
      std::cerr << "preload landed " << total << " of " << records << " records\n";
      return 1;
    }
  }

  // A third argument picks runs (e.g. "c" to profile k2k alone); by default all of them. The
  // runs take turns, `repeat` rounds (fourth argument, default 3), each into topics of its
  // own; the median of each run is reported, so one noisy moment does not decide a ratio.
  std::string runs = argc > 3 ? argv[3] : "aAPbcd";
  int repeat = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  auto wanted = [&](char run) { return runs.find(run) != std::string::npos; };
  std::map<char, std::vector<double>> rates;
  for (int round = 1; round <= repeat; ++round) {
    auto n = std::to_string(round);
    for (const auto& t :
         {"raw" + n, "rawh" + n, "rawp" + n, "kcat" + n, "c" + n + ".bench", "d" + n + ".bench"})
      tgt.create_topic(t, partitions);
    for (const auto& t : {"c" + n + ".mappings", "d" + n + ".mappings"})
      tgt.create_topic(t, 4);
    if (wanted('a'))
      rates['a'].push_back(raw_loop(src, tgt, records, false, "raw" + n));
    if (wanted('A'))
      rates['A'].push_back(raw_loop(src, tgt, records, true, "rawh" + n));
    if (wanted('P'))
      rates['P'].push_back(raw_loop(src, tgt, records, false, "rawp" + n, true));
    if (wanted('b'))
      rates['b'].push_back(kcat_pipe(src, tgt, records, "kcat" + n));
    if (wanted('c'))
      rates['c'].push_back(k2k_replicate(src, tgt, records, false, "c" + n));
    if (wanted('d'))
      rates['d'].push_back(k2k_replicate(src, tgt, records, true, "d" + n));
  }
  auto median = [&](char run) { return bench::median(rates[run]); };
  std::printf("\nrecords/s of each round:");
  for (const auto& [run, v] : rates) {
    std::printf("\n  %c:", run);
    for (auto r : v)
      std::printf(" %.0f", r);
  }
  std::printf("\n(median of %d rounds below)\n", repeat);
  double a = median('a'), a_headers = median('A'), a_prefetch = median('P'), b = median('b'),
         c = median('c'), d = median('d');
  std::printf("\n%-52s %12s\n", "run", "records/s");
  // A run left out of the selection, or kcat missing, prints n/a and no ratio.
  auto row = [](const char* name, double rate) {
    if (rate > 0)
      std::printf("%-52s %12.0f\n", name, rate);
    else
      std::printf("%-52s %12s\n", name, "n/a");
  };
  auto ratio = [](const char* name, double num, double den, const char* note) {
    if (num > 0 && den > 0)
      std::printf("%-5s = %.2f   %s\n", name, num / den, note);
  };
  row("(a) raw librdkafka consume->produce loop", a);
  row("(a') the same loop adding the 5 tracing headers", a_headers);
  row("(a\") (a) with k2k's source prefetch setting", a_prefetch);
  row("(b) kcat -C | kcat -P (whole run, incl. start-up)", b);
  row("(c) k2k replicate, headers + mappings", c);
  row("(d) k2k replicate, exactly-once", d);
  std::printf("\n");
  ratio("c/a", c, a, "(target >= 0.85)");
  ratio("c/b", c, b, "(target >= 1)");
  ratio("d/a", d, a, "");
  ratio("c/a'", c, a_headers, "(k2k's own cost beyond the headers on the wire)");
  ratio("c/a\"", c, a_prefetch, "(against the raw loop with the same source client setting)");
  return 0;
}
