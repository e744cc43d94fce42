// librdkafka configuration from k2k's property maps.
#pragma once

#include "kafka/handles.hpp"

#include <map>
#include <optional>
#include <string>

namespace k2k::kafka {

using properties = std::map<std::string, std::string>;

// librdkafka's own complaint about one property (unknown key, bad value), if any.
std::optional<std::string> check_property(const std::string& key, const std::string& value);

// A conf with every property applied; throws std::invalid_argument naming the key
// on the first one librdkafka rejects (config::load has already checked them).
conf_ptr make_conf(const properties& props);

// Properties whose values must never be printed or logged.
bool is_secret_property(const std::string& key);

} // namespace k2k::kafka
