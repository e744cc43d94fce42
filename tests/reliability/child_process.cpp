#include "reliability/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

extern char** environ;

namespace k2k::reliability {

child_process::child_process(std::vector<std::string> argv,
                             const std::map<std::string, std::string>& env,
                             const std::string& log_path)
    : log_path_(log_path) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos)
      merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env)
    merged[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged)
    env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& s : argv)
    args.push_back(s.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
}

child_process::~child_process() {
  if (running())
    kill9();
}

bool child_process::reap(bool block) {
  if (status_)
    return true;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid_)
    return false;
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool child_process::running() {
  return !reap(false);
}

std::optional<int> child_process::exit_status() {
  reap(false);
  return status_;
}

void child_process::kill9() {
  if (running()) {
    // SIGKILL ends a frozen process too. No SIGCONT first: between the two signals a frozen
    // replicator ran long enough to commit the transaction a test froze open.
    ::kill(pid_, SIGKILL);
  }
  reap(true);
}

std::optional<int> child_process::terminate(std::chrono::milliseconds grace) {
  if (!running())
    return status_;
  ::kill(pid_, SIGCONT);
  ::kill(pid_, SIGTERM);
  // A pidfd becomes readable when the process exits: a wait with a timeout.
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    int r;
    do {
      r = poll(&p, 1, static_cast<int>(grace.count()));
    } while (r < 0 && errno == EINTR);
    close(fd);
    if (r > 0 && reap(true))
      return status_;
  }
  dump_stacks();
  kill9();
  return std::nullopt;
}

void child_process::dump_stacks() {
  // A hang is found once in many runs: what every thread waited on is the only clue left.
  if (run_command("command -v gdb >/dev/null").exit_code != 0)
    return;
  auto stacks = log_path_ + ".stacks";
  run_command("gdb -p " + std::to_string(pid_) + " -batch -ex 'thread apply all bt' >" + stacks +
              " 2>&1");
  // Printed too: CI keeps the output of a failed run, not the files it left.
  std::fprintf(stderr, "stacks of %d (%s), which did not stop:\n", pid_, log_path_.c_str());
  run_command("grep -E '^(Thread|#)' " + stacks + " >&2");
}

void child_process::stop() {
  ::kill(pid_, SIGSTOP);
}

void child_process::resume() {
  ::kill(pid_, SIGCONT);
}

command_result run_command(const std::string& line) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe{popen(line.c_str(), "r"), &pclose};
  if (!pipe)
    throw std::runtime_error("cannot run: " + line);
  command_result result;
  std::array<char, 4096> chunk;
  while (auto n = std::fread(chunk.data(), 1, chunk.size(), pipe.get()))
    result.out.append(chunk.data(), n);
  int status = pclose(pipe.release());
  if (WIFEXITED(status))
    result.exit_code = WEXITSTATUS(status);
  return result;
}

} // namespace k2k::reliability
