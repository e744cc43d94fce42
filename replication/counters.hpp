// The replicator's running totals. Written by the worker thread (and librdkafka's delivery
// callbacks, which run inside its polls), read by status snapshots.
#pragma once

#include <atomic>
#include <cstdint>

namespace k2k::replication {

struct replication_counters {
  std::atomic<uint64_t> records{0};  // confirmed on target
  std::atomic<uint64_t> bytes{0};    // key + value bytes confirmed on target
  std::atomic<uint64_t> mappings{0}; // mapping records confirmed
  std::atomic<uint64_t> delivery_errors{0};
  std::atomic<uint64_t> rewinds{0};
  std::atomic<uint64_t> aborted_transactions{0};
  std::atomic<uint64_t> records_deleted_on_source{0}; // by retention before they were copied
};

} // namespace k2k::replication
