// All groups' offsets through one helper process (groups.offsetClients: shared): the same
// answers as the admin calls in-process, and a helper that dies costs only its requests.
#include "support/kafka_test_util.hpp"

#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/group_offsets_helper.hpp"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace k2k;
using namespace std::chrono_literals;

namespace {

kafka::group_offsets_helper helper_for(const kafka::mock_cluster& cluster) {
  auto path = kafka::find_group_offsets_helper();
  REQUIRE(path);
  return kafka::group_offsets_helper{{{"bootstrap.servers", cluster.bootstrap_servers()}}, *path};
}

auto in(std::chrono::milliseconds d) {
  return std::chrono::steady_clock::now() + d;
}

} // namespace

TEST_CASE("the helper writes and reads many groups' offsets with their metadata on one client",
          "[kafka][groups][helper]") {
  kafka::mock_cluster cluster{3};
  cluster.create_topic("t", 2);
  auto helper = helper_for(cluster);
  const std::string metadata{"k2k_v1;src=40;note=\xc3\xa9\xe2\x9c\x93"}; // é✓
  for (int g = 0; g < 50; ++g) {
    auto written = helper.commit("app-" + std::to_string(g),
                                 {{{"t", 0}, {g, metadata}}, {{"t", 1}, {100 + g, ""}}}, in(10s));
    REQUIRE(written);
    CHECK(written->at({"t", 0}).error == RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  CHECK(helper.started() == 1);
  // Read back both through the helper and in-process: the same commits.
  auto admin = kafka::make_admin_client({{"bootstrap.servers", cluster.bootstrap_servers()}});
  for (int g = 0; g < 50; ++g) {
    auto group = "app-" + std::to_string(g);
    auto read = helper.committed(group, {{"t", 0}, {"t", 1}}, in(10s));
    REQUIRE(read);
    CHECK(read->at({"t", 0}).offset == g);
    CHECK(read->at({"t", 0}).metadata == metadata);
    CHECK(read->at({"t", 1}).offset == 100 + g);
    auto direct = kafka::list_group_offsets(admin.get(), group, {{"t", 0}}, 10s);
    REQUIRE(direct);
    CHECK(direct->at({"t", 0}).metadata == metadata);
  }
  auto none = helper.committed("nobody", {{"t", 0}}, in(10s));
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("the helper says a group with live members is active", "[kafka][groups][helper]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("t", 1);
  test::produce(cluster.bootstrap_servers(), "t", 0, test::numbered_records(1));
  auto member = test::live_member(cluster.bootstrap_servers(), "live", "t");
  auto helper = helper_for(cluster);
  auto written = helper.commit("live", {{{"t", 0}, {1, "x"}}}, in(10s));
  REQUIRE_FALSE(written);
  CHECK(written.error().code == ec::active_group);
}

TEST_CASE("a helper that dies fails the request in flight and the next one starts a new helper",
          "[kafka][groups][helper]") {
  kafka::mock_cluster cluster{1};
  cluster.create_topic("t", 1);
  auto helper = helper_for(cluster);
  REQUIRE(helper.commit("app", {{{"t", 0}, {1, "first"}}}, in(10s)));
  auto pid = helper.helper_pid();
  REQUIRE(pid);
  REQUIRE(::kill(*pid, SIGKILL) == 0); // as an abort in librdkafka would end it

  auto lost = helper.committed("app", {{"t", 0}}, in(10s));
  REQUIRE_FALSE(lost);
  CHECK(lost.error().code == ec::kafka_error);
  CHECK_THAT(lost.error().message, Catch::Contains("signal 9"));

  auto again = helper.committed("app", {{"t", 0}}, in(10s));
  REQUIRE(again);
  CHECK(again->at({"t", 0}).offset == 1);
  CHECK(helper.started() == 2);
  CHECK(helper.helper_pid() != pid);
}

TEST_CASE("a helper that cannot be found fails clearly", "[kafka][groups][helper]") {
  ::setenv("K2K_GROUP_OFFSETS_HELPER", "/nonexistent/k2k-group-offsets", 1);
  auto found = kafka::find_group_offsets_helper();
  ::unsetenv("K2K_GROUP_OFFSETS_HELPER");
  REQUIRE_FALSE(found);
  CHECK(found.error().code == ec::invalid_config);
  CHECK_THAT(found.error().message, Catch::Contains("/nonexistent/k2k-group-offsets"));

  kafka::group_offsets_helper missing{{{"bootstrap.servers", "127.0.0.1:1"}},
                                      "/nonexistent/k2k-group-offsets"};
  auto read = missing.committed("app", {{"t", 0}}, in(1s));
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error().message, Catch::Contains("cannot start the group-offsets helper"));
}
