#include "kafka/properties.hpp"

#include <stdexcept>

namespace k2k::kafka {

std::optional<std::string> check_property(const std::string& key, const std::string& value) {
  conf_ptr conf{rd_kafka_conf_new()};
  char err[512];
  if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), err, sizeof err) !=
      RD_KAFKA_CONF_OK)
    return std::string{err};
  return std::nullopt;
}

conf_ptr make_conf(const properties& props) {
  conf_ptr conf{rd_kafka_conf_new()};
  char err[512];
  for (const auto& [key, value] : props)
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), err, sizeof err) !=
        RD_KAFKA_CONF_OK)
      throw std::invalid_argument("librdkafka property \"" + key + "\": " + err);
  return conf;
}

bool is_secret_property(const std::string& key) {
  auto has = [&](const char* part) { return key.find(part) != std::string::npos; };
  const std::string private_key = "key.pem"; // ssl.key.pem, ...assertion.private.key.pem
  bool ends_with_private_key =
      key.size() >= private_key.size() &&
      key.compare(key.size() - private_key.size(), std::string::npos, private_key) == 0;
  return has("password") || has("secret") || has("passphrase") || ends_with_private_key ||
         key == "sasl.oauthbearer.config";
}

} // namespace k2k::kafka
