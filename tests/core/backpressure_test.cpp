// backpressure: hold first, pause only a long hold, resume at half the limit.
#include "core/backpressure.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;
using namespace std::chrono_literals;
using action = backpressure::action;

TEST_CASE("below the limit the source is consumed", "[core][backpressure]") {
  backpressure b{100};
  auto t0 = backpressure::clock::time_point{};
  CHECK(b.decide(0, false, t0) == action::consume);
  CHECK(b.decide(99, false, t0 + 5s) == action::consume);
}

TEST_CASE("at the limit the source is held, and paused only after a hold of 1 s",
          "[core][backpressure]") {
  //  in flight  100   100    100     100      |  paused: 60 -> consume, 50 -> resume
  //  time       0     0.5 s  0.999 s 1 s
  //  action     hold  hold   hold    pause
  backpressure b{100};
  auto t0 = backpressure::clock::time_point{} + 10s;
  CHECK(b.decide(100, false, t0) == action::hold);
  CHECK(b.decide(150, false, t0 + 500ms) == action::hold);
  CHECK(b.decide(100, false, t0 + 999ms) == action::hold);
  CHECK(b.decide(100, false, t0 + 1s) == action::pause);
  // Paused: the consumer is polled (its paused partitions give nothing) until half the limit.
  CHECK(b.decide(100, true, t0 + 2s) == action::consume);
  CHECK(b.decide(51, true, t0 + 3s) == action::consume);
  CHECK(b.decide(50, true, t0 + 4s) == action::resume);
}

TEST_CASE("a hold that ends below the limit starts over", "[core][backpressure]") {
  backpressure b{100};
  auto t0 = backpressure::clock::time_point{} + 10s;
  CHECK(b.decide(100, false, t0) == action::hold);
  CHECK(b.decide(99, false, t0 + 900ms) == action::consume);
  // a new hold: its own second, not the rest of the first one
  CHECK(b.decide(100, false, t0 + 1100ms) == action::hold);
  CHECK(b.decide(100, false, t0 + 2000ms) == action::hold);
  CHECK(b.decide(100, false, t0 + 2100ms) == action::pause);
}

TEST_CASE("the hold limit is the caller's", "[core][backpressure]") {
  backpressure b{10, 0ms};
  CHECK(b.decide(10, false, backpressure::clock::time_point{}) == action::pause);
}
