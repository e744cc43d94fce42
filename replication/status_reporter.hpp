// The worker's status: snapshots posted to the board a few times a second (also from inside
// long waits, so status() stays current) and the periodic progress line in the log.
// Called on the worker thread only; other threads read the board.
#pragma once

#include "core/error.hpp"
#include "replication/counters.hpp"
#include "replication/partition_state.hpp"
#include "replication/status_board.hpp"

#include <chrono>
#include <functional>
#include <optional>

namespace k2k::replication {

class status_reporter {
public:
  using lag_function = std::function<int64_t(const partition_state&)>;

  status_reporter(const replication_counters& counters, partition_table& partitions,
                  const std::optional<error_info>& fatal)
      : counters_(counters), partitions_(partitions), fatal_(fatal) {}

  // How far behind a partition is; until it is set, lags are unknown (-1).
  void set_lag(lag_function lag) { lag_ = std::move(lag); }

  const status_board& board() const { return board_; }

  // Posts a snapshot now.
  void publish(phase state);
  // Posts a running snapshot unless one was posted within the last 100 ms.
  void refresh();
  // The progress line: rates since the last one and the lagging partitions.
  void log_progress(std::chrono::duration<double> elapsed);

private:
  using clock = std::chrono::steady_clock;

  const replication_counters& counters_;
  partition_table& partitions_;
  const std::optional<error_info>& fatal_;
  lag_function lag_;
  status_board board_;
  clock::time_point next_snapshot_ = clock::now();
  uint64_t records_at_last_line_ = 0, bytes_at_last_line_ = 0;
};

} // namespace k2k::replication
