// The /metrics and /health HTTP endpoint (Boost.Beast) on its own thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace k2k::observability {

struct health_report {
  bool ok = false;
  std::string reason; // why not ok (also shown when ok: what it is doing)
};

struct http_handlers {
  std::function<std::string()> metrics; // Prometheus text exposition format
  std::function<health_report()> health;
};

class http_endpoint {
public:
  // Listens on "host:port" (port 0: any free port). Throws std::runtime_error naming the
  // address when it cannot.
  http_endpoint(const std::string& listen, http_handlers handlers);
  ~http_endpoint(); // stops
  http_endpoint(const http_endpoint&) = delete;
  http_endpoint& operator=(const http_endpoint&) = delete;

  uint16_t port() const;
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The endpoint of a long-running command: started on `listen` and announced in the log, or
// nullptr with an error line when the address is taken (the command keeps running:
// replication must not stop for its metrics).
std::unique_ptr<http_endpoint> serve_metrics(const std::string& listen, http_handlers handlers,
                                             const std::string& command);

} // namespace k2k::observability
