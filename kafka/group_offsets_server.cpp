#include "kafka/group_offsets_server.hpp"

#include "core/group_offsets_wire.hpp"
#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/socket_io.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

namespace k2k::kafka {

namespace wire = core::group_offsets_wire;

namespace {

// One request in flight: what its answer needs to be read (the event carries it as opaque).
struct in_flight {
  uint64_t id;
  wire::op what;
  std::string group;
};

wire::reply failure(uint64_t id, const error_info& e) {
  return {id, e.code, e.message, {}};
}

wire::reply answer(const in_flight& req, rd_kafka_event_t* ev) {
  wire::reply out{req.id, std::nullopt, {}, {}};
  if (req.what == wire::op::read) {
    auto read = read_list_group_offsets(ev, req.group);
    if (!read)
      return failure(req.id, read.error());
    for (const auto& [tp, c] : *read)
      out.partitions.push_back({tp.first, tp.second, c.offset, c.metadata, 0});
  } else {
    auto written = read_alter_group_offsets(ev, req.group);
    if (!written)
      return failure(req.id, written.error());
    for (const auto& [tp, o] : *written)
      out.partitions.push_back({tp.first, tp.second, -1, {}, static_cast<int32_t>(o.error)});
  }
  return out;
}

void send(rd_kafka_t* rk, rd_kafka_queue_t* answers, const wire::request& req) {
  auto timeout = std::chrono::milliseconds{std::max(1, req.timeout_ms)};
  auto* opaque = new in_flight{req.id, req.what, req.group}; // the answer loop frees it
  if (req.what == wire::op::read) {
    std::vector<topic_partition> partitions;
    for (const auto& p : req.partitions)
      partitions.emplace_back(p.topic, p.partition);
    send_list_group_offsets(rk, req.group, partitions, timeout, answers, opaque);
  } else {
    std::map<topic_partition, committed_offset> offsets;
    for (const auto& p : req.partitions)
      offsets[{p.topic, p.partition}] = {p.offset, p.metadata};
    send_alter_group_offsets(rk, req.group, offsets, timeout, answers, opaque);
  }
}

} // namespace

int serve_group_offsets(int in, int out) {
  wire::frame_splitter frames;
  std::mutex out_mutex;
  auto reply = [&](const wire::reply& r) {
    std::lock_guard<std::mutex> lock{out_mutex};
    send_all(out, wire::frame(wire::encode(r))); // a closed parent ends the read loop too
  };
  handle_ptr rk;
  queue_ptr answers;
  std::atomic<bool> stopping{false};
  std::thread answer_loop;
  char buffer[64 * 1024];
  for (;;) {
    auto n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    frames.append({buffer, static_cast<size_t>(n)});
    for (;;) {
      auto payload = frames.next();
      if (!payload) {
        std::fprintf(stderr, "k2k-group-offsets: %s\n", payload.error().message.c_str());
        return 2;
      }
      if (!*payload)
        break;
      if (!rk) { // the first frame: the client's properties
        auto props = wire::decode_properties(**payload);
        if (!props) {
          std::fprintf(stderr, "k2k-group-offsets: %s\n", props.error().message.c_str());
          return 2;
        }
        try {
          rk = make_admin_client(*props);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "k2k-group-offsets: %s\n", e.what());
          return 2;
        }
        answers.reset(rd_kafka_queue_new(rk.get()));
        answer_loop = std::thread([&] {
          while (!stopping) {
            event_ptr ev{rd_kafka_queue_poll(answers.get(), 100)};
            if (!ev)
              continue;
            std::unique_ptr<in_flight> req{
                static_cast<in_flight*>(rd_kafka_event_opaque(ev.get()))};
            if (req)
              reply(answer(*req, ev.get()));
          }
        });
        continue;
      }
      auto req = wire::decode_request(**payload);
      if (!req) // a request this helper cannot read has no id to answer: the parent times out
        std::fprintf(stderr, "k2k-group-offsets: %s\n", req.error().message.c_str());
      else
        send(rk.get(), answers.get(), *req);
    }
  }
  // The parent is gone or done with this helper: nothing in flight is wanted any more.
  stopping = true;
  if (answer_loop.joinable())
    answer_loop.join();
  std::fflush(stderr);
  ::_exit(0); // not rd_kafka_destroy: it would wait for requests nobody will read
}

} // namespace k2k::kafka
