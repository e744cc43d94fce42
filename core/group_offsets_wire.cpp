#include "core/group_offsets_wire.hpp"

#include "core/byte_codec.hpp"

namespace k2k::core::group_offsets_wire {

namespace {

constexpr uint8_t ok_status = 0;

// Strings with a 4-byte length: metadata is bounded by the broker's
// offset.metadata.max.bytes, not by 64 KiB.
void put(byte_writer& w, std::string_view s) {
  w.u32(static_cast<uint32_t>(s.size()));
  w.out.append(s);
}

bool get(byte_reader& r, std::string& s) {
  uint32_t n = 0;
  std::string_view bytes;
  if (!r.u32(n) || !r.bytes(bytes, n))
    return false;
  s.assign(bytes);
  return true;
}

void put(byte_writer& w, const std::vector<partition_offset>& partitions) {
  w.u32(static_cast<uint32_t>(partitions.size()));
  for (const auto& p : partitions) {
    put(w, p.topic);
    w.i32(p.partition);
    w.i64(p.offset);
    put(w, p.metadata);
    w.i32(p.error);
  }
}

bool get(byte_reader& r, std::vector<partition_offset>& partitions) {
  uint32_t n = 0;
  if (!r.u32(n) || n > r.remaining()) // each entry takes bytes: a huge count is a lie
    return false;
  partitions.resize(n);
  for (auto& p : partitions)
    if (!get(r, p.topic) || !r.i32(p.partition) || !r.i64(p.offset) || !get(r, p.metadata) ||
        !r.i32(p.error))
      return false;
  return true;
}

error_info malformed(const char* what) {
  return {ec::malformed_record, std::string{"group-offsets helper: malformed "} + what};
}

} // namespace

std::string encode(const request& r) {
  byte_writer w;
  w.i64(static_cast<int64_t>(r.id));
  w.u8(static_cast<uint8_t>(r.what));
  put(w, r.group);
  w.i32(r.timeout_ms);
  put(w, r.partitions);
  return std::move(w.out);
}

std::string encode(const reply& r) {
  byte_writer w;
  w.i64(static_cast<int64_t>(r.id));
  w.u8(r.failed ? static_cast<uint8_t>(*r.failed) : ok_status);
  put(w, r.message);
  put(w, r.partitions);
  return std::move(w.out);
}

std::string encode(const std::map<std::string, std::string>& client_properties) {
  byte_writer w;
  w.u32(static_cast<uint32_t>(client_properties.size()));
  for (const auto& [key, value] : client_properties) {
    put(w, key);
    put(w, value);
  }
  return std::move(w.out);
}

result<request> decode_request(std::string_view payload) {
  byte_reader r{payload};
  request out;
  int64_t id = 0;
  uint8_t what = 0;
  if (!r.i64(id) || !r.u8(what) || !get(r, out.group) || !r.i32(out.timeout_ms) ||
      !get(r, out.partitions) || r.remaining() != 0)
    return malformed("request");
  if (what != static_cast<uint8_t>(op::read) && what != static_cast<uint8_t>(op::write))
    return error_info{ec::unknown_version,
                      "group-offsets helper: unknown request kind " + std::to_string(what)};
  out.id = static_cast<uint64_t>(id);
  out.what = static_cast<op>(what);
  return out;
}

result<reply> decode_reply(std::string_view payload) {
  byte_reader r{payload};
  reply out;
  int64_t id = 0;
  uint8_t status = 0;
  if (!r.i64(id) || !r.u8(status) || !get(r, out.message) || !get(r, out.partitions) ||
      r.remaining() != 0)
    return malformed("reply");
  out.id = static_cast<uint64_t>(id);
  if (status != ok_status) {
    if (status > static_cast<uint8_t>(ec::malformed_record))
      return malformed("reply status");
    out.failed = static_cast<ec>(status);
  }
  return out;
}

result<std::map<std::string, std::string>> decode_properties(std::string_view payload) {
  byte_reader r{payload};
  uint32_t n = 0;
  if (!r.u32(n) || n > r.remaining())
    return malformed("client properties");
  std::map<std::string, std::string> out;
  for (uint32_t i = 0; i < n; ++i) {
    std::string key, value;
    if (!get(r, key) || !get(r, value))
      return malformed("client properties");
    out[std::move(key)] = std::move(value);
  }
  if (r.remaining() != 0)
    return malformed("client properties");
  return out;
}

std::string frame(std::string_view payload) {
  byte_writer w;
  w.u32(static_cast<uint32_t>(payload.size()));
  w.out.append(payload);
  return std::move(w.out);
}

result<std::optional<std::string>> frame_splitter::next() {
  byte_reader r{buffer_};
  uint32_t n = 0;
  if (!r.u32(n))
    return std::optional<std::string>{};
  if (n > max_frame)
    return malformed("frame length");
  if (r.remaining() < n)
    return std::optional<std::string>{};
  std::optional<std::string> payload{buffer_.substr(4, n)};
  buffer_.erase(0, 4 + static_cast<size_t>(n));
  return payload;
}

} // namespace k2k::core::group_offsets_wire
