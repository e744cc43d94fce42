// The mock-cluster backbone every integration test stands on: real clients,
// two independent clusters, and each kind of fault injection.
#include "support/kafka_test_util.hpp"

#include "kafka/client.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace std::chrono_literals;

TEST_CASE("two mock clusters are independent and keep records intact", "[mock]") {
  test::two_clusters c;
  REQUIRE(c.source.bootstrap_servers() != c.target.bootstrap_servers());
  c.source.create_topic("orders", 4);
  c.target.create_topic("orders", 2);

  auto sent = test::numbered_records(50);
  sent[7].timestamp = 1'600'000'000'123;
  auto offsets = test::produce(c.source.bootstrap_servers(), "orders", 3, sent);
  REQUIRE(offsets.size() == 50);
  CHECK(offsets.front() == 0);
  CHECK(offsets.back() == 49);

  auto got = test::consume(c.source.bootstrap_servers(), "orders", 3, 0, 50);
  REQUIRE(got.size() == 50);
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].key == sent[i].key);
    CHECK(got[i].value == sent[i].value);
    CHECK(got[i].headers == sent[i].headers);
    CHECK(got[i].offset == static_cast<int64_t>(i));
  }
  CHECK(got[7].timestamp == 1'600'000'000'123);
  CHECK(test::high_watermark(c.source.bootstrap_servers(), "orders", 3) == 50);
  CHECK(test::high_watermark(c.target.bootstrap_servers(), "orders", 1) == 0);
}

TEST_CASE("a partition whose leader is down delivers nothing until it is back", "[mock]") {
  kafka::mock_cluster cluster{3};
  cluster.create_topic("t", 1);
  cluster.set_leader("t", 0, 2);
  test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(1)); // warm up

  auto producer = kafka::make_producer(
      {{"bootstrap.servers", cluster.bootstrap_servers()}, {"message.timeout.ms", "60000"}});
  cluster.broker_down(2);
  for (int i = 0; i < 10; ++i)
    REQUIRE(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_PARTITION(0),
                              RD_KAFKA_V_VALUE(const_cast<char*>("x"), 1),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(rd_kafka_flush(producer.get(), 500) == RD_KAFKA_RESP_ERR__TIMED_OUT);
  CHECK(rd_kafka_outq_len(producer.get()) > 0);

  cluster.broker_up(2);
  CHECK(rd_kafka_flush(producer.get(), 30000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(test::high_watermark(cluster.bootstrap_servers(), "t", 0) == 11);
}

TEST_CASE("pushed request errors reach the client, then requests succeed", "[mock]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("t", 1);
  cluster.push_request_errors(kafka::api_key::produce,
                              {RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED});
  CHECK_THROWS_WITH(test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(1)),
                    Catch::Contains("Topic authorization failed"));
  CHECK(test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(3)).size() == 3);
  CHECK(test::high_watermark(cluster.bootstrap_servers(), "t", 0) == 3);
}

TEST_CASE("retriable produce errors are retried without loss or duplicates", "[mock]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("t", 1);
  cluster.push_request_errors(kafka::api_key::produce, {RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
                                                        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                                        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS});
  auto offsets = test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(20),
                               {{"enable.idempotence", "true"}});
  CHECK(offsets.size() == 20);
  auto got = test::consume(cluster.bootstrap_servers(), "t", 0, 0, 20);
  REQUIRE(got.size() == 20);
  CHECK(got.back().value == "v19");
  CHECK(test::high_watermark(cluster.bootstrap_servers(), "t", 0) == 20);
}

TEST_CASE("added round-trip time delays every response", "[mock]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("t", 1);
  test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(1));
  cluster.set_rtt(1, 400);
  auto start = std::chrono::steady_clock::now();
  test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(1));
  // A lower bound only: the injected delay cannot be skipped, however fast the machine.
  CHECK(std::chrono::steady_clock::now() - start >= 400ms);
}
