#include "core/migration_verdict.hpp"

namespace k2k::core {

const char* to_string(migration_status s) {
  switch (s) {
  case migration_status::ready:
    return "ready";
  case migration_status::no_commit:
    return "no-commit";
  case migration_status::behind:
    return "behind";
  case migration_status::untraced:
    return "untraced";
  }
  return "?";
}

namespace {

migration_verdict ready(std::string found, int64_t target_offset, std::string note = {}) {
  return {migration_status::ready, std::move(found), target_offset, std::move(note)};
}

migration_verdict not_ready(migration_status status, std::string note) {
  return {status, {}, -1, std::move(note)};
}

// Everything replicated is below S: the group resumes right after the last replicated record,
// unless a source record between it and S exists but is not on target yet.
result<migration_verdict> after_last(const migration_facts& f, const migration_reads& reads) {
  auto next = reads.first_source_from(f.found.source_offset + 1);
  if (!next)
    return next.error();
  if (*next && **next < f.committed)
    return not_ready(migration_status::behind,
                     "replicated up to source offset " + std::to_string(f.found.source_offset) +
                         ", source record " + std::to_string(**next) + " not yet on target");
  return ready("after-last", f.found.target_offset);
}

// Nothing replicated from this partition is on target.
result<migration_verdict> untraced(const migration_facts& f, const migration_reads& reads) {
  auto first = reads.first_source_record();
  if (!first)
    return first.error();
  // The group has consumed nothing that exists on source: it starts where replicated records
  // will arrive.
  if (!*first || **first >= f.committed)
    return ready("end-of-target", f.target_high);
  if (f.found.untraced_seen > 0 && !f.offset_headers_seen)
    return not_ready(migration_status::untraced,
                     "none of the " + std::to_string(f.found.records_read) + " records read from " +
                         f.target + " carries the " + f.offset_header +
                         " header: was the replicator run with tracing headers enabled?");
  return not_ready(migration_status::behind, "nothing replicated from this partition yet");
}

} // namespace

result<migration_verdict> judge_resume(const migration_facts& f, const migration_reads& reads) {
  switch (f.found.how) {
  case resume_how::exact:
    return ready(to_string(f.found.how), f.found.target_offset);
  case resume_how::next: {
    std::string note;
    if (f.first_source_at_committed && *f.first_source_at_committed < f.found.source_offset)
      note = "source offsets " + std::to_string(*f.first_source_at_committed) + ".." +
             std::to_string(f.found.source_offset - 1) + " are not on target";
    return ready(to_string(f.found.how), f.found.target_offset, std::move(note));
  }
  case resume_how::after_last:
    return after_last(f, reads);
  case resume_how::untraced:
    return untraced(f, reads);
  }
  return error_info{ec::unspecified, "unknown resume outcome"};
}

} // namespace k2k::core
