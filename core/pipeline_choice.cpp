#include "core/pipeline_choice.hpp"

namespace k2k::core {

void pipeline_choice::consider(const pipeline_answer& a) {
  if (!a.answer.committable()) {
    if (!has_chosen_)
      outcome_ = a.answer.outcome;
    return;
  }
  if (has_chosen_ &&
      (chosen_.target_topic != a.target_topic || chosen_.target_partition != a.target_partition ||
       chosen_.answer.target != a.answer.target)) {
    if (!disagreement_.empty())
      disagreement_ += ", ";
    disagreement_ += a.pipeline.empty() ? "(unnamed, format 1)" : std::string{a.pipeline};
    disagreement_ += " -> " + std::string{a.target_topic} + "[" +
                     std::to_string(a.target_partition) + "]@" +
                     std::to_string(a.answer.target.value);
  }
  if (!has_chosen_ || a.last_update > chosen_.last_update) {
    chosen_ = a;
    has_chosen_ = true;
  }
}

} // namespace k2k::core
