#include "replication/checkpoint_reader.hpp"

#include "core/mapping_record.hpp"
#include "kafka/client.hpp"
#include "kafka/partition_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace k2k::replication {

result<std::map<std::string, int64_t>> read_checkpoints(kafka::properties props,
                                                        const std::string& topic,
                                                        const std::string& pipeline,
                                                        checkpoint_request wanted) {
  // Reads committed data only: mappings of aborted (exactly-once) transactions are not
  // checkpoints.
  auto reader = kafka::make_partition_reader(std::move(props));
  std::map<std::string, int64_t> found;
  for (auto& [mp, keys] : wanted) {
    // A mapping topic created a moment ago may not be known to every broker yet.
    auto wm = kafka::watermarks(reader.get(), topic, mp);
    for (int retry = 0; !wm && retry < 20; ++retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      wm = kafka::watermarks(reader.get(), topic, mp);
    }
    if (!wm)
      return wm.error();
    auto [low, high] = *wm;
    // Windows grow backwards from the end: the newest mapping of a key is near it.
    int64_t end = high, window = 1000;
    while (!keys.empty() && end > low) {
      int64_t start = std::max(low, end - window);
      std::map<std::string, int64_t> in_window;
      auto complete = kafka::scan_partition(
          reader.get(), topic, mp, start, end, [&](const rd_kafka_message_t& m) {
            std::string key(static_cast<const char*>(m.key), m.key_len);
            if (!keys.count(key))
              return;
            auto decoded = core::decode_mapping({static_cast<const char*>(m.payload), m.len});
            if (!decoded) {
              spdlog::warn("checkpoint: skipping mapping record {}@{}: {}",
                           kafka::describe(topic, mp), m.offset, decoded.error().message);
              return;
            }
            // Another pipeline's progress is not ours (version 1 records name none: ours).
            if (!decoded->pipeline.empty() && decoded->pipeline != pipeline)
              return;
            in_window[key] = decoded->source_next.value; // later records overwrite
          });
      if (!complete)
        return error_info{ec::kafka_error, "timed out reading " + kafka::describe(topic, mp)};
      for (const auto& [key, next] : in_window) {
        found[key] = next;
        keys.erase(key);
      }
      end = start;
      window *= 4;
    }
  }
  return found;
}

} // namespace k2k::replication
