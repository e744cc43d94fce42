#include "core/mapping_record.hpp"

#include "core/byte_codec.hpp"
#include "core/decimal.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace k2k::core {

namespace {

constexpr size_t max_topic_length = 249;
constexpr size_t run_size = 8 + 8 + 4;
constexpr uint32_t max_runs = 1'000'000;

using writer = byte_writer;
using reader = byte_reader;

error_info malformed(const reader& r, const std::string& what) {
  return {ec::malformed_mapping,
          "malformed mapping record at byte " + std::to_string(r.position()) + ": " + what};
}

} // namespace

bool operator==(const mapping_record& a, const mapping_record& b) {
  if (a.pipeline != b.pipeline || a.source_topic != b.source_topic ||
      a.source_partition != b.source_partition || a.target_topic != b.target_topic ||
      a.target_partition != b.target_partition || a.source_next != b.source_next ||
      a.runs.size() != b.runs.size())
    return false;
  for (size_t i = 0; i < a.runs.size(); ++i)
    if (a.runs[i].source_start != b.runs[i].source_start ||
        a.runs[i].target_start != b.runs[i].target_start || a.runs[i].count != b.runs[i].count)
      return false;
  return true;
}

std::string mapping_key(std::string_view source_topic, int32_t source_partition) {
  std::string key{source_topic};
  key += '/';
  key += format_decimal(source_partition).view();
  return key;
}

std::string encode_mapping(const mapping_record& r) {
  writer w;
  w.out.reserve(32 + r.source_topic.size() + r.target_topic.size() + r.runs.size() * run_size);
  w.u8(r.pipeline.empty() ? 1 : mapping_format_version);
  if (!r.pipeline.empty())
    w.str(r.pipeline);
  w.str(r.source_topic);
  w.i32(r.source_partition);
  w.str(r.target_topic);
  w.i32(r.target_partition);
  w.i64(r.source_next.value);
  // A run longer than the 32-bit count field is written as several.
  constexpr int64_t max_count = UINT32_MAX;
  uint32_t pieces = 0;
  for (const auto& run : r.runs)
    pieces += static_cast<uint32_t>((run.count + max_count - 1) / max_count);
  w.u32(pieces);
  for (const auto& run : r.runs)
    for (int64_t done = 0; done < run.count; done += max_count) {
      w.i64(run.source_start.value + done);
      w.i64(run.target_start.value + done);
      w.u32(static_cast<uint32_t>(std::min(max_count, run.count - done)));
    }
  return std::move(w.out);
}

void apply_mapping(offset_index& index, const mapping_record& r) {
  for (const auto& run : r.runs)
    index.apply(run);
  index.observe_source_next(r.source_next);
}

size_t mapping_record_view::run_count() const {
  return run_bytes.size() / run_size;
}

mapping_run mapping_record_view::run(size_t i) const {
  reader r{run_bytes.substr(i * run_size, run_size)};
  mapping_run run;
  uint32_t n = 0;
  r.i64(run.source_start.value);
  r.i64(run.target_start.value);
  r.u32(n);
  run.count = n;
  return run;
}

result<mapping_record_view> decode_mapping_view(std::string_view bytes) {
  reader r{bytes};
  uint8_t version = 0;
  if (!r.u8(version))
    return malformed(r, "empty");
  if (version < 1 || version > mapping_format_version)
    return error_info{ec::unknown_version, "mapping record format version " +
                                               std::to_string(version) +
                                               " is not supported (this build reads versions 1 "
                                               "and 2)"};
  mapping_record_view m;
  auto topic = [&](std::string_view& out, const char* what) -> std::optional<error_info> {
    uint16_t len = 0;
    if (!r.u16(len))
      return malformed(r, std::string{"truncated before the "} + what + " length");
    if (len == 0 || len > max_topic_length)
      return malformed(r, std::string{what} + " length " + std::to_string(len) + " is outside 1.." +
                              std::to_string(max_topic_length));
    if (!r.bytes(out, len))
      return malformed(r, std::string{"truncated inside the "} + what);
    return std::nullopt;
  };
  if (version >= 2)
    if (auto e = topic(m.pipeline, "pipeline name"))
      return *e;
  if (auto e = topic(m.source_topic, "source topic"))
    return *e;
  if (!r.i32(m.source_partition) || m.source_partition < 0)
    return malformed(r, "truncated or negative source partition");
  if (auto e = topic(m.target_topic, "target topic"))
    return *e;
  if (!r.i32(m.target_partition) || m.target_partition < 0)
    return malformed(r, "truncated or negative target partition");
  if (!r.i64(m.source_next.value) || m.source_next.value < 0)
    return malformed(r, "truncated or negative src_next");
  uint32_t count = 0;
  if (!r.u32(count))
    return malformed(r, "truncated before the run count");
  if (count > max_runs || count * run_size != r.remaining())
    return malformed(r, "run count " + std::to_string(count) + " does not match the " +
                            std::to_string(r.remaining()) + " bytes that follow");
  r.bytes(m.run_bytes, r.remaining());
  std::optional<source_offset> previous_end;
  for (uint32_t i = 0; i < count; ++i) {
    auto run = m.run(i);
    auto at = [&](const std::string& what) {
      return error_info{ec::malformed_mapping,
                        "malformed mapping record at byte " +
                            std::to_string(bytes.size() - m.run_bytes.size() + i * run_size) +
                            ": run " + std::to_string(i) + what};
    };
    if (run.source_start.value < 0 || run.target_start.value < 0 || run.count == 0)
      return at(" has a negative offset or no offsets");
    // Found by fuzzing: a run ending past the largest offset would overflow its end.
    if (run.source_start.value > INT64_MAX - run.count ||
        run.target_start.value > INT64_MAX - run.count)
      return at(" ends beyond the largest offset");
    if (previous_end && run.source_start < *previous_end)
      return at(" overlaps or precedes the previous run");
    previous_end = run.source_end();
  }
  if (previous_end && m.source_next < *previous_end)
    return malformed(r, "src_next " + std::to_string(m.source_next.value) +
                            " is below the end of the last run");
  return m;
}

result<mapping_record> decode_mapping(std::string_view bytes) {
  auto view = decode_mapping_view(bytes);
  if (!view)
    return view.error();
  mapping_record m{std::string{view->pipeline},
                   std::string{view->source_topic},
                   view->source_partition,
                   std::string{view->target_topic},
                   view->target_partition,
                   view->source_next,
                   {}};
  m.runs.reserve(view->run_count());
  for (size_t i = 0; i < view->run_count(); ++i)
    m.runs.push_back(view->run(i));
  return m;
}

} // namespace k2k::core
