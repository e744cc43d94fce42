// Records of Kafka's internal __consumer_offsets topic, as far as committed offsets go: the
// key and value layouts Kafka documents in its coordinator record schemas
// (OffsetCommitKey, OffsetCommitValue versions 0 to 4; 4 is flexible and only ever gains
// tagged fields). Every other record kind there (group metadata, the KIP-848 group records)
// is recognised by its key's type and left alone.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace k2k::core {

struct group_offset_key {
  std::string group;
  std::string topic;
  int32_t partition = 0;
};

struct group_offset_value {
  int64_t offset = -1;
  std::string metadata;
  int64_t commit_timestamp = -1; // ms since the epoch, as the coordinator stamped it
};

struct consumer_offsets_record {
  enum class kind : uint8_t {
    offset_commit,  // key and value
    offset_deleted, // key and a tombstone: the group's offset was deleted or expired
    other,          // not an offset commit (group metadata, member records, ...)
  };
  kind what = kind::other;
  group_offset_key key;                    // offset_commit and offset_deleted
  std::optional<group_offset_value> value; // offset_commit
};

// Decodes one record; `value` is nullopt for a tombstone. Truncated or absurd bytes are
// ec::malformed_record, a value version this build does not know ec::unknown_version; it
// never reads out of bounds and never throws.
result<consumer_offsets_record>
decode_consumer_offsets_record(std::string_view key, std::optional<std::string_view> value);

// The bytes Kafka writes for an offset commit at `value_version` (0 to 4): for tests and
// fuzz seeds.
std::string encode_offset_commit_key(const group_offset_key& key);
std::string encode_offset_commit_value(const group_offset_value& value, int16_t value_version);

} // namespace k2k::core
