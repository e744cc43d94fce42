#include "core/decimal.hpp"

#include <charconv>

namespace k2k::core {

decimal_buffer format_decimal(int64_t value) {
  decimal_buffer b;
  auto r = std::to_chars(b.chars.data(), b.chars.data() + b.chars.size(), value);
  b.size = static_cast<size_t>(r.ptr - b.chars.data());
  return b;
}

std::optional<int64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20)
    return std::nullopt;
  int64_t value = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size())
    return std::nullopt;
  return value;
}

} // namespace k2k::core
