// Topic discovery and creation: which source topics the pipeline replicates, their target
// topics (created when missing with the source's partition count and topic configs, given the
// partitions added on source) and the mapping topic.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "kafka/handles.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace k2k::replication {

class topic_sync {
public:
  topic_sync(const config::pipeline_config& cfg, rd_kafka_t* source_admin, rd_kafka_t* target_admin)
      : cfg_(cfg), source_admin_(source_admin), target_admin_(target_admin) {}

  struct outcome {
    std::optional<std::vector<std::string>> subscribe; // set when the matched topics changed
    int32_t mapping_partitions = 0;                    // 0: unknown (metadata unavailable)
    std::vector<std::string> grown; // source topics whose target was created or grown
  };

  // One refresh. An error is a problem the operator must fix (the worker stops); an
  // unreachable cluster is only logged and retried at the next refresh.
  result<outcome> refresh();

private:
  bool selected(const std::string& topic) const;
  std::optional<error_info> ensure_target_topic(const std::string& topic, int partitions,
                                                const std::map<std::string, int>& existing,
                                                outcome& out);
  // The source topic's own configs minus topicCreation.excludeConfigs.
  result<std::map<std::string, std::string>> target_configs(const std::string& topic);
  result<int32_t> ensure_mapping_topic(const std::map<std::string, int>& existing);
  void note_missing_topics(const std::map<std::string, int>& source_topics);

  const config::pipeline_config& cfg_;
  rd_kafka_t* source_admin_;
  rd_kafka_t* target_admin_;
  std::vector<std::string> subscribed_;
  std::set<std::string> missing_topics_; // configured source topics not in the metadata
  bool configs_unsupported_warned_ = false;
};

} // namespace k2k::replication
