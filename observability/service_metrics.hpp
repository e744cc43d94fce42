// What /metrics and /health say for the replicator and the offset-mapping service
// (docs/metrics.md lists every metric).
#pragma once

#include "observability/http_endpoint.hpp"
#include "offset_mapping/service_counters.hpp"
#include "replication/status.hpp"

#include <string>

namespace k2k::observability {

std::string replication_metrics(const replication::replication_status& status,
                                const std::string& pipeline);
health_report replication_health(const replication::replication_status& status);

std::string offset_mapping_metrics(const offset_mapping::service_counters& counters,
                                   const std::string& pipeline);
health_report offset_mapping_health(const offset_mapping::service_counters& counters);

} // namespace k2k::observability
