#include "config/config.hpp"

#include <algorithm>
#include <regex>

namespace k2k::config {

namespace {

kafka_properties overlay(const kafka_properties& base, const kafka_properties& role) {
  auto result = base;
  for (const auto& [key, value] : role)
    result[key] = value;
  return result;
}

bool in(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool full_match(const std::string& pattern, const std::string& name) {
  // Patterns were compiled once by the loader; an invalid one never gets here.
  return std::regex_match(name, std::regex(pattern));
}

} // namespace

kafka_properties kafka_settings::for_consumer() const {
  return overlay(common, consumer);
}
kafka_properties kafka_settings::for_producer() const {
  return overlay(common, producer);
}
kafka_properties kafka_settings::for_admin() const {
  return overlay(common, admin);
}

bool name_selector::matches(const std::string& name) const {
  bool included = regex.empty() ? in(names, name) : full_match(regex, name);
  if (!included)
    return false;
  if (in(exclude_names, name))
    return false;
  return exclude_regex.empty() || !full_match(exclude_regex, name);
}

} // namespace k2k::config
