// How much of a target partition `k2k migrate` reads to find one group's position, against
// a full scan (the baseline), in one run:
//   (1) the search over a simulated 10^6-record partition: fetches (a fetch returns at most
//       1 MiB of a partition, max.partition.fetch.bytes, so 10,486 records of 100 bytes) and
//       records read per position, contiguous and with a re-replicated stretch of
//       replicator.maxInFlightRecords (50,000, the verification window);
//   (2) the real `k2k migrate --dry-run` on a mock cluster partition of [records] records
//       (librdkafka's mock keeps about 5 MB per partition) against a full read of it.
// Not a test: it prints figures.
#include "config/load.hpp"
#include "core/resume_search.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/mock_cluster.hpp"
#include "kafka/partition_reader.hpp"
#include "migration/migrator.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using namespace k2k;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// (1) simulated partition: position -> source offset (-1: a record of another writer)
void simulated(int64_t n, int64_t record_bytes) {
  constexpr int64_t foreign = 1000, in_flight = 50000;
  const int64_t per_fetch = (1 << 20) / record_bytes;
  std::vector<int64_t> contiguous(size_t(foreign), -1), restarted(size_t(foreign), -1);
  for (int64_t s = 0; s < n; ++s)
    contiguous.push_back(s);
  // a restart in the middle re-sent in_flight records
  for (int64_t s = 0; s < n / 2; ++s)
    restarted.push_back(s);
  for (int64_t s = n / 2 - in_flight; s < n; ++s)
    restarted.push_back(s);

  std::printf("(1) search over a simulated partition of %lld replicated records "
              "(+%lld foreign), %lld-byte records: %lld per 1 MiB fetch\n",
              (long long)n, (long long)foreign, (long long)record_bytes, (long long)per_fetch);
  std::printf("    full scan: %lld fetches, %lld records\n",
              (long long)((n + foreign + per_fetch - 1) / per_fetch), (long long)(n + foreign));
  std::printf("    %-28s %10s %8s %12s %10s\n", "history / committed S", "target", "fetches",
              "records read", "vs scan");
  for (const auto* history : {&contiguous, &restarted}) {
    const auto& p = *history;
    core::probe_fn probe = [&](int64_t from, int64_t count) -> result<core::probe_window> {
      core::probe_window w;
      w.end = std::min({from + count, from + per_fetch, int64_t(p.size())});
      for (int64_t t = from; t < w.end; ++t) {
        ++w.records_read;
        if (p[size_t(t)] >= 0)
          w.traced.push_back({t, p[size_t(t)]});
        else
          ++w.untraced;
      }
      return w;
    };
    core::resume_search_options options;
    options.verify = in_flight;
    for (int64_t s : {int64_t{0}, n / 4, n / 2 - in_flight / 2, n - 1, n}) {
      auto r = core::find_resume_position(s, 0, int64_t(p.size()), probe, options);
      if (!r) {
        std::printf("    search failed: %s\n", r.error().message.c_str());
        continue;
      }
      auto label = std::string(history == &contiguous ? "contiguous" : "re-replicated") +
                   " S=" + std::to_string(s);
      std::printf("    %-28s %10lld %8lld %12lld %9.4f\n", label.c_str(),
                  (long long)r->target_offset, (long long)r->probes, (long long)r->records_read,
                  double(r->records_read) / double(p.size()));
    }
  }
}

