#include "core/rewind_backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace k2k::core {

std::chrono::milliseconds rewind_backoff(int rewinds_in_a_row) {
  if (rewinds_in_a_row <= 0)
    return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{
      std::min<int64_t>(10000, int64_t{100} << std::min(rewinds_in_a_row - 1, 7))};
}

} // namespace k2k::core
