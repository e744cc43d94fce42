// The replicator's bound on records in flight, as a pure rule.
//
// At the limit the loop stops taking records from the source and serves delivery reports
// instead; what the consumer prefetched stays queued (librdkafka bounds it). Pausing the
// partitions at once would throw that prefetch away (librdkafka purges a paused partition's
// queue) and fetch it again: the replicator bench lost half its throughput to that. Only a
// hold that lasts `hold_limit` pauses them, so the consumer is polled again (rebalances,
// max.poll.interval.ms); they resume at half the limit.
//
//   in flight   < limit ─────────────── consume
//   in flight  >= limit, held < 1 s ─── hold (serve delivery reports, take nothing)
//   in flight  >= limit, held >= 1 s ── pause, then consume (paused partitions give nothing)
//   paused, in flight <= limit / 2 ──── resume, then consume
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace k2k::core {

class backpressure {
public:
  using clock = std::chrono::steady_clock;
  enum class action { consume, hold, pause, resume };

  explicit backpressure(uint64_t limit,
                        std::chrono::milliseconds hold_limit = std::chrono::seconds{1})
      : limit_(limit), hold_limit_(hold_limit) {}

  // What the loop does this cycle with `in_flight` records unconfirmed. `paused`: the source
  // partitions are paused for backpressure now (the caller applies pause and resume).
  action decide(uint64_t in_flight, bool paused, clock::time_point now);

private:
  uint64_t limit_;
  std::chrono::milliseconds hold_limit_;
  std::optional<clock::time_point> holding_since_;
};

} // namespace k2k::core
