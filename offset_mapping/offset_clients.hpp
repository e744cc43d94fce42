// What reads and writes groups' offsets on one cluster for a lane (groups.offsetClients).
#pragma once

#include "config/config.hpp"
#include "kafka/group_offsets_io.hpp"

#include <memory>

namespace k2k::offset_mapping {

// shared: one helper process per lane, started from `helper` (kafka/group_offsets_helper.hpp,
// found once by the service); per-group: a consumer handle per group (kafka/group_client.hpp)
// whose requests live at most `request_timeout`.
std::unique_ptr<kafka::group_offsets_io>
make_offset_clients(const config::group_settings& groups, const config::cluster_settings& cluster,
                    std::chrono::milliseconds request_timeout, const std::string& helper);

} // namespace k2k::offset_mapping
