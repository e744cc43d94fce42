// CAF's work-stealing scheduler tuned for k2k. An idle CAF 0.17 worker polls its queue with
// 50 us sleeps for its first 500 empty polls, so while mappings arrive every few hundred
// microseconds each idle worker wakes ~20,000 times a second, and those wake-ups take the
// cores librdkafka's threads and the mapping ingest need (bench/mapping_ingest_bench:
// ingest/raw 0.72 with CAF's defaults). Work sent from outside CAF still wakes a sleeping
// worker at once; an idle worker now steals queued work within 1 ms.
#pragma once

#include <caf/fwd.hpp>

namespace k2k::actors {

void tune_scheduler(caf::actor_system_config& cfg);

} // namespace k2k::actors
