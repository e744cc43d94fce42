// Reading a record header by name.
#pragma once

#include <librdkafka/rdkafka.h>

#include <optional>
#include <string>
#include <string_view>

namespace k2k::kafka {

// The value of the record's last header called `name` (a view into the message), if any.
std::optional<std::string_view> header_value(const rd_kafka_message_t& m, const std::string& name);

} // namespace k2k::kafka
