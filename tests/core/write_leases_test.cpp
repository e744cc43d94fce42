// write_leases: a mapping partition is writable only while held, and only after the grace.
#include "core/write_leases.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;
using namespace std::chrono_literals;

TEST_CASE("a taken-over mapping partition is written only after the grace", "[core][leases]") {
  write_leases leases{4s};
  auto t0 = write_leases::clock::time_point{} + 100s;
  CHECK_FALSE(leases.writable(0, t0)); // never granted
  leases.grant(0, t0);
  CHECK_FALSE(leases.writable(0, t0));
  CHECK_FALSE(leases.writable(0, t0 + 3999ms));
  CHECK(leases.writable(0, t0 + 4s));
  CHECK_FALSE(leases.writable(1, t0 + 4s)); // per partition
}

TEST_CASE("a revoked mapping partition is not written, and a new grant waits again",
          "[core][leases]") {
  write_leases leases{4s};
  auto t0 = write_leases::clock::time_point{} + 100s;
  leases.grant(2, t0);
  leases.grant(2, t0 + 3s); // the same assignment seen twice keeps the first grant
  CHECK(leases.writable(2, t0 + 4s));
  leases.revoke(2);
  CHECK_FALSE(leases.writable(2, t0 + 5s));
  leases.grant(2, t0 + 10s);
  CHECK_FALSE(leases.writable(2, t0 + 13s));
  CHECK(leases.writable(2, t0 + 14s));
  leases.revoke(7); // never held: nothing happens
}

TEST_CASE("the grace covers the commit timeout twice and librdkafka's timeout scan",
          "[core][leases]") {
  CHECK(write_leases::grace_for(2000ms) == 5s);
}
