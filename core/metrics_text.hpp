// Prometheus text exposition format (version 0.0.4): HELP and TYPE once per metric family,
// then one sample per label set, label values escaped.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace k2k::core {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

class metrics_text {
public:
  void counter(const std::string& name, const std::string& help, double value,
               const metric_labels& labels = {});
  void gauge(const std::string& name, const std::string& help, double value,
             const metric_labels& labels = {});
  // One family split by one more label: `name{labels..,key="v"} sample` for each (v, sample).
  using split_samples = std::vector<std::pair<std::string, double>>;
  void counters_by(const std::string& name, const std::string& help, const metric_labels& labels,
                   const std::string& key, const split_samples& samples);
  void gauges_by(const std::string& name, const std::string& help, const metric_labels& labels,
                 const std::string& key, const split_samples& samples);
  const std::string& str() const { return out_; }

private:
  void split(const std::string& name, const std::string& type, const std::string& help,
             const metric_labels& labels, const std::string& key, const split_samples& samples);
  void sample(const std::string& name, const std::string& type, const std::string& help,
              double value, const metric_labels& labels);

  std::string out_;
  std::set<std::string> described_;
};

} // namespace k2k::core
