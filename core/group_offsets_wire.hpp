// The messages between a worker and its group-offsets helper process (kafka/
// group_offsets_helper.hpp): length-prefixed binary frames, so that any metadata bytes a
// foreign commit carries pass unchanged. Every decoder reports malformed input instead of
// reading past it: a helper that dies mid-frame must not confuse its parent.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace k2k::core::group_offsets_wire {

enum class op : uint8_t { read = 1, write = 2 };

struct partition_offset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1; // read: absent (-1) when the group has no commit there
  std::string metadata;
  int32_t error = 0; // write replies: the broker's per-partition error code
};

struct request {
  uint64_t id = 0;
  op what = op::read;
  std::string group;
  int32_t timeout_ms = 0;
  std::vector<partition_offset> partitions;
};

struct reply {
  uint64_t id = 0;
  std::optional<ec> failed; // set: the whole request failed, `message` says why
  std::string message;
  std::vector<partition_offset> partitions;
};

std::string encode(const request& r);
std::string encode(const reply& r);
std::string encode(const std::map<std::string, std::string>& client_properties);
result<request> decode_request(std::string_view payload);
result<reply> decode_reply(std::string_view payload);
result<std::map<std::string, std::string>> decode_properties(std::string_view payload);

// A frame: the payload's length (4 bytes, big-endian), then the payload.
std::string frame(std::string_view payload);

// Splits a byte stream into frames' payloads.
class frame_splitter {
public:
  static constexpr uint32_t max_frame = 64u << 20;
  void append(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole payload, nothing while it is incomplete, or ec::malformed_record for a
  // length over max_frame (the stream cannot be trusted after that).
  result<std::optional<std::string>> next();

private:
  std::string buffer_;
};

} // namespace k2k::core::group_offsets_wire
