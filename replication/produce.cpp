#include "replication/produce.hpp"

namespace k2k::replication {

rd_kafka_resp_err_t produce(rd_kafka_t* producer, outgoing_record& r) {
  rd_kafka_vu_t vus[8];
  size_t n = 0;
  vus[n].vtype = RD_KAFKA_VTYPE_TOPIC;
  vus[n++].u.cstr = r.topic;
  vus[n].vtype = RD_KAFKA_VTYPE_PARTITION;
  vus[n++].u.i32 = r.partition;
  vus[n].vtype = RD_KAFKA_VTYPE_KEY;
  vus[n].u.mem.ptr = const_cast<char*>(r.key.data());
  vus[n++].u.mem.size = r.key.size();
  vus[n].vtype = RD_KAFKA_VTYPE_VALUE;
  vus[n].u.mem.ptr = const_cast<char*>(r.value.data());
  vus[n++].u.mem.size = r.value.size();
  vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vus[n++].u.i = RD_KAFKA_MSG_F_COPY;
  vus[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
  vus[n++].u.i64 = r.timestamp;
  vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
  vus[n++].u.ptr = r.opaque;
  if (r.headers) {
    vus[n].vtype = RD_KAFKA_VTYPE_HEADERS;
    vus[n++].u.headers = r.headers.get();
  }
  for (;;) {
    kafka::error_ptr err{rd_kafka_produceva(producer, vus, n)};
    auto code = err ? rd_kafka_error_code(err.get()) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 50); // make room by serving delivery reports
      continue;
    }
    if (!code)
      (void)r.headers.release(); // librdkafka owns them now
    return code;
  }
}

} // namespace k2k::replication
