// Fuzz target: the config loader turns any text into a config or a list of problems, never an
// exception or a crash.
#include "config/load.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto loaded = k2k::config::load_string({reinterpret_cast<const char*>(data), size}, "fuzz.yaml");
  for (const auto& p : loaded.errors)
    (void)p.to_string();
  return 0;
}
