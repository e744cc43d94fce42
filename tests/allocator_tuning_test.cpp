// The replicate process's jemalloc settings (tools/allocator_tuning.hpp), read back from
// jemalloc itself.
#include "tools/allocator_tuning.hpp"

#include <catch2/catch.hpp>
#include <jemalloc/jemalloc.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <sys/types.h>

namespace {

ssize_t dirty_decay_ms_of_arena(unsigned arena) {
  ssize_t value = 0;
  size_t size = sizeof value;
  auto name = "arena." + std::to_string(arena) + ".dirty_decay_ms";
  REQUIRE(mallctl(name.c_str(), &value, &size, nullptr, 0) == 0);
  return value;
}

unsigned new_arena() {
  unsigned arena = 0;
  size_t size = sizeof arena;
  REQUIRE(mallctl("arenas.create", &arena, &size, nullptr, 0) == 0);
  return arena;
}

// MALLOC_CONF unset for the scope, as in a process started without it.
struct without_malloc_conf {
  without_malloc_conf() {
    if (const char* v = std::getenv("MALLOC_CONF"))
      saved = v;
    unsetenv("MALLOC_CONF");
  }
  ~without_malloc_conf() {
    if (saved)
      setenv("MALLOC_CONF", saved->c_str(), 1);
  }
  std::optional<std::string> saved;
};

} // namespace

TEST_CASE("the replicator's freed pages go back after 1 s at least once, after jemalloc's "
          "default exactly once or when MALLOC_CONF is set") {
  using k2k::tools::replication_dirty_decay_ms;
  CHECK(replication_dirty_decay_ms(false, nullptr) == 1000);
  CHECK(replication_dirty_decay_ms(false, "") == 1000);
  CHECK_FALSE(replication_dirty_decay_ms(true, nullptr));
  CHECK_FALSE(replication_dirty_decay_ms(false, "dirty_decay_ms:5000"));
}

TEST_CASE("tuning the allocator sets every arena, present and future, and only at least once") {
  without_malloc_conf env;
  auto before = dirty_decay_ms_of_arena(0);
  REQUIRE(before != 1000); // jemalloc's default is 10 s: the test would show nothing

  k2k::tools::tune_allocator_for_replication(true);
  CHECK(dirty_decay_ms_of_arena(0) == before);

  k2k::tools::tune_allocator_for_replication(false);
  CHECK(dirty_decay_ms_of_arena(0) == 1000);
  CHECK(dirty_decay_ms_of_arena(new_arena()) == 1000);
}
