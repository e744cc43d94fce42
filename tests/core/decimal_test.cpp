#include "core/decimal.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace k2k::core;

TEST_CASE("decimal header values format and parse strictly", "[core][decimal]") {
  CHECK(format_decimal(0).view() == "0");
  CHECK(format_decimal(1'700'000'000'123).view() == "1700000000123");
  CHECK(format_decimal(std::numeric_limits<int64_t>::min()).view() == "-9223372036854775808");
  CHECK(parse_decimal("42") == 42);
  CHECK(parse_decimal("-7") == -7);
  CHECK(parse_decimal("9223372036854775807") == std::numeric_limits<int64_t>::max());
  CHECK_FALSE(parse_decimal(""));
  CHECK_FALSE(parse_decimal(" 42"));
  CHECK_FALSE(parse_decimal("42 "));
  CHECK_FALSE(parse_decimal("4x2"));
  CHECK_FALSE(parse_decimal("+42"));
  CHECK_FALSE(parse_decimal("9223372036854775808"));
  CHECK_FALSE(parse_decimal("0x10"));
}
