// What is left of a deadline, as librdkafka's int milliseconds (0 once it passed).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace k2k::core {

inline int ms_left(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

} // namespace k2k::core
