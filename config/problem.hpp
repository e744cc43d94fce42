// One thing wrong with a config file, located precisely enough to fix it.
#pragma once

#include <string>
#include <vector>

namespace k2k::config {

struct problem {
  std::string file;
  int line = 0;   // 1-based; 0 when unknown
  int column = 0; // 1-based; 0 when unknown
  std::string key_path;
  std::string message; // "expected ..., found ..."

  // FILE:LINE:COL: key.path: message
  std::string to_string() const;
};

using problems = std::vector<problem>;

} // namespace k2k::config
