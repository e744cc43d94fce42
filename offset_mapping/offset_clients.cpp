#include "offset_mapping/offset_clients.hpp"

#include "kafka/group_client.hpp"
#include "kafka/group_offsets_helper.hpp"

namespace k2k::offset_mapping {

result<std::unique_ptr<kafka::group_offsets_io>>
make_offset_clients(const config::group_settings& groups, const config::cluster_settings& cluster,
                    std::chrono::milliseconds request_timeout) {
  std::unique_ptr<kafka::group_offsets_io> out;
  if (groups.offset_clients_kind == config::offset_clients::per_group) {
    out = std::make_unique<kafka::group_client_pool>(cluster.kafka.for_consumer(), request_timeout);
    return out;
  }
  auto helper = kafka::find_group_offsets_helper();
  if (!helper)
    return helper.error();
  out = std::make_unique<kafka::group_offsets_helper>(cluster.kafka.for_admin(), *helper);
  return out;
}

} // namespace k2k::offset_mapping
