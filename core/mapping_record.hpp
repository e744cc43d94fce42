// The mapping-topic record: format documented in docs/mapping-format.md.
#pragma once

#include "core/error.hpp"
#include "core/offset_index.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace k2k::core {

// Version 2 adds the pipeline name; a record without one is written (and read) as version 1.
constexpr uint8_t mapping_format_version = 2;

struct mapping_record {
  std::string pipeline; // the replicator's `name`; empty in version 1 records
  std::string source_topic;
  int32_t source_partition = 0;
  std::string target_topic;
  int32_t target_partition = 0;
  source_offset source_next;     // the replicator consumed the source up to here (exclusive)
  std::vector<mapping_run> runs; // ascending, non-overlapping; updated_ms is not encoded

  friend bool operator==(const mapping_record& a, const mapping_record& b);
};

// "<source topic>/<source partition>": all mappings of a source partition share a key,
// so they land in one mapping partition, in order.
std::string mapping_key(std::string_view source_topic, int32_t source_partition);

std::string encode_mapping(const mapping_record& r);

// Adds the record's runs to `index` and its src_next to the index's coverage.
void apply_mapping(offset_index& index, const mapping_record& r);

// A decoded record as views of the bytes it was decoded from, so the mapping ingest
// decodes without allocating. Valid while those bytes are; already validated.
struct mapping_record_view {
  std::string_view pipeline;
  std::string_view source_topic;
  int32_t source_partition = 0;
  std::string_view target_topic;
  int32_t target_partition = 0;
  source_offset source_next;
  std::string_view run_bytes; // the encoded runs, 20 bytes each

  size_t run_count() const;
  mapping_run run(size_t i) const; // i < run_count()
};

// Rejects truncated input, unknown versions, absurd lengths and counts, and runs
// that are not ascending; never reads out of bounds, never throws.
result<mapping_record_view> decode_mapping_view(std::string_view bytes);
result<mapping_record> decode_mapping(std::string_view bytes); // the same, owning its data

} // namespace k2k::core
