// The limit in the side-by-side benchmark: the simplest correct consume -> produce loop, with
// the client settings k2k's replicator uses by default (source read_committed with its
// prefetch, queued.min.messages; target producer idempotent, linger.ms 5), and nothing else:
// no tracing headers, no mappings, no offsets, no group. What k2k adds to a copy, on real
// brokers, is measured against it.
#pragma once

#include <cstdint>
#include <string>

namespace k2k::bench::mm2 {

// Copies every partition of the workload's topics from source to the same topic and
// partition on target, from the first record to the end each had when the copy started;
// returns the records copied once all are delivered. Throws on any failure. `headers`: each
// copy carries the five tracing headers k2k writes by default (their values as k2k formats
// them), so what the headers cost is told apart from what k2k's bookkeeping costs.
uint64_t raw_copy(const std::string& source, const std::string& target, bool headers);

} // namespace k2k::bench::mm2
