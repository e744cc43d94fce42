// Strong offset types: a source offset can never be passed where a target offset
// is expected.
#pragma once

#include <cstdint>
#include <functional>

namespace k2k::core {

template <class Tag> struct named_offset {
  int64_t value = 0;

  constexpr named_offset() = default;
  constexpr explicit named_offset(int64_t v) : value(v) {}

  friend constexpr bool operator==(named_offset a, named_offset b) { return a.value == b.value; }
  friend constexpr bool operator!=(named_offset a, named_offset b) { return a.value != b.value; }
  friend constexpr bool operator<(named_offset a, named_offset b) { return a.value < b.value; }
  friend constexpr bool operator<=(named_offset a, named_offset b) { return a.value <= b.value; }
  friend constexpr bool operator>(named_offset a, named_offset b) { return a.value > b.value; }
  friend constexpr bool operator>=(named_offset a, named_offset b) { return a.value >= b.value; }
  constexpr named_offset operator+(int64_t n) const { return named_offset{value + n}; }
  constexpr int64_t operator-(named_offset o) const { return value - o.value; }
};

using source_offset = named_offset<struct source_offset_tag>;
using target_offset = named_offset<struct target_offset_tag>;

} // namespace k2k::core
