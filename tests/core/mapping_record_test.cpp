// The mapping-record codec: round trip, and malformed input rejected with a reason.
#include "core/mapping_record.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace k2k;
using namespace k2k::core;

namespace {

mapping_record sample() {
  mapping_record m;
  m.pipeline = "dr";
  m.source_topic = "orders";
  m.source_partition = 3;
  m.target_topic = "dr.orders";
  m.target_partition = 3;
  m.runs = {{source_offset{100}, target_offset{5000}, 10, 0},
            {source_offset{112}, target_offset{5010}, 3, 0}};
  m.source_next = source_offset{116};
  return m;
}

} // namespace

TEST_CASE("mapping records round-trip", "[core][mapping]") {
  auto bytes = encode_mapping(sample());
  CHECK(static_cast<uint8_t>(bytes[0]) == mapping_format_version);
  CHECK(bytes.size() == 1 + 2 + 2 + 2 + 6 + 4 + 2 + 9 + 4 + 8 + 4 + 2 * 20);
  auto decoded = decode_mapping(bytes);
  REQUIRE(decoded);
  CHECK(*decoded == sample());
  CHECK(decoded->pipeline == "dr");
  CHECK(mapping_key("orders", 3) == "orders/3");
}

TEST_CASE("the view decoder reads the record in place, without copying", "[core][mapping]") {
  auto bytes = encode_mapping(sample());
  auto view = decode_mapping_view(bytes);
  REQUIRE(view);
  auto inside = [&](std::string_view part) {
    return part.data() >= bytes.data() && part.data() + part.size() <= bytes.data() + bytes.size();
  };
  CHECK(view->pipeline == "dr");
  CHECK(inside(view->pipeline));
  CHECK(view->source_topic == "orders");
  CHECK(inside(view->source_topic));
  CHECK(view->target_topic == "dr.orders");
  CHECK(inside(view->target_topic));
  CHECK(view->source_partition == 3);
  CHECK(view->target_partition == 3);
  CHECK(view->source_next == source_offset{116});
  REQUIRE(view->run_count() == 2);
  CHECK(inside(view->run_bytes));
  CHECK(view->run(1).source_start == source_offset{112});
  CHECK(view->run(1).target_start == target_offset{5010});
  CHECK(view->run(1).count == 3);
}

TEST_CASE("version 1 records (no pipeline name, as older replicators wrote) still decode",
          "[core][mapping]") {
  auto v1 = sample();
  v1.pipeline.clear();
  auto bytes = encode_mapping(v1);
  CHECK(static_cast<uint8_t>(bytes[0]) == 1);
  CHECK(bytes.size() == 1 + 2 + 6 + 4 + 2 + 9 + 4 + 8 + 4 + 2 * 20); // the version 1 layout
  auto decoded = decode_mapping(bytes);
  REQUIRE(decoded);
  CHECK(*decoded == v1);
  CHECK(decoded->pipeline.empty());
}

TEST_CASE("runs longer than the 32-bit count are split on the wire", "[core][mapping]") {
  auto m = sample();
  m.runs = {{source_offset{0}, target_offset{0}, 5'000'000'000, 0}};
  m.source_next = source_offset{5'000'000'000};
  auto decoded = decode_mapping(encode_mapping(m));
  REQUIRE(decoded);
  REQUIRE(decoded->runs.size() == 2);
  CHECK(decoded->runs[1].source_start == source_offset{4'294'967'295});
  CHECK(decoded->runs[0].count + decoded->runs[1].count == 5'000'000'000);
}

TEST_CASE("every truncation of a record is rejected, never read past", "[core][mapping]") {
  auto bytes = encode_mapping(sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_mapping(std::string_view{bytes}.substr(0, n));
    INFO("truncated to " << n << " bytes");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ec::malformed_mapping);
  }
}

TEST_CASE("malformed fields are named in the error", "[core][mapping]") {
  auto bytes = encode_mapping(sample());
  SECTION("unknown version") {
    bytes[0] = 3;
    auto r = decode_mapping(bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ec::unknown_version);
    CHECK(r.error().message ==
          "mapping record format version 3 is not supported (this build reads versions 1 and 2)");
  }
  SECTION("absurd run count") {
    // run count sits 4 + 40 bytes before the end
    auto at = bytes.size() - 40 - 4;
    bytes[at] = '\x7f';
    auto r = decode_mapping(bytes);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("run count 2130706434 does not match the 40"));
  }
  SECTION("trailing bytes") {
    bytes += "x";
    CHECK_FALSE(decode_mapping(bytes));
  }
  SECTION("overlapping runs") {
    auto m = sample();
    m.runs[1].source_start = source_offset{105};
    auto r = decode_mapping(encode_mapping(m));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("run 1 overlaps or precedes"));
  }
  SECTION("src_next below the last run") {
    auto m = sample();
    m.source_next = source_offset{50};
    CHECK_FALSE(decode_mapping(encode_mapping(m)));
  }
  SECTION("a run ending past the largest offset (found by fuzzing)") {
    auto m = sample();
    m.runs.resize(1);
    m.runs[0].source_start = source_offset{INT64_MAX};
    m.source_next = source_offset{INT64_MAX};
    auto r = decode_mapping(encode_mapping(m));
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("run 0 ends beyond the largest offset"));
  }
  SECTION("topic length zero") {
    bytes[5] = 0; // after version (1), pipeline length (2) and "dr" (2)
    bytes[6] = 0;
    auto r = decode_mapping(bytes);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("source topic length 0 is outside 1..249"));
  }
}

TEST_CASE("random bytes never crash the decoder", "[core][mapping]") {
  std::mt19937 rng{42};
  auto good = encode_mapping(sample());
  for (int i = 0; i < 20000; ++i) {
    auto bytes = good;
    auto flips = 1 + rng() % 4;
    for (unsigned f = 0; f < flips; ++f)
      bytes[rng() % bytes.size()] = static_cast<char>(rng());
    auto r = decode_mapping(bytes);
    if (r) { // whatever decodes must be self-consistent
      for (const auto& run : r->runs)
        REQUIRE(run.count > 0);
      REQUIRE(encode_mapping(*r) == bytes);
    }
  }
}
