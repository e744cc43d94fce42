// k2k-group-offsets: the helper process a worker runs its groups' offset reads and writes in
// (kafka/group_offsets_helper.hpp). Not for people: it speaks frames on stdin and stdout.
#include "kafka/group_offsets_server.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

int main(int argc, char**) {
  if (argc > 1 || isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "k2k-group-offsets is started by k2k offset-mapping "
                         "(groups.offsetClients: shared), not by hand\n");
    return 2;
  }
  // Its parent's end of the socket closes when the parent dies, which ends the helper too;
  // the death signal covers a helper blocked elsewhere.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  // The answers get stdout's socket to themselves: anything logged (librdkafka's log lines go
  // through spdlog, whose default sink is stdout) goes to stderr instead.
  int answers = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  return k2k::kafka::serve_group_offsets(STDIN_FILENO, answers);
}
