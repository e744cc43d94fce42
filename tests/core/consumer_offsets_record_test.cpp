// __consumer_offsets records: every offset-value version Kafka writes, tombstones, the other
// record kinds, and bad bytes (a clear error, never a crash).
#include "core/byte_codec.hpp"
#include "core/consumer_offsets_record.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::core;

namespace {

using kind = consumer_offsets_record::kind;

const group_offset_key key{"app", "orders", 7};
const group_offset_value value{4112, "k2k_v1;src=3588;map=0:2285", 1796265962647};

} // namespace

TEST_CASE("an offset commit decodes at every value version Kafka writes",
          "[core][consumer-offsets]") {
  for (int16_t version = 0; version <= 4; ++version) {
    INFO("value version " << version);
    auto r = decode_consumer_offsets_record(encode_offset_commit_key(key),
                                            encode_offset_commit_value(value, version));
    REQUIRE(r);
    CHECK(r->what == kind::offset_commit);
    CHECK(r->key.group == "app");
    CHECK(r->key.topic == "orders");
    CHECK(r->key.partition == 7);
    CHECK(r->value->offset == 4112);
    CHECK(r->value->metadata == "k2k_v1;src=3588;map=0:2285");
    CHECK(r->value->commit_timestamp == 1796265962647);
  }
}

TEST_CASE("a flexible offset value skips tagged fields it does not know",
          "[core][consumer-offsets]") {
  // Version 4 as Kafka 4.x writes it, with one tagged field (as the topic id is).
  auto bytes = encode_offset_commit_value(value, 4);
  bytes.pop_back(); // "no tagged fields"
  byte_writer tagged;
  tagged.uvarint(1);  // one field
  tagged.uvarint(0);  // tag 0
  tagged.uvarint(16); // 16 bytes: a uuid
  tagged.out.append(16, '\x5a');
  auto r = decode_consumer_offsets_record(encode_offset_commit_key(key), bytes + tagged.out);
  REQUIRE(r);
  CHECK(r->value->offset == 4112);
  CHECK(r->value->commit_timestamp == 1796265962647);
}

TEST_CASE("a tombstone is a deleted offset, other record kinds are left alone",
          "[core][consumer-offsets]") {
  auto deleted = decode_consumer_offsets_record(encode_offset_commit_key(key), std::nullopt);
  REQUIRE(deleted);
  CHECK(deleted->what == kind::offset_deleted);
  CHECK(deleted->key.group == "app");
  CHECK_FALSE(deleted->value);

  for (uint16_t type : {2, 3, 5, 16, 100}) { // group metadata, the KIP-848 records, future ones
    byte_writer k;
    k.u16(type);
    k.str("app");
    auto other = decode_consumer_offsets_record(k.out, std::string{"\x00\x03whatever", 10});
    REQUIRE(other);
    CHECK(other->what == kind::other);
  }
}

TEST_CASE("bad __consumer_offsets bytes are clear errors", "[core][consumer-offsets]") {
  auto k = encode_offset_commit_key(key);
  auto v = encode_offset_commit_value(value, 3);

  auto unknown = decode_consumer_offsets_record(k, std::string{"\x00\x05", 2} + v.substr(2));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ec::unknown_version);
  CHECK(unknown.error().message ==
        "__consumer_offsets offset value version 5 is not known to this build (0 to 4)");

  for (size_t cut = 0; cut < v.size(); ++cut) {
    auto truncated = decode_consumer_offsets_record(k, v.substr(0, cut));
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().code == ec::malformed_record);
  }
  for (size_t cut = 0; cut < k.size(); ++cut) {
    auto truncated = decode_consumer_offsets_record(k.substr(0, cut), v);
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().code == ec::malformed_record);
  }
  auto negative = decode_consumer_offsets_record(std::string{"\xff\xff", 2}, v);
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "malformed __consumer_offsets key at byte 2: no record type");

  // A compact metadata length far past the end.
  auto flexible = encode_offset_commit_value(value, 4);
  flexible[2 + 8 + 4] = '\x7f';
  auto absurd = decode_consumer_offsets_record(k, flexible);
  REQUIRE_FALSE(absurd);
  CHECK(absurd.error().code == ec::malformed_record);
}
