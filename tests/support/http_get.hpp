// A plain HTTP/1.1 GET against the local metrics endpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace k2k::test {

struct http_reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

http_reply http_get(uint16_t port, const std::string& path);

// The value of the first sample line starting with `series` (name plus labels, exactly as
// exposed), or nullopt.
std::optional<double> sample(const std::string& metrics, const std::string& series);

} // namespace k2k::test
