#include "kafka/group_offsets_helper.hpp"

#include "core/deadline.hpp"
#include "kafka/socket_io.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace k2k::kafka {

namespace wire = core::group_offsets_wire;
namespace fs = std::filesystem;

namespace {

constexpr const char* helper_name = "k2k-group-offsets";

bool executable(const fs::path& p) {
  return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p);
}

std::string describe_group_call(const wire::request& r) {
  return (r.what == wire::op::read ? "reading the offsets of group "
                                   : "committing offsets of group ") +
         r.group;
}

} // namespace

result<std::string> find_group_offsets_helper() {
  if (const char* set = std::getenv("K2K_GROUP_OFFSETS_HELPER"); set && *set) {
    if (executable(set))
      return std::string{set};
    return error_info{ec::invalid_config, std::string{"K2K_GROUP_OFFSETS_HELPER is "} + set +
                                              ", which is not an executable file"};
  }
  std::error_code err;
  auto self = fs::read_symlink("/proc/self/exe", err);
  std::vector<fs::path> looked;
  if (!err)
    for (auto dir : {self.parent_path(), self.parent_path().parent_path()}) {
      looked.push_back(dir / helper_name);
      if (executable(looked.back()))
        return looked.back().string();
    }
  if (const char* path = std::getenv("PATH")) {
    std::string dirs{path};
    for (size_t start = 0; start <= dirs.size();) {
      auto end = dirs.find(':', start);
      if (end == std::string::npos)
        end = dirs.size();
      auto candidate = fs::path{dirs.substr(start, end - start)} / helper_name;
      if (end > start && executable(candidate))
        return candidate.string();
      start = end + 1;
    }
  }
  std::string where;
  for (const auto& p : looked)
    where += p.string() + ", ";
  return error_info{ec::invalid_config,
                    std::string{"groups.offsetClients is shared, but the helper "} + helper_name +
                        " is not at " + where +
                        "nor on PATH (install it next to k2k, or set K2K_GROUP_OFFSETS_HELPER)"};
}

group_offsets_helper::group_offsets_helper(properties client_properties, std::string executable)
    : properties_(std::move(client_properties)), executable_(std::move(executable)) {}

group_offsets_helper::~group_offsets_helper() {
  stop();
}

std::optional<pid_t> group_offsets_helper::helper_pid() const {
  if (pid_ < 0)
    return std::nullopt;
  return pid_;
}

