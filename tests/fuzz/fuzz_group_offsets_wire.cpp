// Fuzz target: a worker reads its group-offsets helper's replies, and a helper its requests;
// a helper that dies mid-frame or a corrupted stream must never crash either side, and what is
// accepted survives a round trip. Input: the first byte picks the decoder (bit 0: reply), the
// rest is the stream of frames.
#include "core/group_offsets_wire.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace wire = k2k::core::group_offsets_wire;

namespace {

bool same(const std::vector<wire::partition_offset>& a,
          const std::vector<wire::partition_offset>& b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].topic != b[i].topic || a[i].partition != b[i].partition ||
        a[i].offset != b[i].offset || a[i].metadata != b[i].metadata || a[i].error != b[i].error)
      return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  bool replies = data[0] & 1;
  wire::frame_splitter splitter;
  splitter.append({reinterpret_cast<const char*>(data) + 1, size - 1});
  for (;;) {
    auto next = splitter.next();
    if (!next || !*next)
      return 0;
    const auto& payload = **next;
    if (replies) {
      auto r = wire::decode_reply(payload);
      if (!r)
        continue;
      auto again = wire::decode_reply(wire::encode(*r));
      if (!again || again->id != r->id || again->failed != r->failed ||
          again->message != r->message || !same(again->partitions, r->partitions))
        std::abort();
    } else {
      auto r = wire::decode_request(payload);
      if (!r)
        continue;
      auto again = wire::decode_request(wire::encode(*r));
      if (!again || again->id != r->id || again->what != r->what || again->group != r->group ||
          again->timeout_ms != r->timeout_ms || !same(again->partitions, r->partitions))
        std::abort();
    }
  }
}
