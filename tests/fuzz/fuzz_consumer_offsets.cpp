// Fuzz target: __consumer_offsets records are read from the source cluster, written by
// whichever Kafka version runs there; decoding never crashes, and an offset commit it accepts
// survives a round trip through the newest value version.
// Input: one byte (bit 0: the record has a value), two bytes of key length, the key, the value.
#include "core/consumer_offsets_record.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3)
    return 0;
  bool has_value = data[0] & 1;
  size_t key_length = (static_cast<size_t>(data[1]) << 8) | data[2];
  std::string_view rest{reinterpret_cast<const char*>(data) + 3, size - 3};
  if (key_length > rest.size())
    return 0;
  auto key = rest.substr(0, key_length);
  std::optional<std::string_view> value;
  if (has_value)
    value = rest.substr(key_length);
  auto decoded = k2k::core::decode_consumer_offsets_record(key, value);
  if (!decoded || decoded->what != k2k::core::consumer_offsets_record::kind::offset_commit)
    return 0;
  auto again = k2k::core::decode_consumer_offsets_record(
      k2k::core::encode_offset_commit_key(decoded->key),
      k2k::core::encode_offset_commit_value(*decoded->value, 4));
  const auto& a = *decoded;
  if (!again || again->key.group != a.key.group || again->key.topic != a.key.topic ||
      again->key.partition != a.key.partition || again->value->offset != a.value->offset ||
      again->value->metadata != a.value->metadata ||
      again->value->commit_timestamp != a.value->commit_timestamp)
    std::abort(); // what was accepted does not survive a round trip
  return 0;
}
