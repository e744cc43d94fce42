// Which pipeline's translation answers when several replicators mapped one source partition
// (errorHandling.onMultipleTargetCommittedOffsets): the one with the newest mapping, as within
// one pipeline; answers that disagree with it are collected for the operator. A fold, so the
// hot translate path allocates nothing unless pipelines disagree.
#pragma once

#include "core/translation.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace k2k::core {

struct pipeline_answer {
  std::string_view pipeline; // "" for version 1 mapping records, which name none
  std::string_view target_topic;
  int32_t target_partition = 0;
  int64_t last_update = 0; // mapping-topic offset of the pipeline's newest mapping
  translation answer;
};

class pipeline_choice {
public:
  // Each pipeline's answer, in any order.
  void consider(const pipeline_answer& a);

  bool chosen() const { return has_chosen_; }
  // The chosen answer's; without one, the last (uncommittable) outcome considered, or pending.
  translation_outcome outcome() const { return has_chosen_ ? chosen_.answer.outcome : outcome_; }
  const pipeline_answer& answer() const { return chosen_; }
  // "<pipeline> -> topic[p]@offset, ..." of committable answers that disagreed with one
  // considered before them; empty when all agree.
  const std::string& disagreement() const { return disagreement_; }

private:
  bool has_chosen_ = false;
  translation_outcome outcome_ = translation_outcome::pending;
  pipeline_answer chosen_;
  std::string disagreement_;
};

} // namespace k2k::core
