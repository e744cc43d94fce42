#include "core/metrics_text.hpp"

#include <cmath>
#include <cstdio>

namespace k2k::core {

namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  // integers as integers (counters are mostly whole numbers), others with full precision
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

} // namespace

void metrics_text::counter(const std::string& name, const std::string& help, double value,
                           const metric_labels& labels) {
  sample(name, "counter", help, value, labels);
}

void metrics_text::gauge(const std::string& name, const std::string& help, double value,
                         const metric_labels& labels) {
  sample(name, "gauge", help, value, labels);
}

void metrics_text::counters_by(const std::string& name, const std::string& help,
                               const metric_labels& labels, const std::string& key,
                               const split_samples& samples) {
  split(name, "counter", help, labels, key, samples);
}

void metrics_text::gauges_by(const std::string& name, const std::string& help,
                             const metric_labels& labels, const std::string& key,
                             const split_samples& samples) {
  split(name, "gauge", help, labels, key, samples);
}

void metrics_text::split(const std::string& name, const std::string& type, const std::string& help,
                         const metric_labels& labels, const std::string& key,
                         const split_samples& samples) {
  for (const auto& [value, x] : samples) {
    auto l = labels;
    l.emplace_back(key, value);
    sample(name, type, help, x, l);
  }
}

void metrics_text::sample(const std::string& name, const std::string& type, const std::string& help,
                          double value, const metric_labels& labels) {
  if (described_.insert(name).second) {
    out_ += "# HELP " + name + ' ' + help + '\n';
    out_ += "# TYPE " + name + ' ' + type + '\n';
  }
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i)
      out_ += (i ? "," : "") + labels[i].first + "=\"" + escape_label(labels[i].second) + '"';
    out_ += '}';
  }
  out_ += ' ' + format_value(value) + '\n';
}

} // namespace k2k::core
