// How long a partition waits before its source is read again after a rewind. The first retry
// is immediate; a partition that keeps failing (a permanent error such as a denied ACL) backs
// off 100 ms, 200 ms, ... up to 10 s, so it neither spins nor floods the log.
#pragma once

#include <chrono>

namespace k2k::core {

// `rewinds_in_a_row`: rewinds of the partition since its last confirmed progress, this one
// not counted.
std::chrono::milliseconds rewind_backoff(int rewinds_in_a_row);

} // namespace k2k::core
