// rewind_backoff: immediate first retry, then doubling from 100 ms up to 10 s.
#include "core/rewind_backoff.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;
using namespace std::chrono_literals;

TEST_CASE("a rewind retries at once, then backs off doubling up to 10 s", "[core][rewind]") {
  CHECK(rewind_backoff(0) == 0ms);
  CHECK(rewind_backoff(1) == 100ms);
  CHECK(rewind_backoff(2) == 200ms);
  CHECK(rewind_backoff(3) == 400ms);
  CHECK(rewind_backoff(7) == 6400ms);
  CHECK(rewind_backoff(8) == 10000ms);  // 12.8 s capped
  CHECK(rewind_backoff(60) == 10000ms); // no overflow however long it keeps failing
  CHECK(rewind_backoff(-1) == 0ms);
}
