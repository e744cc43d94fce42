// Creating librdkafka clients from k2k property maps.
#pragma once

#include "kafka/handles.hpp"
#include "kafka/properties.hpp"

#include <string>

namespace k2k::kafka {

// Throws std::runtime_error with librdkafka's reason when the client cannot be made.
handle_ptr make_producer(const properties& props);
handle_ptr make_consumer(const properties& props);

// "topic[partition]" for log lines and errors.
std::string describe(const std::string& topic, int32_t partition);

} // namespace k2k::kafka
