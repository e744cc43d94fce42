#include "core/group_offsets_wire.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
namespace wire = k2k::core::group_offsets_wire;

TEST_CASE("helper requests and replies survive the wire with any metadata bytes",
          "[core][group-offsets-wire]") {
  std::string binary_metadata{"k2k_v1\0\xff\x80;src=1", 14};
  wire::request request{42,
                        wire::op::write,
                        "payments",
                        1500,
                        {{"orders", 3, 77, binary_metadata, 0}, {"audit", 0, 5, "", 0}}};
  auto back = wire::decode_request(wire::encode(request));
  REQUIRE(back);
  CHECK(back->id == 42);
  CHECK(back->what == wire::op::write);
  CHECK(back->group == "payments");
  CHECK(back->timeout_ms == 1500);
  REQUIRE(back->partitions.size() == 2);
  CHECK(back->partitions[0].metadata == binary_metadata);
  CHECK(back->partitions[1].topic == "audit");

  wire::reply ok{42, std::nullopt, "", {{"orders", 3, -1, "", 27}}};
  auto ok_back = wire::decode_reply(wire::encode(ok));
  REQUIRE(ok_back);
  CHECK_FALSE(ok_back->failed);
  CHECK(ok_back->partitions.at(0).error == 27);

  wire::reply refused{43, ec::active_group, "group payments has live members", {}};
  auto refused_back = wire::decode_reply(wire::encode(refused));
  REQUIRE(refused_back);
  CHECK(refused_back->failed == ec::active_group);
  CHECK(refused_back->message == "group payments has live members");

  std::map<std::string, std::string> props{{"bootstrap.servers", "a:9092"}, {"sasl.password", ""}};
  auto props_back = wire::decode_properties(wire::encode(props));
  REQUIRE(props_back);
  CHECK(*props_back == props);
}

TEST_CASE("truncated or lying helper messages are refused, not read past",
          "[core][group-offsets-wire]") {
  auto bytes = wire::encode(wire::request{1, wire::op::read, "g", 10, {{"t", 0, -1, "m", 0}}});
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    CHECK(wire::decode_request(std::string_view{bytes}.substr(0, cut)).error().code ==
          ec::malformed_record);
  auto extra = bytes + "x";
  CHECK_FALSE(wire::decode_request(extra));
  auto unknown_kind = bytes;
  unknown_kind[8] = 9;
  CHECK(wire::decode_request(unknown_kind).error().code == ec::unknown_version);
  // A count of entries the bytes cannot hold.
  std::string lying_count{"\x7f\xff\xff\xff", 4};
  CHECK_FALSE(wire::decode_properties(lying_count));
}

TEST_CASE("frames are split from a stream however it arrives", "[core][group-offsets-wire]") {
  auto stream = wire::frame("first") + wire::frame("") + wire::frame("third");
  wire::frame_splitter splitter;
  std::vector<std::string> payloads;
  for (char c : stream) { // one byte at a time: the worst the socket can do
    splitter.append({&c, 1});
    for (auto next = splitter.next(); next && *next; next = splitter.next())
      payloads.push_back(**next);
  }
  CHECK(payloads == std::vector<std::string>{"first", "", "third"});

  wire::frame_splitter oversized;
  oversized.append(std::string{"\x7f\x00\x00\x00", 4});
  CHECK(oversized.next().error().code == ec::malformed_record);
}
