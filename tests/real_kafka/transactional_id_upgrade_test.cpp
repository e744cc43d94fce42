// On a real broker: upgrading from the old transactional id form is safe. A worker of the
// older version left a transaction open under "k2k-<pipeline>-<topic>-<p>"; the new worker
// (ids "k2k/<pipeline>/<topic>/<p>") fences that id first, so the open transaction is aborted
// (read_committed readers are not held back by it and never see its records) and the older
// worker can no longer commit. The mock cannot show this: it never fences and keeps aborted
// records readable.
#include "core/client_ids.hpp"
#include "kafka/client.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

struct committed_view {
  std::set<int64_t> sources; // k2k_offset of every committed copy
  int foreign = 0;           // committed records without the header (the zombie's)
};

committed_view committed_copies(const std::string& bootstrap, const std::string& topic) {
  committed_view view;
  for (const auto& r : read_committed(bootstrap, topic, 0)) {
    if (r.source_offset >= 0)
      view.sources.insert(r.source_offset);
    else
      ++view.foreign;
  }
  return view;
}

} // namespace

TEST_CASE("upgrade: a transaction left open under the old transactional id is aborted and its "
          "worker fenced",
          "[kafka][exactly-once][upgrade]") {
  auto target = real_cluster("target");
  kafka::mock_cluster source{1};
  auto topic = unique_name("orders");
  source.create_topic(topic, 1);
  create_real_topic(target, topic, 1);
  auto mappings = unique_name("mappings");
  create_real_topic(target, mappings, 1);
  produce(source.bootstrap_servers(), topic, 0, numbered_records(100));
  auto cfg = pipeline(source.bootstrap_servers(), target, "[" + topic + "]",
                      "features: {exactlyOnce: enabled}\n"
                      "offsetMapping: {topic: " +
                          mappings + ", partitions: 1}\n");

  // The older worker, mid-transaction: 5 records written, not committed. Its transaction
  // would hold back every read_committed reader of the partition for two minutes.
  cfg.name = unique_name("pipeline"); // the clusters are shared: ids of its own
  auto old_id = core::legacy_transactional_id(cfg.name, topic, 0);
  auto zombie = kafka::make_producer({{"bootstrap.servers", target},
                                      {"transactional.id", old_id},
                                      {"transaction.timeout.ms", "120000"}});
  REQUIRE_FALSE(kafka::error_ptr{rd_kafka_init_transactions(zombie.get(), 30000)});
  REQUIRE_FALSE(kafka::error_ptr{rd_kafka_begin_transaction(zombie.get())});
  for (int i = 0; i < 5; ++i) {
    std::string value = "zombie-" + std::to_string(i);
    REQUIRE(rd_kafka_producev(zombie.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE(value.data(), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  REQUIRE(rd_kafka_flush(zombie.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);

  committed_view seen;
  {
    running_worker worker{cfg};
    poll_until(
        [&] {
          seen = committed_copies(target, topic);
          return seen.sources.size() >= 100;
        },
        60s);
    worker.stop();
    REQUIRE_FALSE(worker.result());
  }
  INFO("committed copies seen: " << seen.sources.size());
  CHECK(seen.sources.size() == 100); // not held back by the old transaction
  CHECK(seen.foreign == 0);          // and none of its records became visible

  // The older worker wakes up and commits: refused, it was fenced.
  kafka::error_ptr late{rd_kafka_commit_transaction(zombie.get(), 30000)};
  REQUIRE(late);
  INFO(rd_kafka_error_string(late.get()));
  CHECK_FALSE(rd_kafka_error_is_retriable(late.get()));
  CHECK(committed_copies(target, topic).foreign == 0);
}
