// One source partition's records between "sent to target" and "mapped": delivery
// reports may confirm them in any order; only the gap-free confirmed prefix becomes
// a mapping (and so progress). A failure holds the prefix back until a rewind.
#pragma once

#include "core/offset_index.hpp"

#include <deque>
#include <optional>
#include <vector>

namespace k2k::core {

struct mapped_prefix {
  std::vector<mapping_run> runs;
  source_offset source_next; // last confirmed source offset + 1
};

// Where a mapping of `prefix` says the source is copied up to: past offsets that hold no
// record to copy (transaction markers, records compacted away) as far as the consumer's
// position, but never past a record fetched and still waiting to be copied (exactly-once
// holds a partition's records back while its batch commits): a restart resumes there.
source_offset mapped_source_next(const mapped_prefix& prefix, int64_t consumer_position,
                                 std::optional<int64_t> first_waiting);

class partition_progress {
public:
  // Sends happen in increasing source order.
  void sent(source_offset s);
  // A delivery without a target offset (librdkafka's implicit ack of a retried idempotent
  // write) counts as failed: the record must be sent again so that a mapping can name it.
  void delivered(source_offset s, target_offset t);
  void failed(source_offset s);

  // Takes the confirmed gap-free prefix as runs; nullopt when there is none.
  std::optional<mapped_prefix> take_confirmed_prefix();

  size_t in_flight() const { return entries_.size(); }
  // The earliest failed source offset still held, if any.
  std::optional<source_offset> first_failure() const { return first_failure_; }
  // Forget everything (after seeking the source back to first_failure()).
  void reset();

private:
  enum class state : uint8_t { sent, delivered, failed };
  struct entry {
    source_offset source;
    target_offset target{-1};
    state st = state::sent;
  };
  entry* find(source_offset s);

  std::deque<entry> entries_;
  std::optional<source_offset> first_failure_;
};

} // namespace k2k::core
