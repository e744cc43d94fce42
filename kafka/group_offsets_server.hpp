// The helper process's side of kafka/group_offsets_helper.hpp: reads requests from `in`,
// answers on `out`, many in flight on one admin client. It runs librdkafka's
// coordinator-bound admin calls, which can abort the process when a coordinator connection
// drops (librdkafka issues #3663, #4605; #3663 still open upstream up to 2.15): in a process of its
// own that abort costs the worker the requests in flight, not the service.
#pragma once

namespace k2k::kafka {

// Ends the process with status 0 when `in` closes (the worker stopped or gave up on this
// helper); returns 2 when the first frame (the client's properties) is malformed or the
// client cannot be made, or the stream is broken (the reason on stderr).
int serve_group_offsets(int in, int out);

} // namespace k2k::kafka
