#include "core/client_ids.hpp"

namespace k2k::core {

std::string replicator_group_id(const std::string& pipeline) {
  return "k2k-" + pipeline;
}

std::string offset_mapping_group_id(const std::string& pipeline) {
  return "k2k-" + pipeline + "-offset-mapping";
}

std::string checkpoint_reader_group_id(const std::string& pipeline) {
  return "k2k/" + pipeline + "/checkpoint";
}

std::string transactional_id(const std::string& pipeline, const std::string& topic,
                             int32_t partition) {
  return "k2k/" + pipeline + "/" + topic + "/" + std::to_string(partition);
}

std::string legacy_transactional_id(const std::string& pipeline, const std::string& topic,
                                    int32_t partition) {
  return "k2k-" + pipeline + "-" + topic + "-" + std::to_string(partition);
}

} // namespace k2k::core