void produce_partition(const std::string& bootstrap, int64_t n, bool traced) {
  auto producer = kafka::make_producer({{"bootstrap.servers", bootstrap}, {"linger.ms", "20"}});
  for (int64_t i = 0; i < n; ++i) {
    auto value = std::to_string(i);
    rd_kafka_headers_t* headers = rd_kafka_headers_new(3);
    if (traced) {
      rd_kafka_header_add(headers, "k2k_topic", -1, "orders", -1);
      rd_kafka_header_add(headers, "k2k_partition", -1, "0", -1);
      rd_kafka_header_add(headers, "k2k_offset", -1, value.data(), value.size());
    }
    while (rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(0),
                             RD_KAFKA_V_VALUE(value.data(), value.size()),
                             RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(producer.get(), 10);
  }
  rd_kafka_flush(producer.get(), 60000);
}

// (2) the real command on a mock partition
void on_mock(int64_t n) {
  kafka::mock_cluster source{1}, target{1};
  source.create_topic("orders", 1);
  target.create_topic("orders", 1);
  produce_partition(source.bootstrap_servers(), n, false);
  produce_partition(target.bootstrap_servers(), n, true); // as the replicator writes them
  auto yaml =
      "name: bench\nsource: {kafka: {common: {bootstrap.servers: \"" + source.bootstrap_servers() +
      "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" + target.bootstrap_servers() +
      "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
      "features: {offsetMapping: disabled}\n";
  auto cfg = config::load_string(yaml, "bench.yaml");
  if (!cfg.ok()) {
    std::printf("config: %s\n", cfg.errors.front().to_string().c_str());
    return;
  }
  auto reader = kafka::make_consumer({{"bootstrap.servers", target.bootstrap_servers()},
                                      {"group.id", "bench-scan"},
                                      {"enable.partition.eof", "true"}});
  auto [low, high] = kafka::watermarks(reader.get(), "orders", 0).value_or_throw();
  auto scan_start = clock_type::now();
  int64_t scanned = 0;
  kafka::scan_partition(reader.get(), "orders", 0, low, high,
                        [&](const rd_kafka_message_t&) { ++scanned; });
  double scan_s = seconds_since(scan_start);
  std::printf("\n(2) k2k migrate --dry-run on a mock partition of %lld records (log start %lld)\n",
              (long long)(high - low), (long long)low);
  std::printf("    full scan (baseline): %lld records in %.3f s\n", (long long)scanned, scan_s);
  std::printf("    %-16s %10s %8s %12s %10s %10s\n", "committed S", "target", "fetches",
              "records read", "seconds", "vs scan");
  auto admin = kafka::make_admin_client({{"bootstrap.servers", source.bootstrap_servers()}});
  int i = 0;
  const int64_t mid = (low + high) / 2;
  for (auto [s, verify] : {std::pair{low + 1, int64_t{-1}}, std::pair{mid, int64_t{-1}},
                           std::pair{high - 1, int64_t{-1}}, std::pair{mid, int64_t{0}}}) {
    auto group = "app-" + std::to_string(i++);
    kafka::alter_group_offsets(admin.get(), group, {{{"orders", 0}, {s, ""}}},
                               std::chrono::seconds(10));
    migration::migration_options options;
    options.group = group;
    options.dry_run = true;
    options.confirm_stopped = true;
    options.settle_interval = std::chrono::milliseconds(1);
    options.verify_records = verify;
    auto start = clock_type::now();
    auto report = migration::migrate(cfg.config, options, [](const std::string&) {});
    double took = seconds_since(start);
    if (!report || report->rows.empty()) {
      std::printf("    migrate failed: %s\n", report ? "no rows" : report.error().message.c_str());
      continue;
    }
    const auto& row = report->rows.front();
    auto label = std::to_string(s) + (verify == 0 ? " verify=0" : "");
    std::printf("    %-16s %10lld %8lld %12lld %10.3f %9.3f\n", label.c_str(),
                (long long)row.target_offset, (long long)row.probes, (long long)row.records_read,
                took, took / scan_s);
  }
}

} // namespace

int main(int argc, char** argv) {
  spdlog::set_level(std::getenv("K2K_BENCH_DEBUG") ? spdlog::level::debug : spdlog::level::warn);
  int64_t simulated_records = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  int64_t record_bytes = argc > 2 ? std::atoll(argv[2]) : 100;
  int64_t mock_records = argc > 3 ? std::atoll(argv[3]) : 100'000;
  simulated(simulated_records, record_bytes);
  on_mock(mock_records);
  return 0;
}
