// All groups' offsets on one cluster through one admin client in a helper process
// (`k2k-group-offsets`, kafka/group_offsets_server.hpp), instead of a consumer handle per
// group: threads and broker connections no longer grow with the number of groups. The
// process boundary is there because librdkafka's coordinator-bound admin calls can abort
// their process when a coordinator connection drops (issues #3663, #4605; seen on 2.0.2,
// #3663 still open upstream up to 2.15, so kept on 2.14.2): here that
// fails the requests in flight, and the next call starts a new helper.
//
// Used from one thread (a lane's committer or source reader), one request at a time. A write
// not answered by its deadline is abandoned by killing the helper (SIGKILL, then reaped)
// before returning, so it can no longer be sent.
#pragma once

#include "core/group_offsets_wire.hpp"
#include "kafka/group_offsets_io.hpp"
#include "kafka/properties.hpp"

#include <sys/types.h>

#include <optional>
#include <string>

namespace k2k::kafka {

// Where the helper executable is: $K2K_GROUP_OFFSETS_HELPER, else k2k-group-offsets next to
// the running executable or one directory up (tests and benches run from build/ subfolders),
// else on PATH. ec::invalid_config naming the places looked at when it is nowhere.
result<std::string> find_group_offsets_helper();

class group_offsets_helper final : public group_offsets_io {
public:
  group_offsets_helper(properties client_properties, std::string executable);
  ~group_offsets_helper() override;
  group_offsets_helper(const group_offsets_helper&) = delete;
  group_offsets_helper& operator=(const group_offsets_helper&) = delete;

  result<std::map<topic_partition, committed_offset>>
  committed(const std::string& group, const std::vector<topic_partition>& partitions,
            time_point deadline) override;
  result<std::map<topic_partition, alter_outcome>>
  commit(const std::string& group, const std::map<topic_partition, committed_offset>& offsets,
         time_point deadline) override;
  void forget(const std::string&) override {} // nothing is kept per group

  // The running helper's process id, if one runs (tests).
  std::optional<pid_t> helper_pid() const;
  // Helpers started so far (the first one included).
  int started() const { return started_; }

private:
  result<core::group_offsets_wire::reply> call(core::group_offsets_wire::request request,
                                               time_point deadline, bool abandon_on_timeout);
  result<bool> ensure_running();
  void stop();        // SIGKILL and reap
  std::string reap(); // how the helper ended

  properties properties_;
  std::string executable_;
  pid_t pid_ = -1;
  int socket_ = -1;
  core::group_offsets_wire::frame_splitter received_;
  uint64_t next_id_ = 1;
  int started_ = 0;
};

} // namespace k2k::kafka
