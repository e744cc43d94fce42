// docker-compose.yml and its Prometheus config cannot run here (no Docker, no real Kafka);
// they stay correct by construction: valid YAML, every service the deployment needs, and
// the k2k services' config file — the same example the other tests load — valid under the
// environment compose gives it.
#include "config/load.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>

namespace {

const std::string root = K2K_SOURCE_DIR;

// A service key, looking through a `<<: *anchor` merge (yaml-cpp keeps "<<" as a plain key).
YAML::Node field(const YAML::Node& service, const std::string& key) {
  if (service[key])
    return service[key];
  if (service["<<"] && service["<<"][key])
    return service["<<"][key];
  return {};
}

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

TEST_CASE("docker-compose.yml: the clusters, topic creator, replicator, two offset-mapping "
          "workers and Prometheus",
          "[deployment]") {
  auto compose = YAML::LoadFile(root + "/docker-compose.yml");
  std::set<std::string> services;
  for (const auto& s : compose["services"])
    services.insert(s.first.as<std::string>());
  CHECK(services == std::set<std::string>{"kafka-source", "kafka-target", "create-topics",
                                          "replicator", "offset-mapping-1", "offset-mapping-2",
                                          "prometheus"});
  for (const auto* name : {"kafka-source", "kafka-target"}) {
    auto env = compose["services"][name]["environment"];
    CHECK(field(compose["services"][name], "image").as<std::string>().rfind("apache/kafka:", 0) ==
          0);
    CHECK(field(env, "KAFKA_PROCESS_ROLES").as<std::string>() == "broker,controller"); // KRaft
  }

  const std::map<std::string, std::string> commands{{"replicator", "replicate"},
                                                    {"offset-mapping-1", "offset-mapping"},
                                                    {"offset-mapping-2", "offset-mapping"}};
  for (const auto& [name, command] : commands) {
    INFO(name);
    auto service = compose["services"][name];
    CHECK(field(service, "build").as<std::string>() == ".");
    auto cmd = field(service, "command");
    REQUIRE(cmd.size() == 3);
    CHECK(cmd[0].as<std::string>() == command);
    // The mounted config is a file of this repository, valid with the service's environment.
    auto volume = field(service, "volumes")[0].as<std::string>();
    auto host = volume.substr(0, volume.find(':'));
    auto in_container = volume.substr(host.size() + 1, volume.rfind(':') - host.size() - 1);
    CHECK(cmd[2].as<std::string>() == in_container);
    for (const auto& e : service["environment"]) {
      auto value = e.second.as<std::string>();
      ::setenv(e.first.as<std::string>().c_str(), value.c_str(), 1);
      if (e.first.as<std::string>().find("BOOTSTRAP") != std::string::npos)
        CHECK(services.count(value.substr(0, value.find(':'))));
    }
    auto loaded = k2k::config::load_file(root + "/" + host.substr(2));
    for (const auto& p : loaded.errors)
      FAIL_CHECK(p.to_string());
    CHECK(loaded.config.metrics.listen == "0.0.0.0:9091"); // reachable by Prometheus
    CHECK(loaded.config.source.kafka.common.at("bootstrap.servers") == "kafka-source:9092");
  }
  ::unsetenv("METRICS_LISTEN");
  ::unsetenv("SOURCE_BOOTSTRAP");
  ::unsetenv("TARGET_BOOTSTRAP");
}

TEST_CASE("Prometheus scrapes every k2k service of the compose file on its metrics port",
          "[deployment]") {
  auto prometheus = YAML::LoadFile(root + "/deploy/prometheus.yml");
  std::set<std::string> targets;
  for (const auto& job : prometheus["scrape_configs"])
    for (const auto& sc : job["static_configs"])
      for (const auto& t : sc["targets"])
        targets.insert(t.as<std::string>());
  CHECK(targets ==
        std::set<std::string>{"replicator:9091", "offset-mapping-1:9091", "offset-mapping-2:9091"});
}

TEST_CASE("the Dockerfile builds the CLI in one stage and ships it on a slim runtime",
          "[deployment]") {
  auto dockerfile = read_file(root + "/Dockerfile");
  CHECK(dockerfile.find("FROM debian:bookworm AS build") != std::string::npos);
  CHECK(dockerfile.find("FROM debian:bookworm-slim") != std::string::npos);
  CHECK(dockerfile.find("--target k2k-cli") != std::string::npos);
  // the runtime packages of every shared library build/k2k links (see `ldd build/k2k`)
  for (const auto* package : {"librdkafka1", "libcaf-core0.17", "libyaml-cpp0.7", "libspdlog1.10",
                              "libfmt9", "libjemalloc2"})
    CHECK(dockerfile.find(package) != std::string::npos);
}
