// The one way the replicator writes a record to target: retried while librdkafka's queue is
// full (serving delivery reports makes room), copied, with its tag as the opaque.
#pragma once

#include "kafka/handles.hpp"

#include <cstdint>
#include <string_view>

namespace k2k::replication {

struct outgoing_record {
  const char* topic = nullptr;
  int32_t partition = 0;
  std::string_view key;
  std::string_view value;
  int64_t timestamp = 0;      // 0: the producer's clock
  kafka::headers_ptr headers; // taken by librdkafka when the produce succeeds
  void* opaque = nullptr;     // the delivery tag
};

// RD_KAFKA_RESP_ERR_NO_ERROR once librdkafka holds the record (its delivery report follows);
// otherwise the error, with `r` still owning its headers.
rd_kafka_resp_err_t produce(rd_kafka_t* producer, outgoing_record& r);

} // namespace k2k::replication
