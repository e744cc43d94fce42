// Offset rewind protection: the version carried in a target commit's metadata,
// "<prefix>v1;src=<S>;map=<mapping partition>:<position>", and the rule deciding
// whether a new commit may replace the current one.
#pragma once

#include "core/offsets.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace k2k::core {

struct guard_version {
  source_offset source;      // the committed source offset the decision translated
  int32_t mapping_partition; // the mapping-topic partition holding this source partition
  int64_t mapping_position;  // how far that partition had been applied when deciding

  friend bool operator==(const guard_version& a, const guard_version& b) {
    return a.source == b.source && a.mapping_partition == b.mapping_partition &&
           a.mapping_position == b.mapping_position;
  }
};

std::string encode_guard_metadata(std::string_view prefix, const guard_version& v);

// nullopt when the metadata is not ours: another prefix, empty, an unknown format
// version, or garbage. Never throws.
std::optional<guard_version> parse_guard_metadata(std::string_view prefix,
                                                  std::string_view metadata);

// `next` dominates `current`: no component older, at least one newer. Positions of
// different mapping partitions are not comparable; then only a newer source offset counts.
bool dominates(const guard_version& next, const guard_version& current);

struct current_commit {
  target_offset offset;
  std::string metadata;
};

enum class guard_decision {
  write,
  skip_unchanged, // the target already holds this offset
  skip_stale,     // the current commit's version is not older than ours
  skip_foreign,   // the current commit was not made by k2k (or not by this prefix)
};

const char* to_string(guard_decision d);

guard_decision decide_commit(const std::optional<current_commit>& current, target_offset proposed,
                             const guard_version& version, std::string_view prefix,
                             bool guard_enabled);

} // namespace k2k::core
