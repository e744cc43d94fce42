// A k2k (or other) process started by the reliability runner: argv, extra environment,
// stdout and stderr appended to a log file. Killed with SIGKILL when destroyed still running.
// And a command run to its end for its output.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace k2k::reliability {

class child_process {
public:
  child_process(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                const std::string& log_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void kill9();
  // SIGTERM, then SIGKILL if it has not exited within `grace`. Returns the exit status
  // (the shell's convention: 128 + signal when killed), nullopt if it had to be killed;
  // before that kill, every thread's stack goes to `<log>.stacks` when gdb is installed.
  std::optional<int> terminate(std::chrono::milliseconds grace);
  // The exit status once it has exited (same convention), nullopt while running.
  std::optional<int> exit_status();
  void stop();   // SIGSTOP: frozen, as in a long GC pause
  void resume(); // SIGCONT

private:
  bool reap(bool block);
  void dump_stacks();
  pid_t pid_ = -1;
  std::string log_path_;
  std::optional<int> status_;
};

// What a command printed on stdout and how it exited (-1: not normally).
struct command_result {
  int exit_code = -1;
  std::string out;
};

// Runs `line` with /bin/sh to its end; its stderr goes to this process's.
command_result run_command(const std::string& line);

} // namespace k2k::reliability
