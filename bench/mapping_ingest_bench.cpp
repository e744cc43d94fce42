// Mapping ingest of the offset-mapping service against a raw librdkafka consume of the
// same mapping topic, in one run, rounds taking turns (target ratio >= 0.9). Not a test.
#include "bench/median.hpp"
#include "config/load.hpp"
#include "core/mapping_record.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/mock_cluster.hpp"
#include "kafka/partition_reader.hpp"
#include "offset_mapping/scheduler_tuning.hpp"
#include "offset_mapping/service.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace k2k;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
  // 12 mapping partitions as k2k creates the topic; the mock holds ~47,000 records of each.
  const int64_t records = argc > 1 ? std::atoll(argv[1]) : 600000;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  const int mapping_partitions = argc > 3 ? std::max(1, std::atoi(argv[3])) : 12;
  const int source_partitions = 64;
  spdlog::set_level(spdlog::level::warn);
  kafka::mock_cluster source{1}, target{1};
  target.create_topic("__k2k_offset_mappings", mapping_partitions);
  // Mapping records as the replicator writes them: one run of 100 offsets per batch.
  {
    auto p = kafka::make_producer(
        {{"bootstrap.servers", target.bootstrap_servers()}, {"linger.ms", "20"}});
    std::vector<int64_t> next(source_partitions, 0);
    for (int64_t i = 0; i < records; ++i) {
      auto sp = static_cast<int32_t>(i % source_partitions);
      core::mapping_record r{
          "bench",
          "orders",
          sp,
          "orders",
          sp,
          core::source_offset{next[sp] + 100},
          {{core::source_offset{next[sp]}, core::target_offset{next[sp]}, 100, 0}}};
      next[sp] += 100;
      auto key = core::mapping_key("orders", sp);
      auto value = core::encode_mapping(r);
      while (rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC("__k2k_offset_mappings"),
                               RD_KAFKA_V_PARTITION(kafka::key_partition(key, mapping_partitions)),
                               RD_KAFKA_V_KEY(key.data(), key.size()),
                               RD_KAFKA_V_VALUE(value.data(), value.size()),
                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                               RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
        rd_kafka_poll(p.get(), 10);
    }
    rd_kafka_flush(p.get(), 60000);
  }

  // The mock keeps only the newest few MB of a partition: count what it holds.
  const int64_t written = records;
  int64_t held = 0;
  {
    auto probe = kafka::make_consumer(
        {{"bootstrap.servers", target.bootstrap_servers()}, {"group.id", "bench-probe"}});
    for (int mp = 0; mp < mapping_partitions; ++mp) {
      auto [low, high] =
          kafka::watermarks(probe.get(), "__k2k_offset_mappings", mp).value_or_throw();
      held += high - low;
    }
  }
  if (held < written)
    std::fprintf(stderr, "the mock holds %lld of the %lld mapping records written (its size cap)\n",
                 static_cast<long long>(held), static_cast<long long>(written));
  auto give_up = [&](const char* what) {
    std::fprintf(stderr, "%s did not read all %lld records within 3 minutes\n", what,
                 static_cast<long long>(held));
    std::exit(1);
  };

  // Raw: all mapping partitions assigned at once, timed from the first record to the last.
  auto raw_consume = [&](int round) {
    const auto deadline = clock_type::now() + std::chrono::minutes(3);
    // With the service's consumer setting, so the ratio is k2k's decode and routing.
    auto c = kafka::make_consumer({{"bootstrap.servers", target.bootstrap_servers()},
                                   {"group.id", "bench-raw-" + std::to_string(round)},
                                   {"queued.min.messages", kafka::backlog_queued_min_messages}});
    kafka::topic_partition_list_ptr list{rd_kafka_topic_partition_list_new(mapping_partitions)};
    for (int mp = 0; mp < mapping_partitions; ++mp)
      rd_kafka_topic_partition_list_add(list.get(), "__k2k_offset_mappings", mp)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(c.get(), list.get());
    int64_t seen = 0;
    clock_type::time_point start;
    while (seen < held) {
      if (clock_type::now() > deadline)
        give_up("raw consume");
      kafka::message_ptr m{rd_kafka_consumer_poll(c.get(), 100)};
      if (!m || m->err)
        continue;
      if (seen++ == 0)
        start = clock_type::now();
    }
    return (held - 1) / std::chrono::duration<double>(clock_type::now() - start).count();
  };

  // The service, with k2k's scheduler tuning (offset_mapping/scheduler_tuning.hpp) or CAF's
  // defaults: from start to every record decoded and routed to its partition actor. Each run has a
  // pipeline name, so a mapping consumer group, of its own (librdkafka's mock delays a join to a
  // group a member just left by its session timeout).
  int service_runs = 0;
  auto service_ingest = [&](bool tuned) {
    auto yaml = "name: ingest-" + std::to_string(service_runs++) +
                "\nsource: {kafka: {common: {bootstrap.servers: \"" + source.bootstrap_servers() +
                "\"}}}\ntarget: {kafka: {common: {bootstrap.servers: \"" +
                target.bootstrap_servers() +
                "\"}}}\nreplication:\n  - source: {topic: [orders]}\n"
                "groups: {consumerGroups: [], pollInterval: 1h}\n";
    auto cfg = config::load_string(yaml, "bench.yaml").config;
    caf::actor_system_config system_cfg;
    offset_mapping::add_message_types(system_cfg);
    if (tuned)
      offset_mapping::tune_scheduler(system_cfg);
    caf::actor_system system{system_cfg};
    offset_mapping::offset_mapping_service service{system, cfg};
    auto& counters = *service.counters();
    // The first record marks the end of the group join; the rate is measured from there.
    // Woken after each burst the ingest reads (a spinning waiter took a core from it).
    if (!counters.wait_for([](const auto& c) { return c.mapping_records.load() > 0; },
                           std::chrono::minutes(3)))
      give_up("the service");
    auto t = clock_type::now();
    auto first = counters.mapping_records.load();
    if (!counters.wait_for(
            [&](const auto& c) { return c.mapping_records.load() >= static_cast<uint64_t>(held); },
            std::chrono::minutes(3)))
      give_up("the service");
    auto rate = (held - static_cast<int64_t>(first)) /
                std::chrono::duration<double>(clock_type::now() - t).count();
    service.stop();
    return rate;
  };

  // Rounds taking turns: a whole read takes ~0.2 s, so one fetch the mock holds back decides
  // a single run's rate.
  std::vector<double> raw, ingest, ingest_caf, ratio, ratio_caf;
  for (int round = 0; round < rounds; ++round) {
    raw.push_back(raw_consume(round));
    ingest.push_back(service_ingest(true));
    ingest_caf.push_back(service_ingest(false));
    ratio.push_back(ingest.back() / raw.back());
    ratio_caf.push_back(ingest_caf.back() / raw.back());
  }
  using bench::median;
  auto rounds_of = [](const std::vector<double>& v) {
    std::string out;
    for (auto r : v)
      out += fmt::format(" {:.2f}", r);
    return out;
  };

  std::printf("%lld mapping records, %d mapping partitions, %d source partitions\n",
              static_cast<long long>(held), mapping_partitions, source_partitions);
  std::printf("  raw consume       %10.0f records/s\n", median(raw));
  std::printf("  service ingest    %10.0f records/s (decode + route to partition actors)\n",
              median(ingest));
  std::printf("  same, CAF defaults %10.0f records/s (scheduler not tuned)\n", median(ingest_caf));
  std::printf("  ingest/raw = %.2f   (target >= 0.9; median of %d rounds:%s)\n", median(ratio),
              rounds, rounds_of(ratio).c_str());
  std::printf("  ingest/raw with CAF's default scheduler = %.2f   (rounds:%s)\n", median(ratio_caf),
              rounds_of(ratio_caf).c_str());
  return 0;
}
