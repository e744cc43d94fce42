// CAF's work-stealing scheduler tuned for k2k. An idle CAF 0.17 worker polls its queue with
// 50 us sleeps for its first 500 empty polls, so while mappings arrive every few hundred
// microseconds each idle worker wakes ~20,000 times a second, and those wake-ups take the
// cores librdkafka's threads and the mapping ingest need (bench/mapping_ingest_bench measures
// both settings; figures in bench/README.md). Tuned, a polling worker sleeps 1 ms
// between polls and tries to steal at each: it sees new work within 1 ms instead of 50 us,
// nothing a Kafka round trip would notice. A worker that has gone on to block on its
// condition variable is still woken at once by work sent from outside CAF.
#pragma once

#include <caf/fwd.hpp>

namespace k2k::offset_mapping {

void tune_scheduler(caf::actor_system_config& cfg);

} // namespace k2k::offset_mapping
