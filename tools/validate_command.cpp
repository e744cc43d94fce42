#include "config/load.hpp"
#include "config/print.hpp"
#include "tools/commands.hpp"

#include <iostream>

namespace k2k::tools {

int validate_command(const std::string& config_path) {
  auto loaded = config::load_file(config_path);
  if (!loaded.ok()) {
    for (const auto& p : loaded.errors)
      std::cerr << p.to_string() << '\n';
    std::cerr << config_path << ": " << loaded.errors.size() << " problem"
              << (loaded.errors.size() == 1 ? "" : "s") << '\n';
    return 1;
  }
  std::cout << config::to_yaml(loaded.config);
  return 0;
}

} // namespace k2k::tools
