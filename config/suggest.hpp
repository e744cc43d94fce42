#pragma once

#include <string>
#include <vector>

namespace k2k::config {

// The candidate closest to `word` by edit distance (case-insensitive), or ""
// when none is close enough to be a plausible typo.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

} // namespace k2k::config
