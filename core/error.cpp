#include "core/error.hpp"

namespace k2k {

const char* to_string(ec code) {
  switch (code) {
  case ec::unspecified:
    return "unspecified";
  case ec::malformed_mapping:
    return "malformed_mapping";
  case ec::unknown_version:
    return "unknown_version";
  case ec::invalid_config:
    return "invalid_config";
  case ec::kafka_error:
    return "kafka_error";
  case ec::not_supported:
    return "not_supported";
  case ec::active_group:
    return "active_group";
  case ec::shutting_down:
    return "shutting_down";
  case ec::timed_out:
    return "timed_out";
  case ec::malformed_record:
    return "malformed_record";
  }
  return "unknown";
}

} // namespace k2k