result<bool> group_offsets_helper::ensure_running() {
  if (pid_ >= 0)
    return true;
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0)
    return error_info{ec::kafka_error,
                      std::string{"group-offsets helper: socketpair: "} + std::strerror(errno)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copies: the helper reads stdin and answers on stdout.
  posix_spawn_file_actions_adddup2(&actions, ends[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, ends[1], STDOUT_FILENO);
  char* argv[] = {const_cast<char*>(executable_.c_str()), nullptr};
  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, executable_.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(ends[1]);
  if (spawned != 0) {
    ::close(ends[0]);
    return error_info{ec::invalid_config, "cannot start the group-offsets helper " + executable_ +
                                              ": " + std::strerror(spawned)};
  }
  pid_ = pid;
  socket_ = ends[0];
  received_ = {};
  ++started_;
  if (!send_all(socket_, wire::frame(wire::encode(properties_)))) {
    auto how = reap();
    return error_info{ec::kafka_error, "group-offsets helper " + how};
  }
  return true;
}

void group_offsets_helper::stop() {
  if (pid_ < 0)
    return;
  ::kill(pid_, SIGKILL);
  reap();
}

std::string group_offsets_helper::reap() {
  if (socket_ >= 0)
    ::close(socket_);
  socket_ = -1;
  int status = 0;
  pid_t waited;
  do
    waited = ::waitpid(pid_, &status, 0);
  while (waited < 0 && errno == EINTR);
  pid_ = -1;
  if (waited < 0)
    return "ended (not reaped: " + std::string{std::strerror(errno)} + ")";
  if (WIFSIGNALED(status))
    return "was ended by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

result<wire::reply> group_offsets_helper::call(wire::request request, time_point deadline,
                                               bool abandon_on_timeout) {
  auto what = describe_group_call(request);
  if (core::ms_left(deadline) == 0)
    return error_info{ec::timed_out, what + ": its time was up before it was sent; not sent"};
  if (auto running = ensure_running(); !running)
    return running.error();
  request.id = next_id_++;
  request.timeout_ms = core::ms_left(deadline);
  auto helper_ended = [&] {
    auto how = reap();
    spdlog::warn("offset-mapping: the group-offsets helper {}; a new one starts with the next "
                 "request",
                 how);
    return error_info{ec::kafka_error, what + ": the group-offsets helper " + how};
  };
  if (!send_all(socket_, wire::frame(wire::encode(request))))
    return helper_ended();
  char buffer[64 * 1024];
  for (;;) {
    auto payload = received_.next();
    if (!payload) {
      stop(); // its stream cannot be trusted any more
      return error_info{payload.error().code, what + ": " + payload.error().message};
    }
    if (*payload) {
      auto reply = wire::decode_reply(**payload);
      if (!reply) {
        stop();
        return error_info{reply.error().code, what + ": " + reply.error().message};
      }
      if (reply->id == request.id)
        return reply;
      continue; // the late answer of a request given up on before
    }
    pollfd readable{socket_, POLLIN, 0};
    auto ready = ::poll(&readable, 1, core::ms_left(deadline));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0) {
      if (!abandon_on_timeout)
        return error_info{ec::timed_out, what + ": not answered in time"};
      stop();
      return error_info{ec::timed_out, what + ": not answered in time; abandoned (its helper "
                                              "process killed, so the write cannot land later)"};
    }
    auto n = ::recv(socket_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return helper_ended();
    received_.append({buffer, static_cast<size_t>(n)});
  }
}

result<std::map<topic_partition, committed_offset>> group_offsets_helper::committed(
    const std::string& group, const std::vector<topic_partition>& partitions, time_point deadline) {
  wire::request request{0, wire::op::read, group, 0, {}};
  for (const auto& [topic, partition] : partitions)
    request.partitions.push_back({topic, partition, -1, {}, 0});
  auto reply = call(std::move(request), deadline, false);
  if (!reply)
    return reply.error();
  if (reply->failed)
    return error_info{*reply->failed, reply->message};
  std::map<topic_partition, committed_offset> out;
  for (auto& p : reply->partitions)
    out[{p.topic, p.partition}] = {p.offset, std::move(p.metadata)};
  return out;
}

result<std::map<topic_partition, alter_outcome>>
group_offsets_helper::commit(const std::string& group,
                             const std::map<topic_partition, committed_offset>& offsets,
                             time_point deadline) {
  wire::request request{0, wire::op::write, group, 0, {}};
  for (const auto& [tp, c] : offsets)
    request.partitions.push_back({tp.first, tp.second, c.offset, c.metadata, 0});
  auto reply = call(std::move(request), deadline, true);
  if (!reply)
    return reply.error();
  if (reply->failed) {
    if (*reply->failed == ec::active_group)
      return error_info{*reply->failed, reply->message}; // the broker's refusal: nothing landed
    // Any other failure leaves the write in doubt: librdkafka may still hold its request (a
    // timed-out admin call's request stays queued) and send it later.
    stop();
    return error_info{*reply->failed, reply->message + "; abandoned (its helper process killed, "
                                                       "so the write cannot land later)"};
  }
  std::map<topic_partition, alter_outcome> out;
  for (const auto& p : reply->partitions)
    out[{p.topic, p.partition}] = {static_cast<rd_kafka_resp_err_t>(p.error)};
  return out;
}

} // namespace k2k::kafka
