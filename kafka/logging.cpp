#include "kafka/logging.hpp"

#include <spdlog/spdlog.h>

namespace k2k::kafka {

namespace {

void log_line(const rd_kafka_t* rk, int level, const char* facility, const char* line) {
  // syslog levels: 0 emerg .. 7 debug
  auto lvl = level <= 3   ? spdlog::level::err
             : level == 4 ? spdlog::level::warn
             : level <= 6 ? spdlog::level::info
                          : spdlog::level::debug;
  // A program can give librdkafka's lines a logger of their own, named "rdkafka".
  if (auto own = spdlog::get("rdkafka"))
    own->log(lvl, "rdkafka {} {}: {}", rd_kafka_name(rk), facility, line);
  else
    spdlog::log(lvl, "rdkafka {} {}: {}", rd_kafka_name(rk), facility, line);
}

} // namespace

void route_logs(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_log_cb(conf, log_line);
}

} // namespace k2k::kafka
