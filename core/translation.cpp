#include "core/translation.hpp"

namespace k2k::core {

const char* to_string(translation_outcome o) {
  switch (o) {
  case translation_outcome::pending:
    return "pending";
  case translation_outcome::exact:
    return "exact";
  case translation_outcome::after_mapped:
    return "after_mapped";
  case translation_outcome::below_first:
    return "below_first";
  case translation_outcome::nothing_known:
    return "nothing_known";
  }
  return "unknown";
}

translation translate(const offset_index& index, source_offset committed) {
  if (committed > index.covered())
    return {translation_outcome::pending, target_offset{-1}};
  if (auto t = index.target_of(committed))
    return {translation_outcome::exact, *t};
  if (committed.value > 0)
    if (auto below = index.floor(committed + -1))
      return {translation_outcome::after_mapped, below->target + 1};
  if (auto first = index.first())
    return {translation_outcome::below_first, first->target};
  return {translation_outcome::nothing_known, target_offset{-1}};
}

} // namespace k2k::core
