// `k2k demo` on real brokers (--source-bootstrap, --target-bootstrap): the same pipeline and
// verdict as on the embedded clusters, with real transaction markers among the source offsets
// and the target topics and mapping topic created by k2k itself.
#include "support/real_kafka.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace k2k::test;

TEST_CASE("k2k demo runs on given clusters with the same verdict", "[kafka][demo]") {
  auto command = std::string{K2K_BIN} + " demo --duration 5 --log-level warn --source-bootstrap " +
                 real_cluster("source") + " --target-bootstrap " + real_cluster("target");
  auto [exit_code, out] = run_command(command);
  INFO(out.substr(out.size() > 3000 ? out.size() - 3000 : 0));
  CHECK(exit_code == 0);
  // One verdict line per group, e.g. "group billing-12345 resumed on target with 0
  // duplicates and 0 skipped records (812 records read)".
  for (const std::string group : {"billing-", "analytics-", "audit-"}) {
    INFO("group " << group);
    std::istringstream lines{out};
    std::string line;
    bool exact = false;
    while (std::getline(lines, line))
      exact |= line.rfind("group " + group, 0) == 0 &&
               line.find(" resumed on target with 0 duplicates and 0 skipped records (") !=
                   std::string::npos &&
               line.find("(0 records read)") == std::string::npos;
    CHECK(exact);
  }
  CHECK_THAT(out, Catch::Contains("demo: every translated commit exact, every group resumed "
                                  "exactly"));
}
