#include "tools/commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace k2k::tools {

bool setup_logging(const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  // from_str maps unknown names to "off"; only accept "off" when asked for.
  if (lvl == spdlog::level::off && level != "off") {
    std::cerr << "k2k: --log-level: expected trace, debug, info, warn, error, critical or off, "
                 "found \""
              << level << "\"\n";
    return false;
  }
  // Logs go to stderr so stdout stays machine-readable (bootstrap lines, JSON, config).
  auto logger = spdlog::stderr_color_mt("k2k");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
  return true;
}

} // namespace k2k::tools
