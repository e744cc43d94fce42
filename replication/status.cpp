#include "replication/status.hpp"

#include <ostream>

namespace k2k::replication {

const char* to_string(phase p) {
  switch (p) {
  case phase::starting:
    return "starting";
  case phase::running:
    return "running";
  case phase::stopping:
    return "stopping";
  case phase::stopped:
    return "stopped";
  case phase::failed:
    return "failed";
  }
  return "unknown";
}

bool operator==(phase p, std::string_view name) {
  return name == to_string(p);
}

bool operator!=(phase p, std::string_view name) {
  return !(p == name);
}

std::ostream& operator<<(std::ostream& out, phase p) {
  return out << to_string(p);
}

} // namespace k2k::replication
