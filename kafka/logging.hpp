#pragma once

#include <librdkafka/rdkafka.h>

namespace k2k::kafka {

// Sends librdkafka's log lines to spdlog (logger "rdkafka") instead of stderr.
void route_logs(rd_kafka_conf_t* conf);

} // namespace k2k::kafka
