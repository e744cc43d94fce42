#include "tools/version.hpp"

#include <caf/config.hpp>
#include <librdkafka/rdkafka.h>

namespace k2k::tools {

namespace {

// What the linked librdkafka was built with (sasl_scram, oidc, zstd, ...).
std::string librdkafka_features() {
  auto* conf = rd_kafka_conf_new();
  char features[512] = "";
  size_t size = sizeof features;
  rd_kafka_conf_get(conf, "builtin.features", features, &size);
  rd_kafka_conf_destroy(conf);
  return features;
}

} // namespace

std::string version_string() {
  constexpr int caf = CAF_VERSION;
  return std::string{"k2k "} + K2K_VERSION + " (librdkafka " + rd_kafka_version_str() +
         " from Debian's source package " + K2K_RDKAFKA_DEBIAN_VERSION + ", CAF " +
         std::to_string(caf / 10000) + "." + std::to_string(caf / 100 % 100) + "." +
         std::to_string(caf % 100) + ")\nlibrdkafka features: " + librdkafka_features();
}

} // namespace k2k::tools
