// What reads and writes groups' offsets on one cluster for a lane (groups.offsetClients).
#pragma once

#include "config/config.hpp"
#include "kafka/group_offsets_io.hpp"

#include <memory>

namespace k2k::offset_mapping {

// shared: one helper process per lane (kafka/group_offsets_helper.hpp); per-group: a consumer
// handle per group (kafka/group_client.hpp) whose requests live at most `request_timeout`.
// ec::invalid_config when shared and the helper executable cannot be found.
result<std::unique_ptr<kafka::group_offsets_io>>
make_offset_clients(const config::group_settings& groups, const config::cluster_settings& cluster,
                    std::chrono::milliseconds request_timeout);

} // namespace k2k::offset_mapping
