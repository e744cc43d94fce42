// On a real broker: a source partition written by transactions, committed and aborted,
// interleaved with plain writes. Its offsets have holes (control markers, aborted records)
// that the mock cannot make. The target must hold exactly the committed records, once, and
// every group position (before, at and after each marker, inside aborted ranges) must
// translate so that a consumer resuming on target reads precisely what a read_committed
// consumer on source had not read yet.
#include "kafka/client.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

void flush(rd_kafka_t* p) {
  REQUIRE(rd_kafka_flush(p, 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);
}

void end_transaction(rd_kafka_t* p, bool commit) {
  kafka::error_ptr e{commit ? rd_kafka_commit_transaction(p, 30000)
                            : rd_kafka_abort_transaction(p, 30000)};
  REQUIRE_FALSE(e);
}

} // namespace

TEST_CASE("source transactions: the target holds exactly the committed records and every "
          "position around markers and aborted ranges translates exactly",
          "[kafka][transactions][offset-mapping]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  auto topic = unique_name("txn-orders");
  create_real_topic(source, topic, 1);

  //   plain ×3 | txn A ×3 commit | txn B ×3 abort | txn C ×2, plain ×2, txn C ×1 abort
  //   | txn D ×2, plain ×1 commit | txn E ×2 commit   (the partition ends with a marker)
  auto txn = transactional_producer(source, unique_name("txn"));
  auto plain = kafka::make_producer({{"bootstrap.servers", source}});
  auto transaction = [&](int n, bool commit) {
    REQUIRE_FALSE(kafka::error_ptr{rd_kafka_begin_transaction(txn.get())});
    for (int i = 0; i < n; ++i)
      send(txn.get(), topic, 0, commit ? "committed" : "aborted");
    flush(txn.get());
  };
  auto plain_writes = [&](int n) {
    for (int i = 0; i < n; ++i)
      send(plain.get(), topic, 0, "plain");
    flush(plain.get());
  };
  plain_writes(3);
  transaction(3, true);
  end_transaction(txn.get(), true);
  transaction(3, false);
  end_transaction(txn.get(), false);
  transaction(2, false);
  plain_writes(2);
  send(txn.get(), topic, 0, "aborted");
  flush(txn.get());
  end_transaction(txn.get(), false);
  transaction(2, true);
  plain_writes(1);
  end_transaction(txn.get(), true);
  transaction(2, true);
  end_transaction(txn.get(), true);

  const auto on_source = read_committed(source, topic, 0);
  const int64_t end = high_watermark(source, topic, 0);
  REQUIRE(on_source.size() == 3 + 3 + 2 + 2 + 1 + 2);
  REQUIRE(end > on_source.back().offset + 1); // holes: markers and aborted records, one at the end

  auto mappings = unique_name("mappings");
  auto cfg =
      real_pipeline("[" + topic + "]", "offsetMapping: {topic: " + mappings + ", partitions: 1}\n");
  running_worker replicator{cfg};
  // Replicated up to the partition's end, the trailing marker included.
  REQUIRE(replicated_to(replicator, {{0, end}}));

  // The target holds exactly the committed records, once each.
  std::vector<int64_t> committed_offsets, copied;
  for (const auto& r : on_source)
    committed_offsets.push_back(r.offset);
  for (const auto& r : read_committed(target, topic, 0))
    copied.push_back(r.source_offset);
  CHECK(copied == committed_offsets);

  expect_every_position_translates(cfg, topic, end, committed_offsets);
}
