// Where the offset-mapping benches start: one mock source and one mock target (a broker each),
// a one-partition "orders" topic on both with `records` one-byte records on source, and the
// mapping topic on target.
#pragma once

#include "kafka/client.hpp"
#include "kafka/mock_cluster.hpp"

namespace k2k::bench {

struct orders_clusters {
  kafka::mock_cluster source{1}, target{1};

  explicit orders_clusters(int records) {
    source.create_topic("orders", 1);
    target.create_topic("orders", 1);
    target.create_topic("__k2k_offset_mappings", 1);
    auto p = kafka::make_producer({{"bootstrap.servers", source.bootstrap_servers()}});
    for (int i = 0; i < records; ++i)
      rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC("orders"), RD_KAFKA_V_PARTITION(0),
                        RD_KAFKA_V_VALUE(const_cast<char*>("x"), 1),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_flush(p.get(), 10000);
  }
};

} // namespace k2k::bench
