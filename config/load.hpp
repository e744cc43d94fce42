// Loads and validates a pipeline YAML file. Every problem is collected (not just
// the first) so one run of `k2k validate` shows everything to fix.
#pragma once

#include "config/config.hpp"
#include "config/problem.hpp"

#include <string>

namespace k2k::config {

struct load_result {
  pipeline_config config;
  problems errors;

  bool ok() const { return errors.empty(); }
};

load_result load_file(const std::string& path);

// `file_name` is only used to label problems.
load_result load_string(const std::string& yaml, const std::string& file_name);

} // namespace k2k::config
