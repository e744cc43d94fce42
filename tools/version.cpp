#include "tools/version.hpp"

#include <caf/config.hpp>
#include <librdkafka/rdkafka.h>

namespace k2k::tools {

std::string version_string() {
  constexpr int caf = CAF_VERSION;
  return std::string{"k2k "} + K2K_VERSION + " (librdkafka " + rd_kafka_version_str() + ", CAF " +
         std::to_string(caf / 10000) + "." + std::to_string(caf / 100 % 100) + "." +
         std::to_string(caf % 100) + ")";
}

} // namespace k2k::tools
