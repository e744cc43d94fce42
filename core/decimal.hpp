// ASCII decimal for tracing-header values (so `kcat -f '%h'` shows them).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace k2k::core {

struct decimal_buffer {
  std::array<char, 24> chars;
  size_t size = 0;
  std::string_view view() const { return {chars.data(), size}; }
};

decimal_buffer format_decimal(int64_t value);

// Strict: an optional '-', then digits only, no spaces, no overflow.
std::optional<int64_t> parse_decimal(std::string_view text);

} // namespace k2k::core
