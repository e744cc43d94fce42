// Fuzz target: the mapping-record decoder must reject any byte string cleanly, and what it
// accepts must encode back to a record that decodes to the same thing.
#include "core/mapping_record.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = k2k::core::decode_mapping({reinterpret_cast<const char*>(data), size});
  if (!decoded)
    return 0;
  auto again = k2k::core::decode_mapping(k2k::core::encode_mapping(*decoded));
  if (!again || k2k::core::encode_mapping(*again) != k2k::core::encode_mapping(*decoded))
    std::abort(); // round trip broken
  return 0;
}
