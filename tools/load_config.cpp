#include "config/load.hpp"
#include "tools/commands.hpp"

#include <iostream>

namespace k2k::tools {

std::optional<config::pipeline_config> load_config(const std::string& config_path) {
  auto loaded = config::load_file(config_path);
  if (!loaded.ok()) {
    for (const auto& p : loaded.errors)
      std::cerr << p.to_string() << '\n';
    return std::nullopt;
  }
  return std::move(loaded.config);
}

} // namespace k2k::tools
