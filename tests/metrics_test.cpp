// /metrics and /health over HTTP: the endpoint itself, and the replicator's figures moving
// while it really replicates.
#include "support/http_get.hpp"
#include "support/replication_fixture.hpp"

#include "observability/http_endpoint.hpp"
#include "observability/service_metrics.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace k2k;
using namespace k2k::test;

TEST_CASE("the endpoint serves /metrics, /health with 200 or 503 and a reason, 404 otherwise",
          "[metrics]") {
  std::atomic<int> value{1};
  std::atomic<bool> healthy{false};
  observability::http_endpoint endpoint{
      "127.0.0.1:0",
      {[&] { return "x_total " + std::to_string(value.load()) + "\n"; },
       [&] {
         return observability::health_report{healthy.load(),
                                             healthy ? "fine" : "loading 2 partitions"};
       }}};
  REQUIRE(endpoint.port() != 0);

  auto metrics = http_get(endpoint.port(), "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(sample(metrics.body, "x_total") == 1.0);
  value = 5;
  CHECK(sample(http_get(endpoint.port(), "/metrics").body, "x_total") == 5.0);

  auto down = http_get(endpoint.port(), "/health");
  CHECK(down.status == 503);
  CHECK(down.body == "unavailable: loading 2 partitions\n");
  healthy = true;
  CHECK(http_get(endpoint.port(), "/health").status == 200);
  CHECK(http_get(endpoint.port(), "/nope").status == 404);
}

TEST_CASE("an address that is taken is refused with its name", "[metrics]") {
  observability::http_endpoint first{
      "127.0.0.1:0", {[] { return ""; }, [] { return observability::health_report{}; }}};
  auto taken = "127.0.0.1:" + std::to_string(first.port());
  CHECK_THROWS_WITH((observability::http_endpoint{
                        taken, {[] { return ""; }, [] { return observability::health_report{}; }}}),
                    Catch::Contains("cannot serve /metrics on " + taken));
}

TEST_CASE("the replicator's metrics move as it replicates, and health follows its state",
          "[metrics][replicator]") {
  two_clusters c;
  create_on_both(c, "orders", 2);
  c.target.create_topic("__k2k_offset_mappings", 2);
  auto cfg = pipeline(c, "[orders]", "offsetMapping: {partitions: 2}\n");
  running_worker worker{cfg};
  observability::http_endpoint endpoint{
      "127.0.0.1:0",
      {[&] { return observability::replication_metrics(worker.status(), cfg.name); },
       [&] { return observability::replication_health(worker.status()); }}};
  const std::string records = "k2k_replicated_records_total{pipeline=\"test-pipeline\"}";
  const std::string mappings = "k2k_mappings_published_total{pipeline=\"test-pipeline\"}";

  REQUIRE(worker.wait_for_status([](const auto& s) {
    return s.state == replication::replication_status::phase::running && s.partitions.size() == 2;
  }));
  auto before = http_get(endpoint.port(), "/metrics").body;
  CHECK(sample(before, records) == 0.0);
  CHECK(http_get(endpoint.port(), "/health").status == 200);

  produce(c.source.bootstrap_servers(), "orders", 0, numbered_records(30));
  produce(c.source.bootstrap_servers(), "orders", 1, numbered_records(20));
  REQUIRE(worker.wait_for_status([](const auto& s) { return s.records >= 50 && s.mappings >= 2; }));
  auto after = http_get(endpoint.port(), "/metrics").body;
  CHECK(sample(after, records) == 50.0);
  CHECK(sample(after, mappings) >= 2.0);
  CHECK(sample(after, "k2k_replicated_bytes_total{pipeline=\"test-pipeline\"}") > 0.0);
  CHECK(after.find("# TYPE k2k_replication_lag_records gauge") != std::string::npos);
  CHECK(sample(after, "k2k_replication_next_offset{pipeline=\"test-pipeline\",topic=\"orders\","
                      "partition=\"0\"}") == 30.0);

  worker.stop();
  auto stopped = http_get(endpoint.port(), "/health");
  CHECK(stopped.status == 503);
  CHECK(stopped.body == "unavailable: stopped\n");
}
