// client_ids: transactional ids cannot collide across pipelines and topics.
#include "core/client_ids.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

TEST_CASE("transactional ids of different pipelines and topics never collide", "[core][ids]") {
  // The old form joined everything with '-', which names may contain.
  CHECK(legacy_transactional_id("a-b", "c", 0) == legacy_transactional_id("a", "b-c", 0));
  CHECK(transactional_id("a-b", "c", 0) != transactional_id("a", "b-c", 0));
  CHECK(transactional_id("a", "b-1", 2) != transactional_id("a", "b", 12));
  CHECK(transactional_id("orders-dr", "orders", 3) == "k2k/orders-dr/orders/3");
}

TEST_CASE("the ids a running deployment depends on keep their form", "[core][ids]") {
  // The replicator's source group holds its commits (the resume point with mappings off);
  // offset-mapping workers of two versions must share one group during a rolling upgrade.
  CHECK(replicator_group_id("orders-dr") == "k2k-orders-dr");
  CHECK(offset_mapping_group_id("orders-dr") == "k2k-orders-dr-offset-mapping");
  CHECK(legacy_transactional_id("orders-dr", "orders", 3) == "k2k-orders-dr-orders-3");
  CHECK(checkpoint_reader_group_id("orders-dr") == "k2k/orders-dr/checkpoint");
}
