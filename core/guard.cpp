#include "core/guard.hpp"

#include "core/decimal.hpp"

namespace k2k::core {

std::string encode_guard_metadata(std::string_view prefix, const guard_version& v) {
  std::string out{prefix};
  out += "v1;src=";
  out += format_decimal(v.source.value).view();
  out += ";map=";
  out += format_decimal(v.mapping_partition).view();
  out += ':';
  out += format_decimal(v.mapping_position).view();
  return out;
}

namespace {

// Consumes `literal` from the front of `s`.
bool eat(std::string_view& s, std::string_view literal) {
  if (s.substr(0, literal.size()) != literal)
    return false;
  s.remove_prefix(literal.size());
  return true;
}

// Consumes a non-negative decimal up to `stop` (or the end when stop is '\0').
std::optional<int64_t> number(std::string_view& s, char stop) {
  auto end = stop ? s.find(stop) : s.size();
  if (end == std::string_view::npos)
    return std::nullopt;
  auto v = parse_decimal(s.substr(0, end));
  if (!v || *v < 0)
    return std::nullopt;
  s.remove_prefix(end);
  return v;
}

} // namespace

std::optional<guard_version> parse_guard_metadata(std::string_view prefix,
                                                  std::string_view metadata) {
  auto s = metadata;
  if (prefix.empty() || !eat(s, prefix) || !eat(s, "v1;src="))
    return std::nullopt;
  auto src = number(s, ';');
  if (!src || !eat(s, ";map="))
    return std::nullopt;
  auto partition = number(s, ':');
  if (!partition || *partition > INT32_MAX || !eat(s, ":"))
    return std::nullopt;
  auto position = number(s, '\0');
  if (!position)
    return std::nullopt;
  return guard_version{source_offset{*src}, static_cast<int32_t>(*partition), *position};
}

bool dominates(const guard_version& next, const guard_version& current) {
  if (next.mapping_partition != current.mapping_partition)
    return next.source > current.source;
  bool none_older =
      next.source >= current.source && next.mapping_position >= current.mapping_position;
  bool one_newer = next.source > current.source || next.mapping_position > current.mapping_position;
  return none_older && one_newer;
}

const char* to_string(guard_decision d) {
  switch (d) {
  case guard_decision::write:
    return "write";
  case guard_decision::skip_unchanged:
    return "skip_unchanged";
  case guard_decision::skip_stale:
    return "skip_stale";
  case guard_decision::skip_foreign:
    return "skip_foreign";
  }
  return "unknown";
}

guard_decision decide_commit(const std::optional<current_commit>& current, target_offset proposed,
                             const guard_version& version, std::string_view prefix,
                             bool guard_enabled) {
  if (!current)
    return guard_decision::write;
  if (current->offset == proposed)
    return guard_decision::skip_unchanged;
  if (!guard_enabled)
    return guard_decision::write;
  auto existing = parse_guard_metadata(prefix, current->metadata);
  if (!existing)
    return guard_decision::skip_foreign;
  return dominates(version, *existing) ? guard_decision::write : guard_decision::skip_stale;
}

} // namespace k2k::core
