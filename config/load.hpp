// Loads and validates a pipeline YAML file. Every problem is collected (not just
// the first) so one run of `k2k validate` shows everything to fix.
#pragma once

#include "config/config.hpp"
#include "config/problem.hpp"

#include <chrono>
#include <optional>
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

// "250ms", "5s", "1m", "1h" (positive); nullopt otherwise.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

} // namespace k2k::config
