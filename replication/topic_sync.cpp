#include "replication/topic_sync.hpp"

#include "kafka/admin.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace k2k::replication {

using namespace std::chrono_literals;

namespace {
constexpr auto metadata_timeout = 10s;
}

bool topic_sync::selected(const std::string& topic) const {
  const auto& sel = cfg_.replication.topics;
  // A regex never picks internal topics (__consumer_offsets, the mapping topic...).
  if (!sel.regex.empty() && topic.rfind("__", 0) == 0)
    return false;
  return sel.matches(topic);
}

result<std::map<std::string, std::string>> topic_sync::target_configs(const std::string& topic) {
  auto set = kafka::topic_configs_set(source_admin_, topic, metadata_timeout);
  if (!set) {
    if (set.error().code != ec::not_supported)
      return error_info{set.error().code,
                        set.error().message + " (to create the target topic alike)"};
    if (!configs_unsupported_warned_)
      spdlog::warn("replicate: the source cluster cannot describe topic configs; target topics "
                   "are created with the target's defaults");
    configs_unsupported_warned_ = true;
    return std::map<std::string, std::string>{};
  }
  for (const auto& name : cfg_.topic_creation.exclude_configs)
    set.value().erase(name);
  return set;
}

std::optional<error_info>
topic_sync::ensure_target_topic(const std::string& topic, int count,
                                const std::map<std::string, int>& existing, outcome& out) {
  auto target = cfg_.replication.sink.target_topic(topic);
  auto it = existing.find(target);
  if (it == existing.end()) {
    auto configs = target_configs(topic);
    if (!configs)
      return error_info{configs.error().code,
                        "target topic " + target + " is missing and " + configs.error().message};
    std::string listed;
    for (const auto& [key, value] : *configs)
      listed += (listed.empty() ? "" : ", ") + key + "=" + value;
    spdlog::info("replicate: creating target topic {} with {} partitions{}", target, count,
                 listed.empty() ? "" : " and " + listed);
    if (auto e = kafka::create_topic(
            target_admin_,
            {target, count, cfg_.topic_creation.replication_factor, std::move(configs.value())},
            metadata_timeout))
      return error_info{e->code, "target topic " + target + " is missing and " + e->message};
    out.grown.push_back(topic);
    return std::nullopt;
  }
  if (it->second < count) {
    // Partitions added on source: p -> p needs them on target before records arrive.
    spdlog::info("replicate: source topic {} has {} partitions, target topic {} has {}: adding "
                 "{} on target",
                 topic, count, target, it->second, count - it->second);
    if (auto e = kafka::create_partitions(target_admin_, target, count, metadata_timeout))
      return error_info{e->code, "target topic " + target + " has " + std::to_string(it->second) +
                                     " partitions but source topic " + topic + " has " +
                                     std::to_string(count) + " and " + e->message +
                                     "; partitions are copied p -> p, so the target needs at "
                                     "least " +
                                     std::to_string(count)};
    out.grown.push_back(topic);
  }
  return std::nullopt;
}

result<int32_t> topic_sync::ensure_mapping_topic(const std::map<std::string, int>& existing) {
  const auto& topic = cfg_.offset_mapping.topic;
  if (auto it = existing.find(topic); it != existing.end())
    return it->second;
  spdlog::info("replicate: creating mapping topic {} with {} partitions", topic,
               cfg_.offset_mapping.partitions);
  if (auto e = kafka::create_topic(target_admin_,
                                   {topic,
                                    cfg_.offset_mapping.partitions,
                                    cfg_.offset_mapping.replication_factor,
                                    {{"cleanup.policy", "delete"}}},
                                   metadata_timeout))
    return error_info{e->code, "mapping topic " + topic + " is missing and " + e->message};
  return cfg_.offset_mapping.partitions;
}

// Said once when a topic goes missing and once when it is back, not every refresh.
void topic_sync::note_missing_topics(const std::map<std::string, int>& source_topics) {
  for (const auto& name : cfg_.replication.topics.names) {
    bool exists = source_topics.count(name) > 0;
    if (!exists && missing_topics_.insert(name).second)
      spdlog::warn("replicate: source topic {} does not exist (yet); the others go on", name);
    else if (exists && missing_topics_.erase(name))
      spdlog::info("replicate: source topic {} exists again", name);
  }
}

result<topic_sync::outcome> topic_sync::refresh() {
  outcome out;
  auto source_topics = kafka::list_topics(source_admin_, metadata_timeout);
  if (!source_topics) {
    spdlog::warn("replicate: source metadata: {}; retrying", source_topics.error().message);
    return out;
  }
  auto target_topics = kafka::list_topics(target_admin_, metadata_timeout);
  if (!target_topics) {
    spdlog::warn("replicate: target metadata: {}; retrying", target_topics.error().message);
    return out;
  }
  std::vector<std::string> matched;
  for (const auto& [topic, count] : *source_topics) {
    if (!selected(topic))
      continue;
    if (auto e = ensure_target_topic(topic, count, *target_topics, out))
      return *e;
    matched.push_back(topic);
  }
  note_missing_topics(*source_topics);
  if (cfg_.features.offset_mapping) {
    auto partitions = ensure_mapping_topic(*target_topics);
    if (!partitions)
      return partitions.error();
    out.mapping_partitions = *partitions;
  }
  std::sort(matched.begin(), matched.end());
  if (matched != subscribed_)
    out.subscribe = subscribed_ = std::move(matched);
  return out;
}

} // namespace k2k::replication
