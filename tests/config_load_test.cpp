// config::load: every error class is reported as FILE:LINE:COL: key.path: message.
#include "config/load.hpp"
#include "config/print.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

using k2k::config::load_file;
using k2k::config::load_string;

namespace {

const std::string minimal = R"(name: p1
source:
  kafka:
    common:
      bootstrap.servers: src:9092
target:
  kafka:
    common:
      bootstrap.servers: tgt:9092
replication:
  - source:
      topic: [orders]
)";

// The single error line produced by `yaml`, or a description of what went wrong.
std::string only_error(const std::string& yaml) {
  auto r = load_string(yaml, "p.yaml");
  if (r.errors.size() != 1) {
    std::string all = std::to_string(r.errors.size()) + " errors:";
    for (const auto& e : r.errors)
      all += "\n  " + e.to_string();
    return all;
  }
  return r.errors.front().to_string();
}

} // namespace

TEST_CASE("a minimal config loads with the documented defaults", "[config]") {
  auto r = load_string(minimal, "p.yaml");
  REQUIRE(r.ok());
  const auto& c = r.config;
  CHECK(c.name == "p1");
  CHECK(c.source.kafka.for_consumer().at("bootstrap.servers") == "src:9092");
  CHECK(c.target.kafka.for_producer().at("bootstrap.servers") == "tgt:9092");
  CHECK(c.replication.topics.names == std::vector<std::string>{"orders"});
  CHECK(c.replication.sink.target_topic("orders") == "orders");
  CHECK(c.features.offset_mapping);
  CHECK(c.features.tracing_headers.offset);
  CHECK(c.features.keep_record_creation_timestamp);
  CHECK_FALSE(c.features.exactly_once);
  CHECK(c.features.apply_mappings_guard);
  CHECK(c.offset_mapping.topic == "__k2k_offset_mappings");
  CHECK(c.groups.poll_interval == std::chrono::seconds(1));
  CHECK(c.groups.offset_guard_prefix == "k2k_");
  CHECK(c.groups.consumer_groups.matches("anything"));
  CHECK(c.tracing_headers.offset == "k2k_offset");
  CHECK(c.metrics.listen == "127.0.0.1:9091");
}

TEST_CASE("every example config validates", "[config]") {
  for (auto name : {"dr-failover", "exactly-once", "migration", "sasl-ssl", "oidc"}) {
    auto path = std::string{K2K_EXAMPLES_DIR} + "/" + name + ".yaml";
    auto r = load_file(path);
    INFO(path);
    for (const auto& e : r.errors)
      INFO(e.to_string());
    CHECK(r.ok());
  }
}

