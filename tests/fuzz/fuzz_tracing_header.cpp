// Fuzz target: tracing-header values (k2k_offset, k2k_partition, ...) are ASCII decimals read
// from records anyone could have written; parsing never crashes and round-trips.
#include "core/decimal.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto value = k2k::core::parse_decimal(text);
  if (value && k2k::core::parse_decimal(k2k::core::format_decimal(*value).view()) != value)
    std::abort();
  return 0;
}
