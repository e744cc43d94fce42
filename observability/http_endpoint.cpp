#include "observability/http_endpoint.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace k2k::observability {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

http::response<http::string_body> respond(const http::request<http::string_body>& req,
                                          const http_handlers& handlers) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(false);
  res.set(http::field::server, "k2k");
  auto target = std::string(req.target());
  target = target.substr(0, target.find('?'));
  if (req.method() != http::verb::get) {
    res.result(http::status::method_not_allowed);
    res.body() = "GET only\n";
  } else if (target == "/metrics") {
    res.result(http::status::ok);
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = handlers.metrics();
  } else if (target == "/health") {
    auto h = handlers.health();
    res.result(h.ok ? http::status::ok : http::status::service_unavailable);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = (h.ok ? "ok" : "unavailable") + (h.reason.empty() ? "" : ": " + h.reason) + "\n";
  } else {
    res.result(http::status::not_found);
    res.body() = "not found: try /metrics or /health\n";
  }
  res.prepare_payload();
  return res;
}

// One request per connection (keep-alive off), with a deadline so a silent client cannot
// hold the endpoint.
struct session : std::enable_shared_from_this<session> {
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  const http_handlers& handlers;

  session(tcp::socket socket, const http_handlers& h) : stream(std::move(socket)), handlers(h) {}

  void start() {
    stream.expires_after(std::chrono::seconds(10));
    http::async_read(stream, buffer, request,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec)
                         self->reply();
                     });
  }

  void reply() {
    response = respond(request, handlers);
    http::async_write(stream, response, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }
};

} // namespace

struct http_endpoint::impl {
  http_handlers handlers;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  uint16_t port = 0;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec)
        return; // closed by stop()
      std::make_shared<session>(std::move(socket), handlers)->start();
      accept();
    });
  }
};

http_endpoint::http_endpoint(const std::string& listen, http_handlers handlers)
    : impl_(std::make_unique<impl>()) {
  impl_->handlers = std::move(handlers);
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("metrics.listen: expected host:port, found \"" + listen + "\"");
  try {
    tcp::resolver resolver{impl_->io};
    auto endpoint = *resolver.resolve(listen.substr(0, colon), listen.substr(colon + 1)).begin();
    impl_->acceptor.open(endpoint.endpoint().protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint.endpoint());
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot serve /metrics on " + listen + ": " + e.what());
  }
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

http_endpoint::~http_endpoint() {
  stop();
}

uint16_t http_endpoint::port() const {
  return impl_->port;
}

void http_endpoint::stop() {
  if (!impl_->thread.joinable())
    return;
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->io.stop();
  });
  impl_->thread.join();
}

std::unique_ptr<http_endpoint> serve_metrics(const std::string& listen, http_handlers handlers,
                                             const std::string& command) {
  try {
    auto endpoint = std::make_unique<http_endpoint>(listen, std::move(handlers));
    spdlog::info("{}: metrics on http://{}:{}/metrics, health on /health", command,
                 listen.substr(0, listen.rfind(':')), endpoint->port());
    return endpoint;
  } catch (const std::exception& e) {
    spdlog::error("{}: {} (running without /metrics and /health)", command, e.what());
    return nullptr;
  }
}

} // namespace k2k::observability
