#include "tools/allocator_tuning.hpp"

#include <fmt/format.h>
#include <jemalloc/jemalloc.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/types.h>

namespace k2k::tools {

std::optional<long> replication_dirty_decay_ms(bool exactly_once, const char* malloc_conf_env) {
  if (exactly_once || (malloc_conf_env && *malloc_conf_env))
    return std::nullopt;
  return 1000;
}

void tune_allocator_for_replication(bool exactly_once) {
  auto decay = replication_dirty_decay_ms(exactly_once, std::getenv("MALLOC_CONF"));
  if (!decay)
    return;
  ssize_t value = *decay;
  auto set = [&](const std::string& name) {
    return mallctl(name.c_str(), nullptr, nullptr, &value, sizeof value);
  };
  auto warn = [&](const std::string& name, int err) {
    spdlog::warn("replicate: jemalloc refused {} = {}: {}; keeping its default", name, value,
                 std::strerror(err));
  };
  // arenas.*: arenas made from now on (jemalloc makes most lazily, on a thread's first
  // allocation); arena.<i>.*: those that exist already. EFAULT: arena i is not made yet.
  if (int err = set("arenas.dirty_decay_ms"))
    return warn("arenas.dirty_decay_ms", err);
  unsigned arenas = 0;
  size_t size = sizeof arenas;
  if (int err = mallctl("arenas.narenas", &arenas, &size, nullptr, 0))
    return warn("arenas.narenas", err);
  for (unsigned i = 0; i < arenas; ++i) {
    auto name = fmt::format("arena.{}.dirty_decay_ms", i);
    if (int err = set(name); err && err != EFAULT)
      warn(name, err);
  }
}

} // namespace k2k::tools
