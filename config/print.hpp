#pragma once

#include "config/config.hpp"

#include <string>

namespace k2k::config {

// The effective configuration (defaults filled in) as YAML; secrets shown as ***.
std::string to_yaml(const pipeline_config& c);

} // namespace k2k::config
