#include "offset_mapping/offset_clients.hpp"

#include "kafka/group_client.hpp"
#include "kafka/group_offsets_helper.hpp"

namespace k2k::offset_mapping {

std::unique_ptr<kafka::group_offsets_io>
make_offset_clients(const config::group_settings& groups, const config::cluster_settings& cluster,
                    std::chrono::milliseconds request_timeout, const std::string& helper) {
  if (groups.offset_clients_kind == config::offset_clients::per_group)
    return std::make_unique<kafka::group_client_pool>(cluster.kafka.for_consumer(),
                                                      request_timeout);
  return std::make_unique<kafka::group_offsets_helper>(cluster.kafka.for_admin(), helper);
}

} // namespace k2k::offset_mapping
