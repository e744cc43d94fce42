// The median of a bench's rounds (the upper middle one of an even count).
#pragma once

#include <algorithm>
#include <vector>

namespace k2k::bench {

inline double median(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace k2k::bench
