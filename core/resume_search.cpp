#include "core/resume_search.hpp"

#include <algorithm>

namespace k2k::core {

const char* to_string(resume_how how) {
  switch (how) {
  case resume_how::exact:
    return "exact";
  case resume_how::next:
    return "next";
  case resume_how::after_last:
    return "after-last";
  case resume_how::untraced:
    return "untraced";
  }
  return "?";
}

namespace {

// The search over one partition. Source offsets along the target partition are treated as
// non-decreasing (bisection), then the found position is verified against a later
// re-replication of offsets below S, which an at-least-once restart produces.
class resume_search {
public:
  resume_search(int64_t committed, int64_t low, int64_t high, const probe_fn& probe,
                const resume_search_options& options)
      : s_(committed), low_(low), high_(high), probe_(probe), options_(options) {}

  result<resume_position> run() {
    auto last = last_traced();
    if (!last)
      return last.error();
    if (!*last) {
      out_.how = resume_how::untraced;
      return out_;
    }
    const traced_record tail = **last;
    if (tail.source < s_) {
      out_.how = resume_how::after_last;
      out_.target_offset = tail.target + 1;
      out_.source_offset = tail.source;
      return out_;
    }
    int64_t lo = low_, hi = tail.target;
    std::optional<traced_record> below; // the traced record just before lo, known < S
    traced_record found = tail;         // the first traced record at or after hi
    bool use_hint = options_.hint.has_value();
    for (;;) {
      if (auto e = bisect(lo, hi, below, found, use_hint))
        return *e;
      use_hint = false;
      auto later = read(found.target + 1, options_.verify);
      if (!later)
        return later.error();
      const auto& t = later->traced;
      auto last_below =
          std::find_if(t.rbegin(), t.rend(), [&](const traced_record& r) { return r.source < s_; });
      if (last_below == t.rend())
        break; // nothing below S follows: found is where the newest copy of S starts
      below = *last_below;
      lo = below->target + 1;
      if (last_below != t.rbegin()) {
        found = *last_below.base(); // the re-replication reached S inside the verified stretch
        lo = hi = found.target;
      } else {
        found = tail;
        hi = tail.target;
      }
    }
    out_.how = found.source == s_ ? resume_how::exact : resume_how::next;
    out_.target_offset = found.target;
    out_.source_offset = found.source;
    return out_;
  }

private:
  // Reads [from, from + n) ∩ [low, high), however many probes that takes.
  result<probe_window> read(int64_t from, int64_t n) {
    probe_window all;
    all.end = from;
    int64_t until = std::min(high_, from + n);
    while (all.end < until) {
      auto w = probe_(all.end, until - all.end);
      if (!w)
        return w.error();
      ++out_.probes;
      out_.records_read += w->records_read;
      out_.untraced_seen += w->untraced;
      all.records_read += w->records_read;
      all.untraced += w->untraced;
      all.traced.insert(all.traced.end(), w->traced.begin(), w->traced.end());
      if (w->end <= all.end)
        break; // nothing more to read (end of the partition as the reader sees it)
      all.end = w->end;
    }
    return all;
  }

  // Windows growing back from the end until one holds a traced record.
  result<std::optional<traced_record>> last_traced() {
    int64_t span = options_.window;
    int64_t scanned_from = high_;
    while (scanned_from > low_ && high_ - scanned_from < options_.tail_limit) {
      int64_t from = std::max(low_, high_ - span);
      auto w = read(from, scanned_from - from);
      if (!w)
        return w.error();
      if (!w->traced.empty())
        return std::optional<traced_record>{w->traced.back()};
      scanned_from = from;
      span *= 4;
    }
    return std::optional<traced_record>{};
  }

  // Narrows [lo, hi] to the first traced record >= S after the last one < S, alternating
  // interpolation (replicated runs are mostly contiguous, so it usually lands next to the
  // answer) with halving (which bounds the probes by 2 log2 of the range).
  // Invariant: the first traced record at or after hi is `found`, and its source is >= S.
  std::optional<error_info> bisect(int64_t& lo, int64_t& hi, std::optional<traced_record>& below,
                                   traced_record& found, bool use_hint) {
    bool interpolate = true;
    bool first = true;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (use_hint) {
        mid = *options_.hint - options_.window / 2;
        use_hint = false;
      } else if (first && !below) {
        mid = lo; // settles S at or below the first record, else gives interpolation a base
      } else if (interpolate && below) {
        double slope = double(found.target - below->target) / double(found.source - below->source);
        mid = below->target + int64_t(double(s_ - below->source) * slope) - options_.window / 2;
      }
      interpolate = !interpolate;
      first = false;
      mid = std::clamp(mid, lo, hi - 1);

      // The first traced records at or after mid (stepping over untraced stretches with
      // growing reads).
      probe_window w;
      for (int64_t from = mid, step = options_.window; w.traced.empty() && from < hi; step *= 2) {
        auto r = read(from, std::min(step, hi - from));
        if (!r)
          return r.error();
        w = std::move(*r);
        if (w.end <= from)
          break;
        from = w.end;
      }
      const auto& t = w.traced;
      if (t.empty() || t.front().source >= s_) {
        hi = mid; // the boundary lies in [lo, mid]
        if (!t.empty())
          found = t.front();
        continue;
      }
      auto last_below =
          std::find_if(t.rbegin(), t.rend(), [&](const traced_record& r) { return r.source < s_; });
      below = *last_below;
      lo = below->target + 1;
      if (last_below != t.rbegin()) { // the boundary is inside this window
        found = *last_below.base();
        hi = lo;
      }
    }
    return std::nullopt;
  }

  int64_t s_, low_, high_;
  const probe_fn& probe_;
  const resume_search_options& options_;
  resume_position out_;
};

} // namespace

result<resume_position> find_resume_position(int64_t committed_source, int64_t low, int64_t high,
                                             const probe_fn& probe,
                                             const resume_search_options& options) {
  return resume_search{committed_source, low, high, probe, options}.run();
}

} // namespace k2k::core
