// The translation rule of DESIGN.md: where a consumer that committed source offset S
// must resume on target so it reads exactly the records it had not read.
#pragma once

#include "core/offset_index.hpp"

namespace k2k::core {

enum class translation_outcome {
  pending,       // S > covered: replication is behind, commit nothing yet
  exact,         // S is mapped: T(S)
  after_mapped,  // largest mapped s < S: T(s) + 1
  below_first,   // S below the first mapping: T(first); records < first were never replicated
  nothing_known, // no mapping at all although the source is covered (only gaps so far)
};

const char* to_string(translation_outcome o);

// Whether an outcome names a target offset to commit (not pending / nothing_known).
constexpr bool committable(translation_outcome o) {
  return o != translation_outcome::pending && o != translation_outcome::nothing_known;
}

struct translation {
  translation_outcome outcome = translation_outcome::pending;
  target_offset target{-1}; // meaningful unless pending / nothing_known

  bool committable() const { return core::committable(outcome); }
};

translation translate(const offset_index& index, source_offset committed);

} // namespace k2k::core
