// docker-compose.yml and its Prometheus config cannot run here (no Docker, no real Kafka);
// they stay correct by construction: valid YAML, every service the deployment needs, and
// the k2k services' config file — the same example the other tests load — valid under the
// environment compose gives it.
#include "config/load.hpp"
#include "reliability/child_process.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

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

// The Debian packages of the shared libraries `binary` names as NEEDED (readelf, dpkg -S).
std::set<std::string> packages_needed_by(const std::string& binary) {
  using k2k::reliability::run_command;
  std::set<std::string> packages;
  std::istringstream needed{
      run_command("readelf -d '" + binary + "' | sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]/\\1/p'").out};
  for (std::string soname; std::getline(needed, soname);) {
    // "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"; lib32 and i386 variants left out
    std::istringstream owners{run_command("dpkg -S '*/" + soname + "' 2>/dev/null").out};
    for (std::string line; std::getline(owners, line);) {
      auto package = line.substr(0, line.find_first_of(":,"));
      if (package.rfind("lib32", 0) != 0 && package.find("i386") == std::string::npos)
        packages.insert(package);
    }
  }
  return packages;
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
  // The client library is built from Debian's source package and linked statically: never
  // Debian 12's binary librdkafka (2.0.2).
  CHECK(dockerfile.find("tools/install-librdkafka.sh") != std::string::npos);
  CHECK(dockerfile.find("librdkafka-dev") == std::string::npos);
  CHECK(dockerfile.find("librdkafka1") == std::string::npos);
  // The runtime stage installs the package of every shared library the k2k binary built here
  // needs directly (its NEEDED entries; apt brings theirs), but the base image's own.
  auto needed = packages_needed_by(K2K_BIN);
  REQUIRE(needed.count("libcaf-core0.17"));
  REQUIRE(needed.count("libssl3")); // librdkafka's own dependencies, linked into k2k
  auto runtime = dockerfile.substr(dockerfile.find("FROM debian:bookworm-slim"));
  for (const auto& package : needed)
    if (!std::set<std::string>{"libc6", "libstdc++6", "libgcc-s1"}.count(package)) {
      INFO(package);
      CHECK(runtime.find(" " + package + " ") != std::string::npos);
    }
}
