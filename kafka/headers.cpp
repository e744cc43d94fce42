#include "kafka/headers.hpp"

namespace k2k::kafka {

std::optional<std::string_view> header_value(const rd_kafka_message_t& m, const std::string& name) {
  rd_kafka_headers_t* headers = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  // rd_kafka_message_headers only reads; its parameter is not const in the C API
  if (rd_kafka_message_headers(&m, &headers) ||
      rd_kafka_header_get_last(headers, name.c_str(), &value, &size))
    return std::nullopt;
  return std::string_view{static_cast<const char*>(value), size};
}

} // namespace k2k::kafka
