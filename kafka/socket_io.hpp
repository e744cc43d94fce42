// Writing a whole buffer to a stream socket: the group-offsets helper and its worker.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <string>

namespace k2k::kafka {

// False once the peer is gone (MSG_NOSIGNAL: no SIGPIPE for it).
inline bool send_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

} // namespace k2k::kafka