TEST_CASE("the broken example reports each problem at its line", "[config]") {
  auto path = std::string{K2K_EXAMPLES_DIR} + "/broken.yaml";
  auto r = load_file(path);
  std::vector<std::string> lines;
  for (const auto& e : r.errors)
    lines.push_back(e.to_string().substr(path.size()));
  CHECK(
      lines ==
      std::vector<std::string>{
          R"(:7:7: source.kafka.common."fetch.max.bytez": rejected by librdkafka: No such configuration property: "fetch.max.bytez")",
          R"(:14:23: replication[0].source.topic.regex: expected a valid regular expression, found "orders[" (Unexpected character within '[...]' in regular expression))",
          R"(:16:18: replication[1].sink.partition: expected "source" while features.offsetMapping is enabled (translation needs source partition p to land in target partition p), found "key")",
          R"(:18:3: features.exactlyOnc: unknown key, did you mean "exactlyOnce"?)",
          R"(:20:17: groups.pollInterval: expected a positive duration such as 250ms, 5s, 1m or 1h, found "10 seconds")"});
}

TEST_CASE("invalid YAML is reported at the parser's position", "[config]") {
  CHECK(only_error("name: [unclosed\nsource: {}\n") ==
        "p.yaml:2:7: invalid YAML: end of sequence flow not found");
}

TEST_CASE("an unknown key names the closest known key", "[config]") {
  CHECK(only_error(minimal + "grups:\n  pollInterval: 1s\n") ==
        R"(p.yaml:13:1: grups: unknown key, did you mean "groups"?)");
  CHECK(
      only_error(minimal + "zzzzzz: 1\n") ==
      R"(p.yaml:13:1: zzzzzz: unknown key, expected one of "name", "source", "target", "replication", "features", "tracing", "offsetMapping", "groups", "errorHandling", "metrics", "replicator" or "topicCreation")");
}

TEST_CASE("a key given twice in one map is an error, not silently ignored", "[config]") {
  CHECK(only_error(minimal + "replicator: {batchSize: 10}\nreplicator: {reportInterval: 2s}\n") ==
        "p.yaml:14:1: replicator: duplicate key, first given at line 13 (this one would be "
        "ignored: merge the two)");
  CHECK(only_error(minimal + "replicator:\n  batchSize: 10\n  batchSize: 20\n") ==
        "p.yaml:15:3: replicator.batchSize: duplicate key, first given at line 14 (this one "
        "would be ignored: merge the two)");
  auto kafka = std::string{minimal}.replace(minimal.find("      bootstrap.servers: tgt"), 0,
                                            "      linger.ms: 5\n      linger.ms: 50\n");
  CHECK(only_error(kafka) == "p.yaml:10:7: target.kafka.common.\"linger.ms\": duplicate key, "
                             "first given at line 9 (this one would be ignored: merge the two)");
}

TEST_CASE("a wrong type names what was expected and what was found", "[config]") {
  CHECK(only_error(minimal + "features: enabled\n") ==
        R"(p.yaml:13:11: features: expected a map, found "enabled")");
  CHECK(
      only_error(minimal + "features:\n  exactlyOnce: [a]\n") ==
      R"(p.yaml:14:16: features.exactlyOnce: expected one of "enabled" or "disabled", found a list)");
  CHECK(
      only_error(minimal + "features:\n  exactlyOnce: yes\n") ==
      R"(p.yaml:14:16: features.exactlyOnce: expected one of "enabled" or "disabled", found "yes")");
  CHECK(
      only_error(minimal + "errorHandling:\n  onActiveConsumerGroupCommit: retry\n") ==
      R"(p.yaml:14:32: errorHandling.onActiveConsumerGroupCommit: expected one of "fail" or "ignore", found "retry")");
}

TEST_CASE("durations take ms, s, m and h and nothing else", "[config]") {
  auto with = [](const std::string& d) { return minimal + "groups:\n  pollInterval: " + d + "\n"; };
  auto r = load_string(with("250ms"), "p.yaml");
  REQUIRE(r.ok());
  CHECK(r.config.groups.poll_interval == std::chrono::milliseconds(250));
  CHECK(load_string(with("2m"), "p.yaml").config.groups.poll_interval == std::chrono::minutes(2));
  CHECK(
      only_error(with("5")) ==
      R"(p.yaml:14:17: groups.pollInterval: expected a positive duration such as 250ms, 5s, 1m or 1h, found "5")");
  CHECK(
      only_error(with("0s")) ==
      R"(p.yaml:14:17: groups.pollInterval: expected a positive duration such as 250ms, 5s, 1m or 1h, found "0s")");
}

TEST_CASE("integers are range-checked", "[config]") {
  CHECK(only_error(minimal + "replicator: {batchSize: 0}\n") ==
        R"(p.yaml:13:25: replicator.batchSize: expected an integer from 1 to 1000000, found "0")");
  CHECK(
      only_error(minimal + "offsetMapping: {partitions: many}\n") ==
      R"(p.yaml:13:29: offsetMapping.partitions: expected an integer from 1 to 10000, found "many")");
  auto r =
      load_string(minimal + "replicator: {maxInFlightRecords: 10, reportInterval: 2s}\n", "p.yaml");
  REQUIRE(r.ok());
  CHECK(r.config.replicator.max_in_flight_records == 10);
  CHECK(r.config.replicator.report_interval == std::chrono::seconds(2));
  auto retention = load_string(
      minimal + "offsetMapping: {maxRunsPerPartition: 500, maxRunAge: 168h}\n", "p.yaml");
  REQUIRE(retention.ok());
  CHECK(retention.config.offset_mapping.max_runs_per_partition == 500);
  CHECK(retention.config.offset_mapping.max_run_age == std::chrono::hours(168));
  CHECK(
      only_error(minimal + "offsetMapping: {maxRunsPerPartition: 0}\n") ==
      R"(p.yaml:13:38: offsetMapping.maxRunsPerPartition: expected an integer from 1 to 1000000000, found "0")");
  CHECK(load_string(minimal, "p.yaml").config.groups.io_parallelism == 4);
  CHECK(load_string(minimal + "groups: {ioParallelism: 16}\n", "p.yaml")
            .config.groups.io_parallelism == 16);
  CHECK(only_error(minimal + "groups: {ioParallelism: 65}\n") ==
        R"(p.yaml:13:25: groups.ioParallelism: expected an integer from 1 to 64, found "65")");
  CHECK(load_string(minimal, "p.yaml").config.groups.source_commits_from ==
        k2k::config::source_commits::automatic);
  CHECK(load_string(minimal + "groups: {sourceCommits: consumer-offsets}\n", "p.yaml")
            .config.groups.source_commits_from == k2k::config::source_commits::consumer_offsets);
  CHECK(load_string(minimal + "groups: {sourceCommits: poll}\n", "p.yaml")
            .config.groups.source_commits_from == k2k::config::source_commits::poll);
  CHECK(
      only_error(minimal + "groups: {sourceCommits: topic}\n") ==
      R"(p.yaml:13:25: groups.sourceCommits: expected one of "auto", "consumer-offsets" or "poll", found "topic")");
  CHECK(load_string(minimal, "p.yaml").config.groups.commit_timeout == std::chrono::seconds(2));
  CHECK(load_string(minimal + "groups: {commitTimeout: 10s}\n", "p.yaml")
            .config.groups.commit_timeout == std::chrono::seconds(10));
  CHECK(
      only_error(minimal + "groups: {commitTimeout: soon}\n") ==
      R"(p.yaml:13:25: groups.commitTimeout: expected a positive duration such as 250ms, 5s, 1m or 1h, found "soon")");
}

TEST_CASE("a bad regex is reported with the regex engine's reason", "[config]") {
  CHECK(
      only_error(minimal + "groups:\n  consumerGroups: \"a(b\"\n") ==
      R"(p.yaml:14:19: groups.consumerGroups: expected a valid regular expression, found "a(b" (Mismatched '(' and ')' in regular expression))");
}

TEST_CASE("a regex number too large to compile safely is a config error", "[config]") {
  // Past the check, libstdc++ overflows a long reading the first one (undefined behaviour)
  // and copies the atom 20,000 times for the second.
  CHECK(
      only_error(minimal + "groups:\n  consumerGroups: 'a(b)\\66666666666666666666'\n") ==
      R"(p.yaml:14:19: groups.consumerGroups: expected a valid regular expression, found "a(b)\66666666666666666666" (back-reference \66666666666666666666 is over 10000))");
  CHECK(
      only_error(minimal + "groups:\n  consumerGroups: 'a{1,20000}'\n") ==
      R"(p.yaml:14:19: groups.consumerGroups: expected a valid regular expression, found "a{1,20000}" (repetition count {20000} is over 10000))");
  // Digits that are neither stay legal, however many.
  CHECK(load_string(minimal + "groups:\n  consumerGroups: 'orders-20261206123456.{0,249}'\n",
                    "p.yaml")
            .ok());
}

TEST_CASE("missing required keys are reported at their parent", "[config]") {
  CHECK(only_error("source: {kafka: {common: {bootstrap.servers: a:1}}}\n"
                   "target: {kafka: {common: {bootstrap.servers: b:1}}}\n"
                   "replication: [{source: {topic: t}}]\n") ==
        "p.yaml:1:1: name: missing required key, expected the pipeline name");
  CHECK(
      only_error("name: p\n"
                 "source: {kafka: {common: {client.id: x}}}\n"
                 "target: {kafka: {common: {bootstrap.servers: b:1}}}\n"
                 "replication: [{source: {topic: t}}]\n") ==
      R"(p.yaml:2:17: source.kafka.common."bootstrap.servers": missing required key, expected the source cluster's brokers (host:port,...))");
  CHECK(
      only_error("name: p\n"
                 "source: {kafka: {common: {bootstrap.servers: a:1}}}\n"
                 "target: {kafka: {common: {bootstrap.servers: b:1}}}\n"
                 "replication: [{sink: {topic: source}}]\n") ==
      R"(p.yaml:4:14: replication: missing required key, expected an item "source: {topic: ...}")");
}

TEST_CASE("sink.partition must stay source while offset mapping is on", "[config]") {
  auto yaml = minimal + "  - sink: {partition: key}\n";
  CHECK(
      only_error(yaml) ==
      R"(p.yaml:13:23: replication[1].sink.partition: expected "source" while features.offsetMapping is enabled (translation needs source partition p to land in target partition p), found "key")");
  auto r = load_string(yaml + "features: {offsetMapping: disabled}\n", "p.yaml");
  CHECK(r.ok());
  CHECK(r.config.replication.sink.partition == k2k::config::sink_partitioning::key);
}

TEST_CASE("environment references are substituted, unset ones reported", "[config]") {
  ::setenv("K2K_TEST_PASSWORD", "s3cret", 1);
  ::unsetenv("K2K_TEST_UNSET");
  auto yaml =
      minimal + "offsetMapping: {topic: \"${K2K_TEST_UNSET:-maps}.${K2K_TEST_PASSWORD}\"}\n";
  auto r = load_string(yaml, "p.yaml");
  REQUIRE(r.ok());
  CHECK(r.config.offset_mapping.topic == "maps.s3cret");
  CHECK(only_error(minimal + "offsetMapping: {topic: \"${K2K_TEST_UNSET}\"}\n") ==
        "p.yaml:13:24: offsetMapping.topic: expected environment variable K2K_TEST_UNSET to be "
        "set, found it unset");
}

TEST_CASE("librdkafka judges kafka properties at load", "[config]") {
  auto with = [](const std::string& kv) {
    return "name: p\nsource: {kafka: {common: {bootstrap.servers: a:1, " + kv +
           "}}}\ntarget: {kafka: {common: {bootstrap.servers: b:1}}}\n"
           "replication: [{source: {topic: t}}]\n";
  };
  CHECK(
      only_error(with("no.such.key: 1")) ==
      R"(p.yaml:2:51: source.kafka.common."no.such.key": rejected by librdkafka: No such configuration property: "no.such.key")");
  CHECK(
      only_error(with("acks: sometimes")) ==
      R"(p.yaml:2:51: source.kafka.common.acks: rejected by librdkafka: Invalid value for configuration property "request.required.acks")");
}

TEST_CASE("the effective config masks secrets", "[config]") {
  ::setenv("K2K_TEST_PASSWORD", "s3cret", 1);
  auto yaml = "name: p\nsource: {kafka: {common: {bootstrap.servers: a:1, sasl.username: u, "
              "sasl.password: \"${K2K_TEST_PASSWORD}\"}}}\n"
              "target: {kafka: {common: {bootstrap.servers: b:1}}}\n"
              "replication: [{source: {topic: t}}]\n";
  auto r = load_string(yaml, "p.yaml");
  REQUIRE(r.ok());
  CHECK(r.config.source.kafka.common.at("sasl.password") == "s3cret");
  auto printed = k2k::config::to_yaml(r.config);
  CHECK(printed.find("s3cret") == std::string::npos);
  CHECK(printed.find("sasl.password: \"***\"") != std::string::npos);
  CHECK(printed.find("sasl.username: u") != std::string::npos);
  // The printed config is itself a valid config that loads to the same settings.
  auto again = load_string(printed, "printed.yaml");
  REQUIRE(again.ok());
  CHECK(again.config.name == "p");
  CHECK(again.config.groups.poll_interval == r.config.groups.poll_interval);
}

TEST_CASE("the effective config masks the private keys and passphrases of OAUTHBEARER's JWT "
          "assertion (librdkafka 2.10+)",
          "[config]") {
  auto yaml = "name: p\nsource: {kafka: {common: {bootstrap.servers: a:1, sasl.mechanisms: "
              "OAUTHBEARER, sasl.oauthbearer.method: oidc, sasl.oauthbearer.grant.type: "
              "\"urn:ietf:params:oauth:grant-type:jwt-bearer\", "
              "sasl.oauthbearer.assertion.private.key.pem: pem-k3y, "
              "sasl.oauthbearer.assertion.private.key.passphrase: phr4se, "
              "sasl.oauthbearer.client.credentials.client.secret: s3cret}}}\n"
              "target: {kafka: {common: {bootstrap.servers: b:1}}}\n"
              "replication: [{source: {topic: t}}]\n";
  auto r = load_string(yaml, "p.yaml");
  for (const auto& e : r.errors)
    INFO(e.to_string());
  REQUIRE(r.ok());
  auto printed = k2k::config::to_yaml(r.config);
  INFO(printed);
  for (auto secret : {"pem-k3y", "phr4se", "s3cret"})
    CHECK(printed.find(secret) == std::string::npos);
  CHECK(printed.find("sasl.oauthbearer.assertion.private.key.pem: \"***\"") != std::string::npos);
  CHECK(printed.find("sasl.oauthbearer.assertion.private.key.passphrase: \"***\"") !=
        std::string::npos);
  CHECK(printed.find("sasl.oauthbearer.method: oidc") != std::string::npos);
}

TEST_CASE("group and topic selectors: list, regex and exclusions", "[config]") {
  auto r = load_string(minimal + "groups:\n  consumerGroups: \"app-.*\"\n  exclude: [app-test]\n",
                       "p.yaml");
  REQUIRE(r.ok());
  const auto& g = r.config.groups.consumer_groups;
  CHECK(g.matches("app-billing"));
  CHECK_FALSE(g.matches("app-test"));
  CHECK_FALSE(g.matches("xapp-billing")); // full match, not search
  auto lists = load_string(minimal + "groups:\n  consumerGroups: [a, b]\n", "p.yaml");
  REQUIRE(lists.ok());
  CHECK(lists.config.groups.consumer_groups.matches("b"));
  CHECK_FALSE(lists.config.groups.consumer_groups.matches("c"));
}

TEST_CASE("tracing headers: all at once, per header, and renamed", "[config]") {
  auto r =
      load_string(minimal + "features:\n  tracingHeaders: {offset: enabled, timestamp: enabled}\n"
                            "tracing:\n  headers: {offset: src_off}\n",
                  "p.yaml");
  REQUIRE(r.ok());
  const auto& th = r.config.features.tracing_headers;
  CHECK(th.offset);
  CHECK(th.timestamp);
  CHECK_FALSE(th.topic);
  CHECK_FALSE(th.pipeline);
  CHECK(r.config.tracing_headers.offset == "src_off");
  CHECK(r.config.tracing_headers.topic == "k2k_topic");
  auto off = load_string(minimal + "features: {tracingHeaders: disabled}\n", "p.yaml");
  REQUIRE(off.ok());
  CHECK_FALSE(off.config.features.tracing_headers.offset);
}

TEST_CASE("topicCreation: replication factor and the configs never copied", "[config]") {
  const auto& defaults = load_string(minimal, "p.yaml").config.topic_creation;
  CHECK(defaults.replication_factor == -1);
  CHECK(std::count(defaults.exclude_configs.begin(), defaults.exclude_configs.end(),
                   "message.timestamp.type") == 1);
  auto r = load_string(
      minimal + "topicCreation: {replicationFactor: 3, excludeConfigs: [segment.ms]}\n", "p.yaml");
  REQUIRE(r.ok());
  CHECK(r.config.topic_creation.replication_factor == 3);
  CHECK(r.config.topic_creation.exclude_configs == std::vector<std::string>{"segment.ms"});
  CHECK(
      only_error(minimal + "topicCreation: {excludeConfigs: segment.ms}\n") ==
      R"(p.yaml:13:33: topicCreation.excludeConfigs: expected a list of topic config names, found "segment.ms")");
  CHECK(
      only_error(minimal + "topicCreation: {replicationFactor: 0}\n") ==
      R"(p.yaml:13:36: topicCreation.replicationFactor: expected -1 (the broker's default) or an integer from 1 to 32, found "0")");
}
