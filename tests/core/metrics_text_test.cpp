#include "core/metrics_text.hpp"

#include <catch2/catch.hpp>

using namespace k2k::core;

TEST_CASE("metrics text: HELP and TYPE once per family, one line per label set",
          "[core][metrics]") {
  metrics_text m;
  m.counter("k2k_records_total", "Records replicated.", 42);
  m.gauge("k2k_lag_records", "Lag.", 7, {{"topic", "orders"}, {"partition", "0"}});
  m.gauge("k2k_lag_records", "Lag.", 0, {{"topic", "orders"}, {"partition", "1"}});
  CHECK(m.str() == "# HELP k2k_records_total Records replicated.\n"
                   "# TYPE k2k_records_total counter\n"
                   "k2k_records_total 42\n"
                   "# HELP k2k_lag_records Lag.\n"
                   "# TYPE k2k_lag_records gauge\n"
                   "k2k_lag_records{topic=\"orders\",partition=\"0\"} 7\n"
                   "k2k_lag_records{topic=\"orders\",partition=\"1\"} 0\n");
}

TEST_CASE("metrics text: label values are escaped, fractions kept", "[core][metrics]") {
  metrics_text m;
  m.gauge("g", "h", 0.25, {{"reason", "a \"quoted\"\\path\nnext"}});
  CHECK(m.str().find("g{reason=\"a \\\"quoted\\\"\\\\path\\nnext\"} 0.25\n") != std::string::npos);
}

TEST_CASE("metrics text: a family split by one label", "[core][metrics]") {
  metrics_text m;
  m.counters_by("e_total", "Errors by kind.", {{"pipeline", "p"}}, "kind",
                {{"delivery", 2}, {"rewind", 0}});
  CHECK(m.str() == "# HELP e_total Errors by kind.\n"
                   "# TYPE e_total counter\n"
                   "e_total{pipeline=\"p\",kind=\"delivery\"} 2\n"
                   "e_total{pipeline=\"p\",kind=\"rewind\"} 0\n");
}
