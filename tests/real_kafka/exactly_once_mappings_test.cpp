// On a real broker, exactly-once: every mapping record is written in a transaction, so each
// mapping partition ends with a commit marker, not with a record. An offset-mapping worker that
// starts while the pipeline is idle (nothing new to replicate) must still finish reading its
// mapping partitions and translate; the mock writes no markers and cannot show this.
#include "support/real_kafka.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

using namespace k2k;
using namespace k2k::test;
using namespace std::chrono_literals;

TEST_CASE("exactly-once: an offset-mapping worker started on an idle pipeline translates",
          "[kafka][exactly-once][offset-mapping]") {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto topic = unique_name("idle-orders"), group = unique_name("idle-app");
  create_real_topic(source, topic, 1);
  produce(source, topic, 0, numbered_records(50));
  auto cfg = real_pipeline("[" + topic + "]",
                           "features: {exactlyOnce: enabled}\n"
                           "offsetMapping: {topic: " +
                               unique_name("mappings") +
                               ", partitions: 1}\n"
                               "groups: {consumerGroups: [" +
                               group + "], pollInterval: 250ms}\n",
                           "batchSize: 20");
  {
    running_worker replicator{cfg};
    REQUIRE(replicated_to(replicator, {{0, 50}}));
  } // stopped: no mapping comes after the last transaction's marker
  commit_offset(source, group, topic, 0, 27);

  service_fixture om{cfg};
  REQUIRE(om.wait_for([](const auto& n) { return n.commits_written >= 1; }, 30s));
  CHECK(om.service->counters()->mapping_loading == 0);
  CHECK(committed_offset(target, group, topic, 0) ==
        copies_on_target(target, topic, 0).resume_at(27));
}
