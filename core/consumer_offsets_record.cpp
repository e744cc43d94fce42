#include "core/consumer_offsets_record.hpp"

#include "core/byte_codec.hpp"

namespace k2k::core {

namespace {

// Key types 0 and 1 are the two (identical) OffsetCommitKey versions; 2 is GroupMetadataKey;
// higher ones are the newer coordinator's records.
constexpr int16_t offset_commit_key_types = 2;
constexpr int16_t newest_value_version = 4;
constexpr int16_t first_flexible_version = 4;
constexpr size_t max_name_length = 32767; // int16 lengths; the broker caps group ids lower

error_info malformed(const byte_reader& r, const std::string& where, const std::string& what) {
  return {ec::malformed_record, "malformed __consumer_offsets " + where + " at byte " +
                                    std::to_string(r.position()) + ": " + what};
}

// int16 length (-1: null, read as empty), then the bytes.
bool read_string(byte_reader& r, std::string& out) {
  int16_t length;
  if (!r.i16(length) || length < -1)
    return false;
  std::string_view bytes;
  if (length > 0 && !r.bytes(bytes, static_cast<size_t>(length)))
    return false;
  out.assign(bytes);
  return true;
}

// uvarint length + 1 (0: null, read as empty), then the bytes.
bool read_compact_string(byte_reader& r, std::string& out) {
  uint64_t length_plus_one;
  if (!r.uvarint(length_plus_one) || length_plus_one > max_name_length + 1 ||
      length_plus_one > r.remaining() + 1)
    return false;
  std::string_view bytes;
  if (length_plus_one > 1 && !r.bytes(bytes, static_cast<size_t>(length_plus_one - 1)))
    return false;
  out.assign(bytes);
  return true;
}

// The tagged fields that end a flexible version: skipped, whatever their tags.
bool skip_tagged_fields(byte_reader& r) {
  uint64_t count;
  if (!r.uvarint(count) || count > r.remaining())
    return false;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t tag, size;
    std::string_view skipped;
    if (!r.uvarint(tag) || !r.uvarint(size) || size > r.remaining() ||
        !r.bytes(skipped, static_cast<size_t>(size)))
      return false;
  }
  return true;
}

result<group_offset_value> decode_value(std::string_view bytes) {
  byte_reader r{bytes};
  int16_t version;
  if (!r.i16(version))
    return malformed(r, "offset value", "no version");
  if (version < 0 || version > newest_value_version)
    return error_info{ec::unknown_version, "__consumer_offsets offset value version " +
                                               std::to_string(version) +
                                               " is not known to this build (0 to " +
                                               std::to_string(newest_value_version) + ")"};
  group_offset_value v;
  int32_t leader_epoch;
  int64_t expire_timestamp;
  bool flexible = version >= first_flexible_version;
  bool ok = r.i64(v.offset) && (version < 3 || r.i32(leader_epoch)) &&
            (flexible ? read_compact_string(r, v.metadata) : read_string(r, v.metadata)) &&
            r.i64(v.commit_timestamp) && (version != 1 || r.i64(expire_timestamp)) &&
            (!flexible || skip_tagged_fields(r));
  if (!ok)
    return malformed(r, "offset value v" + std::to_string(version), "truncated");
  return v;
}

} // namespace

result<consumer_offsets_record>
decode_consumer_offsets_record(std::string_view key, std::optional<std::string_view> value) {
  byte_reader r{key};
  int16_t type;
  if (!r.i16(type) || type < 0)
    return malformed(r, "key", "no record type");
  consumer_offsets_record out;
  if (type >= offset_commit_key_types)
    return out; // kind::other
  auto& k = out.key;
  if (!read_string(r, k.group) || !read_string(r, k.topic) || !r.i32(k.partition))
    return malformed(r, "offset key", "truncated");
  if (k.group.empty() || k.topic.empty() || k.partition < 0)
    return malformed(r, "offset key", "empty group or topic, or a negative partition");
  if (!value) {
    out.what = consumer_offsets_record::kind::offset_deleted;
    return out;
  }
  auto v = decode_value(*value);
  if (!v)
    return v.error();
  out.what = consumer_offsets_record::kind::offset_commit;
  out.value = std::move(*v);
  return out;
}

std::string encode_offset_commit_key(const group_offset_key& key) {
  byte_writer w;
  w.u16(1);
  w.str(key.group);
  w.str(key.topic);
  w.i32(key.partition);
  return w.out;
}

std::string encode_offset_commit_value(const group_offset_value& value, int16_t value_version) {
  byte_writer w;
  w.u16(static_cast<uint16_t>(value_version));
  w.i64(value.offset);
  if (value_version >= 3)
    w.i32(-1); // leader epoch
  if (value_version >= first_flexible_version) {
    w.uvarint(value.metadata.size() + 1);
    w.out.append(value.metadata);
  } else {
    w.str(value.metadata);
  }
  w.i64(value.commit_timestamp);
  if (value_version == 1)
    w.i64(-1); // expire timestamp
  if (value_version >= first_flexible_version)
    w.uvarint(0); // no tagged fields
  return w.out;
}

} // namespace k2k::core
