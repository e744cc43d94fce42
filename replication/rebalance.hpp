// What the worker does when the source group hands it partitions or takes them away: an
// assigned partition resumes at its mapping checkpoint (else the committed offset); a revoked
// one is drained first, so nothing of it is left in flight when its next owner starts.
// Runs inside the worker thread's consumer polls and its consumer close.
#pragma once

#include "config/config.hpp"
#include "core/error.hpp"
#include "kafka/client.hpp"
#include "replication/delivery.hpp"
#include "replication/partition_state.hpp"
#include "replication/source_consumer.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace k2k::replication {

class rebalance_handler : public kafka::rebalance_listener {
public:
  using fail_function = std::function<void(std::optional<error_info>)>;

  rebalance_handler(const config::pipeline_config& cfg, partition_table& partitions,
                    const std::atomic<stop_request>& stop, fail_function fail)
      : cfg_(cfg), partitions_(partitions), stop_(stop), fail_(std::move(fail)) {}

  // The parts made once the clients exist; before the first poll, so before any callback.
  void attach(delivery& mode, source_consumer& source) {
    mode_ = &mode;
    source_ = &source;
  }

  // The worker is stopping: the revoke of its consumer close drains within the stop's one
  // shutdown timeout, not a second one of its own.
  void stopping_by(std::chrono::steady_clock::time_point deadline) { stop_deadline_ = deadline; }

  void on_assign(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override;
  void on_revoke(rd_kafka_t* rk, rd_kafka_topic_partition_list_t* parts) override;

private:
  // mapping key -> the checkpoint (src_next) this pipeline published for it.
  std::map<std::string, int64_t> read_resume_points(const std::vector<partition_state*>& states);

  const config::pipeline_config& cfg_;
  partition_table& partitions_;
  const std::atomic<stop_request>& stop_;
  fail_function fail_;
  delivery* mode_ = nullptr;
  source_consumer* source_ = nullptr;
  std::optional<std::chrono::steady_clock::time_point> stop_deadline_;
};

} // namespace k2k::replication
