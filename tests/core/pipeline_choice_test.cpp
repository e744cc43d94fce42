// pipeline_choice: the newest mapping answers; disagreement is collected, agreement is not.
#include "core/pipeline_choice.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

namespace {
translation at(int64_t target) {
  return {translation_outcome::exact, target_offset{target}};
}
} // namespace

TEST_CASE("the pipeline with the newest mapping answers", "[core][pipelines]") {
  pipeline_choice c;
  c.consider({"dr-a", "orders", 0, 500, at(40)});
  c.consider({"dr-b", "orders", 0, 900, at(40)});
  REQUIRE(c.chosen());
  CHECK(c.answer().pipeline == "dr-b");
  CHECK(c.outcome() == translation_outcome::exact);
  CHECK(c.disagreement().empty()); // same target offset: no conflict
}

TEST_CASE("pipelines that map one offset to different targets are named", "[core][pipelines]") {
  pipeline_choice c;
  c.consider({"dr-a", "orders", 0, 900, at(40)});
  c.consider({"", "orders", 1, 100, at(40)});
  c.consider({"dr-c", "orders", 0, 200, at(41)});
  CHECK(c.answer().pipeline == "dr-a"); // still the newest
  CHECK(c.disagreement() == "(unnamed, format 1) -> orders[1]@40, dr-c -> orders[0]@41");
}

TEST_CASE("without a committable answer the outcome says why", "[core][pipelines]") {
  pipeline_choice none;
  CHECK_FALSE(none.chosen());
  CHECK(none.outcome() == translation_outcome::pending);

  pipeline_choice behind;
  behind.consider({"dr-a", "orders", 0, 900, {translation_outcome::pending, target_offset{-1}}});
  CHECK_FALSE(behind.chosen());
  CHECK(behind.outcome() == translation_outcome::pending);
  // A committable answer of another pipeline speaks instead.
  behind.consider({"dr-b", "orders", 0, 100, at(7)});
  REQUIRE(behind.chosen());
  CHECK(behind.answer().answer.target == target_offset{7});
  CHECK(behind.disagreement().empty());
}
