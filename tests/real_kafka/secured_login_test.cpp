// On a real Kafka 4 broker whose clients log in with SCRAM over TLS (the kafka-secured fixture:
// tools/kafka-cluster --security sasl-ssl-scram). Debian 12's librdkafka 2.0.2 is refused there
// with "invalid credentials" (librdkafka PR #4895, fixed in 2.6.1); k2k builds its own.
#include "config/load.hpp"
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

namespace {

// The librdkafka version a kcat binary runs ("2.0.2"), from `kcat -V`; empty without kcat.
std::string kcat_librdkafka_version() {
  std::smatch m;
  auto out = run_command("kcat -V 2>/dev/null").out;
  return std::regex_search(out, m, std::regex{"librdkafka ([0-9.]+)"}) ? m[1].str() : "";
}

bool older_than(const std::string& version, std::tuple<int, int, int> than) {
  int major = 0, minor = 0, patch = 0;
  std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch);
  return std::tie(major, minor, patch) < than;
}

} // namespace

TEST_CASE("SCRAM-SHA-512 over TLS on Kafka 4: k2k logs in and replicates, where librdkafka 2.0.2 "
          "is refused",
          "[kafka][security]") {
  auto env = real_cluster_env("scram");
  const auto& client = env.at("BOOTSTRAP");                    // SASL_SSL
  const auto& internal = env.at("INTERNAL_BOOTSTRAP");         // PLAINTEXT, for the test's own data
  const std::string user = "admin", password = "admin-secret"; // kafka-cluster's super user
  auto login = "{bootstrap.servers: \"" + client +
               "\", security.protocol: SASL_SSL, sasl.mechanisms: SCRAM-SHA-512, "
               "sasl.username: " +
               user + ", sasl.password: " + password + ", ssl.ca.location: \"" + env.at("CA_FILE") +
               "\"}";

  // The control: the broker is one that 2.0.2 cannot log in to, with the same credentials
  // (Kafka 4 and later; the version matrix runs 3.9 too, which lets 2.0.2 in).
  auto version = kcat_librdkafka_version();
  if (!version.empty() && older_than(version, {2, 6, 1}) &&
      !older_than(real_cluster_version("scram"), {4, 0, 0})) {
    auto refused = run_command("kcat -L -m 5 -b " + client +
                               " -X security.protocol=SASL_SSL -X sasl.mechanisms=SCRAM-SHA-512"
                               " -X sasl.username=" +
                               user + " -X sasl.password=" + password +
                               " -X ssl.ca.location=" + env.at("CA_FILE") + " 2>&1");
    INFO("kcat on librdkafka " << version << ": " << refused.out);
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.out,
               Catch::Contains("Authentication failed during authentication due to "
                               "invalid credentials with SASL mechanism SCRAM-SHA-512"));
  }

  auto topic = unique_name("orders");
  create_real_topic(internal, topic, 2);
  for (int32_t p = 0; p < 2; ++p)
    produce(internal, topic, p, numbered_records(300));

  auto yaml = "name: " + unique_name("scram") + "\n" + "source: {kafka: {common: " + login +
              "}}\n" + "target: {kafka: {common: " + login + "}}\n" +
              "replication:\n"
              "  - source: {topic: [" +
              topic +
              "]}\n"
              "    sink: {topic: {prefix: \"dr.\"}}\n"
              "replicator: {reportInterval: 1s}\n";
  auto loaded = config::load_string(yaml, "scram.yaml");
  REQUIRE(loaded.ok());
  running_worker worker{loaded.config};
  REQUIRE(replicated_to(worker, {{0, 300}, {1, 300}}));

  // Every record on target, in order, with its tracing headers; the mappings cover them.
  for (int32_t p = 0; p < 2; ++p) {
    auto copies = copies_on_target(internal, "dr." + topic, p);
    int exact = 0;
    for (int64_t s = 0; s < 300; ++s)
      exact += copies.newest_copy(s) == s; // a new target topic: the same offsets
    INFO("partition " << p);
    CHECK(exact == 300);
    CHECK_FALSE(copies.first_copy_from(300));
  }
  auto every_record = covers({{topic + "/0", 300}, {topic + "/1", 300}});
  auto view = read_mappings(internal, loaded.config.offset_mapping.topic,
                            loaded.config.offset_mapping.partitions, every_record);
  CHECK(every_record(view));
}
