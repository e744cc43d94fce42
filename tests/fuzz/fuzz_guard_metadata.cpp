// Fuzz target: commit metadata is read from the target cluster, written by anyone; parsing
// never crashes, and what it accepts survives a round trip.
#include "core/guard.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto version = k2k::core::parse_guard_metadata("k2k_", text);
  if (!version)
    return 0;
  auto again =
      k2k::core::parse_guard_metadata("k2k_", k2k::core::encode_guard_metadata("k2k_", *version));
  if (!again || !(*again == *version))
    std::abort(); // what was accepted does not survive a round trip
  return 0;
}
