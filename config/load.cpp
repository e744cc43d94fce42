#include "config/load.hpp"

#include "config/suggest.hpp"
#include "kafka/properties.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <tuple>

namespace k2k::config {

std::string problem::to_string() const {
  std::ostringstream out;
  out << file << ':';
  if (line > 0)
    out << line << ':' << column << ':';
  out << ' ';
  if (!key_path.empty())
    out << key_path << ": ";
  out << message;
  return out.str();
}

namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Scalar:
    return "\"" + node.Scalar() + "\"";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Map:
    return "a map";
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    return "nothing";
  }
  return "nothing";
}

// Keys with dots (librdkafka properties) are quoted so the path stays unambiguous.
std::string child_path(const std::string& parent, const std::string& key) {
  auto segment = key.find_first_of(". ") == std::string::npos ? key : "\"" + key + "\"";
  return parent.empty() ? segment : parent + "." + segment;
}

bool valid_kafka_name(const std::string& s) {
  static const std::regex legal{"[A-Za-z0-9._-]{1,249}"};
  return std::regex_match(s, legal);
}

// libstdc++'s regex compiler reads a back-reference or repetition count into a long without an
// overflow check (undefined behaviour, found by fuzzing) and copies a repeated atom once per
// count: a number is checked here before the pattern is compiled. Names are at most 249
// characters (topics) and groups rarely longer, so 10,000 leaves every sensible pattern alone.
constexpr long max_regex_number = 10000;

std::optional<std::string> oversized_regex_number(const std::string& pattern) {
  auto digits_at = [&](size_t i) {
    size_t end = i;
    while (end < pattern.size() && pattern[end] >= '0' && pattern[end] <= '9')
      ++end;
    return pattern.substr(i, end - i);
  };
  auto too_big = [](const std::string& n) {
    return n.size() > 5 || (!n.empty() && std::stol(n) > max_regex_number);
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      if (auto n = digits_at(i + 1); too_big(n))
        return "back-reference \\" + n + " is over " + std::to_string(max_regex_number);
      ++i; // the escaped character is never a brace
    } else if (pattern[i] == '{') {
      auto low = digits_at(i + 1);
      auto comma = i + 1 + low.size();
      auto high = comma < pattern.size() && pattern[comma] == ',' ? digits_at(comma + 1) : "";
      if (too_big(low) || too_big(high))
        return "repetition count {" + (too_big(low) ? low : high) + "} is over " +
               std::to_string(max_regex_number);
    }
  }
  return std::nullopt;
}

class reader {
public:
  reader(std::string file, problems& out) : file_(std::move(file)), out_(out) {}

  void report(const YAML::Mark& mark, const std::string& path, std::string message) {
    problem p;
    p.file = file_;
    p.line = mark.is_null() ? 0 : mark.line + 1;
    p.column = mark.is_null() ? 0 : mark.column + 1;
    p.key_path = path;
    p.message = std::move(message);
    out_.push_back(std::move(p));
  }

  void report(const YAML::Node& at, const std::string& path, std::string message) {
    report(at.Mark(), path, std::move(message));
  }

  bool expect_map(const YAML::Node& node, const std::string& path) {
    if (node.IsMap())
      return true;
    report(node, path, "expected a map, found " + describe(node));
    return false;
  }

  // YAML forbids a key twice in one map, but yaml-cpp keeps both and a lookup finds only
  // the first: the second one's settings would be dropped without a word.
  bool is_duplicate(const YAML::Node& map, const YAML::const_iterator& at,
                    const std::string& path) {
    for (auto it = map.begin(); it != at; ++it)
      if (it->first.Scalar() == at->first.Scalar()) {
        report(at->first, child_path(path, at->first.Scalar()),
               "duplicate key, first given at line " + std::to_string(it->first.Mark().line + 1) +
                   " (this one would be ignored: merge the two)");
        return true;
      }
    return false;
  }

  // Reports keys not in `allowed`, suggesting the closest allowed one, and repeated keys.
  void check_keys(const YAML::Node& map, const std::string& path,
                  const std::vector<std::string>& allowed) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      auto key = it->first.Scalar();
      if (is_duplicate(map, it, path))
        continue;
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
        continue;
      std::string message = "unknown key";
      auto suggestion = closest_match(key, allowed);
      message += suggestion.empty() ? ", expected one of " + list(allowed)
                                    : ", did you mean \"" + suggestion + "\"?";
      report(it->first, child_path(path, key), message);
    }
  }

  // A required child: reports it missing at the parent's position.
  std::optional<YAML::Node> required(const YAML::Node& map, const std::string& key,
                                     const std::string& path, const std::string& expected) {
    auto child = map[key];
    if (child)
      return child;
    report(map, child_path(path, key), "missing required key, expected " + expected);
    return std::nullopt;
  }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& path,
                                    const std::string& expected) {
    if (!node.IsScalar()) {
      report(node, path, "expected " + expected + ", found " + describe(node));
      return std::nullopt;
    }
    return substitute_env(node, path);
  }

  std::optional<bool> toggle(const YAML::Node& node, const std::string& path) {
    return choice<bool>(node, path, {{"enabled", true}, {"disabled", false}});
  }

  template <class T>
  std::optional<T> choice(const YAML::Node& node, const std::string& path,
                          const std::vector<std::pair<std::string, T>>& options) {
    std::vector<std::string> names;
    for (const auto& option : options)
      names.push_back(option.first);
    auto expected = "one of " + list(names);
    auto value = scalar(node, path, expected);
    if (!value)
      return std::nullopt;
    for (const auto& [name, result] : options)
      if (*value == name)
        return result;
    report(node, path, "expected " + expected + ", found \"" + *value + "\"");
    return std::nullopt;
  }

  std::optional<std::chrono::milliseconds> duration(const YAML::Node& node,
                                                    const std::string& path) {
    static const char* expected = "a positive duration such as 250ms, 5s, 1m or 1h";
    auto value = scalar(node, path, expected);
    if (!value)
      return std::nullopt;
    auto parsed = parse_duration(*value);
    if (!parsed)
      report(node, path, std::string{"expected "} + expected + ", found \"" + *value + "\"");
    return parsed;
  }

  std::optional<int> integer(const YAML::Node& node, const std::string& path, int min, int max) {
    auto expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    auto value = scalar(node, path, expected);
    if (!value)
      return std::nullopt;
    static const std::regex form{"-?[0-9]{1,9}"};
    if (!std::regex_match(*value, form) || std::stoi(*value) < min || std::stoi(*value) > max) {
      report(node, path, "expected " + expected + ", found \"" + *value + "\"");
      return std::nullopt;
    }
    return std::stoi(*value);
  }

  std::optional<std::string> regex(const YAML::Node& node, const std::string& path) {
    auto value = scalar(node, path, "a regular expression");
    if (!value)
      return std::nullopt;
    if (auto reason = oversized_regex_number(*value)) {
      report(node, path,
             "expected a valid regular expression, found \"" + *value + "\" (" + *reason + ")");
      return std::nullopt;
    }
    try {
      std::regex compiled{*value};
    } catch (const std::regex_error& e) {
      report(node, path,
             "expected a valid regular expression, found \"" + *value + "\" (" + e.what() + ")");
      return std::nullopt;
    }
    return value;
  }

  // A scalar is a regex, a list holds exact names.
  void names_or_regex(const YAML::Node& node, const std::string& path,
                      std::vector<std::string>& names, std::string& pattern) {
    if (node.IsSequence()) {
      names.clear();
      pattern.clear();
      for (size_t i = 0; i < node.size(); ++i)
        if (auto name = scalar(node[i], path + "[" + std::to_string(i) + "]", "a name"))
          names.push_back(*name);
      return;
    }
    if (!node.IsScalar()) {
      report(node, path,
             "expected a regular expression or a list of names, found " + describe(node));
      return;
    }
    if (auto r = regex(node, path)) {
      names.clear();
      pattern = *r;
    }
  }

  kafka_properties properties(const YAML::Node& node, const std::string& path) {
    kafka_properties result;
    if (!node || node.IsNull())
      return result;
    if (!expect_map(node, path))
      return result;
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto key = it->first.Scalar();
      auto key_path = child_path(path, key);
      if (is_duplicate(node, it, path))
        continue;
      auto value = scalar(it->second, key_path, "a librdkafka property value");
      if (!value)
        continue;
      if (auto complaint = kafka::check_property(key, *value)) {
        report(it->first, key_path, "rejected by librdkafka: " + *complaint);
        continue;
      }
      result[key] = *value;
    }
    return result;
  }

private:
  static std::string list(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
      out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("\"" + names[i] + "\"");
    return out;
  }

  // ${NAME} and ${NAME:-default} are replaced from the environment.
  std::optional<std::string> substitute_env(const YAML::Node& node, const std::string& path) {
    static const std::regex reference{R"(\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\})"};
    const auto& text = node.Scalar();
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), reference);
    size_t last = 0;
    bool ok = true;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out.append(text, last, static_cast<size_t>(m.position()) - last);
      last = static_cast<size_t>(m.position() + m.length());
      if (const char* env = std::getenv(m[1].str().c_str())) {
        out += env;
      } else if (m[2].matched) {
        out += m[3].str();
      } else {
        report(node, path,
               "expected environment variable " + m[1].str() + " to be set, found it unset");
        ok = false;
      }
    }
    out.append(text, last, std::string::npos);
    return ok ? std::optional<std::string>{out} : std::nullopt;
  }

  std::string file_;
  problems& out_;
};

class pipeline_parser {
public:
  pipeline_parser(reader& r) : r_(r) {}

  void parse(const YAML::Node& root, pipeline_config& c) {
    if (!r_.expect_map(root, ""))
      return;
    r_.check_keys(root, "",
                  {"name", "source", "target", "replication", "features", "tracing",
                   "offsetMapping", "groups", "errorHandling", "metrics", "replicator",
                   "topicCreation"});
    if (auto n = r_.required(root, "name", "", "the pipeline name"))
      parse_name(*n, c);
    if (auto n = r_.required(root, "source", "", "the source cluster (source.kafka.common)"))
      parse_cluster(*n, "source", {"common", "consumer", "admin"}, c.source);
    if (auto n = r_.required(root, "target", "", "the target cluster (target.kafka.common)"))
      parse_cluster(*n, "target", {"common", "producer", "consumer", "admin"}, c.target);
    if (auto n = r_.required(root, "replication", "", "a list with a source and a sink"))
      parse_replication(*n, c.replication);
    if (auto n = root["features"])
      parse_features(n, c.features);
    if (auto n = root["tracing"])
      parse_tracing(n, c.tracing_headers);
    if (auto n = root["offsetMapping"])
      parse_offset_mapping(n, c.offset_mapping);
    if (auto n = root["groups"])
      parse_groups(n, c.groups);
    if (auto n = root["errorHandling"])
      parse_error_handling(n, c.error_handling);
    if (auto n = root["metrics"])
      parse_metrics(n, c.metrics);
    if (auto n = root["replicator"])
      parse_replicator(n, c.replicator);
    if (auto n = root["topicCreation"])
      parse_topic_creation(n, c.topic_creation);
    cross_check(c);
  }

private:
  void parse_name(const YAML::Node& n, pipeline_config& c) {
    auto name = r_.scalar(n, "name", "the pipeline name");
    if (!name)
      return;
    if (!valid_kafka_name(*name)) {
      r_.report(n, "name",
                "expected letters, digits, '.', '_' or '-' (it names groups and transactional "
                "ids), found \"" +
                    *name + "\"");
      return;
    }
    c.name = *name;
  }

  void parse_cluster(const YAML::Node& n, const std::string& path,
                     const std::vector<std::string>& roles, cluster_settings& out) {
    if (!r_.expect_map(n, path))
      return;
    r_.check_keys(n, path, {"kafka"});
    auto kafka = r_.required(n, "kafka", path, "a map with common/consumer/admin properties");
    if (!kafka)
      return;
    auto kafka_path = path + ".kafka";
    if (!r_.expect_map(*kafka, kafka_path))
      return;
    r_.check_keys(*kafka, kafka_path, roles);
    out.kafka.common = r_.properties((*kafka)["common"], kafka_path + ".common");
    out.kafka.consumer = r_.properties((*kafka)["consumer"], kafka_path + ".consumer");
    out.kafka.producer = r_.properties((*kafka)["producer"], kafka_path + ".producer");
    out.kafka.admin = r_.properties((*kafka)["admin"], kafka_path + ".admin");
    bool has_bootstrap = out.kafka.for_consumer().count("bootstrap.servers") &&
                         out.kafka.for_admin().count("bootstrap.servers") &&
                         (path == "source" || out.kafka.for_producer().count("bootstrap.servers"));
    if (!has_bootstrap)
      r_.report(*kafka, kafka_path + ".common.\"bootstrap.servers\"",
                "missing required key, expected the " + path +
                    " cluster's brokers (host:port,...)");
  }

  void parse_replication(const YAML::Node& n, replication_settings& out) {
    if (!n.IsSequence()) {
      r_.report(n, "replication", "expected a list with a source and a sink, found " + describe(n));
      return;
    }
    bool have_source = false, have_sink = false;
    for (size_t i = 0; i < n.size(); ++i) {
      auto item = n[i];
      auto path = "replication[" + std::to_string(i) + "]";
      if (!r_.expect_map(item, path))
        continue;
      r_.check_keys(item, path, {"source", "sink"});
      if (auto source = item["source"]) {
        if (have_source)
          r_.report(source, path + ".source", "expected one source, found a second one");
        have_source = true;
        parse_source(source, path + ".source", out);
      }
      if (auto sink = item["sink"]) {
        if (have_sink)
          r_.report(sink, path + ".sink", "expected one sink, found a second one");
        have_sink = true;
        parse_sink(sink, path + ".sink", out.sink);
      }
    }
    if (!have_source)
      r_.report(n, "replication",
                "missing required key, expected an item \"source: {topic: ...}\"");
  }

  void parse_source(const YAML::Node& n, const std::string& path, replication_settings& out) {
    if (!r_.expect_map(n, path))
      return;
    r_.check_keys(n, path, {"topic"});
    auto topic = r_.required(n, "topic", path, "a topic, a list of topics or {regex: ...}");
    if (!topic)
      return;
    auto topic_path = path + ".topic";
    auto& sel = out.topics;
    if (topic->IsScalar()) {
      if (auto name = r_.scalar(*topic, topic_path, "a topic name"))
        sel.names = {*name};
    } else if (topic->IsSequence()) {
      r_.names_or_regex(*topic, topic_path, sel.names, sel.regex);
    } else if (topic->IsMap()) {
      r_.check_keys(*topic, topic_path, {"regex", "exclude"});
      if (auto re = r_.required(*topic, "regex", topic_path, "a regular expression"))
        if (auto value = r_.regex(*re, topic_path + ".regex"))
          sel.regex = *value;
      if (auto ex = (*topic)["exclude"])
        r_.names_or_regex(ex, topic_path + ".exclude", sel.exclude_names, sel.exclude_regex);
    } else {
      r_.report(*topic, topic_path,
                "expected a topic, a list of topics or {regex: ...}, found " + describe(*topic));
    }
    for (const auto& name : sel.names)
      if (!valid_kafka_name(name))
        r_.report(*topic, topic_path, "expected a valid Kafka topic name, found \"" + name + "\"");
  }

  void parse_sink(const YAML::Node& n, const std::string& path, sink_settings& out) {
    if (!r_.expect_map(n, path))
      return;
    r_.check_keys(n, path, {"topic", "partition"});
    if (auto topic = n["topic"]) {
      auto topic_path = path + ".topic";
      if (topic.IsMap()) {
        r_.check_keys(topic, topic_path, {"prefix"});
        if (auto p = r_.required(topic, "prefix", topic_path, "a topic name prefix"))
          if (auto prefix = r_.scalar(*p, topic_path + ".prefix", "a topic name prefix"))
            out.topic_prefix = *prefix;
      } else {
        r_.choice<int>(topic, topic_path, {{"source", 0}});
      }
    }
    if (auto partition = n["partition"]) {
      partition_mark_ = partition.Mark();
      if (auto p = r_.choice<sink_partitioning>(
              partition, path + ".partition",
              {{"source", sink_partitioning::source}, {"key", sink_partitioning::key}}))
        out.partition = *p;
      partition_path_ = path + ".partition";
    }
  }

  void parse_features(const YAML::Node& n, feature_settings& out) {
    if (!r_.expect_map(n, "features"))
      return;
    r_.check_keys(n, "features",
                  {"offsetMapping", "tracingHeaders", "keepRecordCreationTimestamp", "exactlyOnce",
                   "applyMappingsGuard"});
    set_toggle(n, "features", "offsetMapping", out.offset_mapping);
    set_toggle(n, "features", "keepRecordCreationTimestamp", out.keep_record_creation_timestamp);
    set_toggle(n, "features", "exactlyOnce", out.exactly_once);
    set_toggle(n, "features", "applyMappingsGuard", out.apply_mappings_guard);
    if (auto th = n["tracingHeaders"]) {
      auto& s = out.tracing_headers;
      if (th.IsMap()) {
        // In the per-header form, headers not listed are off (as in Lenses K2K).
        s = {false, false, false, false, false};
        auto path = std::string{"features.tracingHeaders"};
        r_.check_keys(th, path, {"topic", "partition", "offset", "timestamp", "pipeline"});
        set_toggle(th, path, "topic", s.topic);
        set_toggle(th, path, "partition", s.partition);
        set_toggle(th, path, "offset", s.offset);
        set_toggle(th, path, "timestamp", s.timestamp);
        set_toggle(th, path, "pipeline", s.pipeline);
      } else if (auto all = r_.toggle(th, "features.tracingHeaders")) {
        s = {*all, *all, *all, *all, *all};
      }
    }
  }

  void parse_tracing(const YAML::Node& n, tracing_header_names& out) {
    if (!r_.expect_map(n, "tracing"))
      return;
    r_.check_keys(n, "tracing", {"headers"});
    auto headers = n["headers"];
    if (!headers || !r_.expect_map(headers, "tracing.headers"))
      return;
    auto path = std::string{"tracing.headers"};
    r_.check_keys(headers, path, {"topic", "partition", "offset", "timestamp", "pipeline"});
    set_header_name(headers, path, "topic", out.topic);
    set_header_name(headers, path, "partition", out.partition);
    set_header_name(headers, path, "offset", out.offset);
    set_header_name(headers, path, "timestamp", out.timestamp);
    set_header_name(headers, path, "pipeline", out.pipeline);
  }

  void parse_offset_mapping(const YAML::Node& n, offset_mapping_settings& out) {
    if (!r_.expect_map(n, "offsetMapping"))
      return;
    r_.check_keys(n, "offsetMapping",
                  {"topic", "partitions", "replicationFactor", "maxRunsPerPartition", "maxRunAge"});
    set_integer(n, "offsetMapping", "maxRunsPerPartition", 1, 1'000'000'000,
                out.max_runs_per_partition);
    set_duration(n, "offsetMapping", "maxRunAge", out.max_run_age);
    set_integer(n, "offsetMapping", "partitions", 1, 10000, out.partitions);
    set_replication_factor(n, "offsetMapping", out.replication_factor);
    if (auto topic = n["topic"]) {
      auto value = r_.scalar(topic, "offsetMapping.topic", "a topic name");
      if (value && !valid_kafka_name(*value))
        r_.report(topic, "offsetMapping.topic",
                  "expected a valid Kafka topic name, found \"" + *value + "\"");
      else if (value)
        out.topic = *value;
    }
  }

  void parse_groups(const YAML::Node& n, group_settings& out) {
    if (!r_.expect_map(n, "groups"))
      return;
    r_.check_keys(n, "groups",
                  {"consumerGroups", "exclude", "pollInterval", "offsetGuardPrefix",
                   "ioParallelism", "commitTimeout", "sourceCommits", "offsetClients"});
    auto& sel = out.consumer_groups;
    if (auto cg = n["consumerGroups"])
      r_.names_or_regex(cg, "groups.consumerGroups", sel.names, sel.regex);
    if (auto ex = n["exclude"])
      r_.names_or_regex(ex, "groups.exclude", sel.exclude_names, sel.exclude_regex);
    set_duration(n, "groups", "pollInterval", out.poll_interval);
    set_integer(n, "groups", "ioParallelism", 1, 64, out.io_parallelism);
    set_duration(n, "groups", "commitTimeout", out.commit_timeout);
    if (auto from = n["sourceCommits"])
      if (auto v =
              r_.choice<source_commits>(from, "groups.sourceCommits",
                                        {{"auto", source_commits::automatic},
                                         {"consumer-offsets", source_commits::consumer_offsets},
                                         {"poll", source_commits::poll}}))
        out.source_commits_from = *v;
    if (auto clients = n["offsetClients"])
      if (auto v = r_.choice<offset_clients>(
              clients, "groups.offsetClients",
              {{"shared", offset_clients::shared}, {"per-group", offset_clients::per_group}}))
        out.offset_clients_kind = *v;
    if (auto prefix = n["offsetGuardPrefix"]) {
      auto value = r_.scalar(prefix, "groups.offsetGuardPrefix", "a non-empty prefix");
      if (value && value->empty())
        // An empty prefix would make every commit look like ours, defeating foreign detection.
        r_.report(prefix, "groups.offsetGuardPrefix", "expected a non-empty prefix, found \"\"");
      else if (value)
        out.offset_guard_prefix = *value;
    }
  }

  void parse_error_handling(const YAML::Node& n, error_handling_settings& out) {
    if (!r_.expect_map(n, "errorHandling"))
      return;
    r_.check_keys(n, "errorHandling",
                  {"onActiveConsumerGroupCommit", "onMultipleTargetCommittedOffsets"});
    const std::vector<std::pair<std::string, on_error>> options{{"fail", on_error::fail},
                                                                {"ignore", on_error::ignore}};
    if (auto a = n["onActiveConsumerGroupCommit"])
      if (auto v = r_.choice(a, "errorHandling.onActiveConsumerGroupCommit", options))
        out.on_active_consumer_group_commit = *v;
    if (auto m = n["onMultipleTargetCommittedOffsets"])
      if (auto v = r_.choice(m, "errorHandling.onMultipleTargetCommittedOffsets", options))
        out.on_multiple_target_committed_offsets = *v;
  }

  void parse_metrics(const YAML::Node& n, metrics_settings& out) {
    if (!r_.expect_map(n, "metrics"))
      return;
    r_.check_keys(n, "metrics", {"listen"});
    if (auto l = n["listen"]) {
      static const std::regex form{R"((\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5}))"};
      auto value = r_.scalar(l, "metrics.listen", "host:port");
      std::smatch m;
      if (value && (!std::regex_match(*value, m, form) || std::stoi(m[2]) > 65535))
        r_.report(l, "metrics.listen", "expected host:port, found \"" + *value + "\"");
      else if (value)
        out.listen = *value;
    }
  }

  void parse_replicator(const YAML::Node& n, replicator_settings& out) {
    if (!r_.expect_map(n, "replicator"))
      return;
    const std::string path = "replicator";
    r_.check_keys(n, path,
                  {"maxInFlightRecords", "batchSize", "reportInterval", "topicRefreshInterval",
                   "shutdownTimeout"});
    set_integer(n, path, "maxInFlightRecords", 1, 10'000'000, out.max_in_flight_records);
    set_integer(n, path, "batchSize", 1, 1'000'000, out.batch_size);
    set_duration(n, path, "reportInterval", out.report_interval);
    set_duration(n, path, "topicRefreshInterval", out.topic_refresh_interval);
    set_duration(n, path, "shutdownTimeout", out.shutdown_timeout);
  }

  void parse_topic_creation(const YAML::Node& n, topic_creation_settings& out) {
    const std::string path = "topicCreation";
    if (!r_.expect_map(n, path))
      return;
    r_.check_keys(n, path, {"replicationFactor", "excludeConfigs"});
    set_replication_factor(n, path, out.replication_factor);
    if (auto list = n["excludeConfigs"]) {
      if (!list.IsSequence()) {
        r_.report(list, path + ".excludeConfigs",
                  "expected a list of topic config names, found " + describe(list));
        return;
      }
      out.exclude_configs.clear();
      for (size_t i = 0; i < list.size(); ++i)
        if (auto name = r_.scalar(list[i], path + ".excludeConfigs[" + std::to_string(i) + "]",
                                  "a topic config name"))
          out.exclude_configs.push_back(*name);
    }
  }

  void cross_check(const pipeline_config& c) {
    if (c.features.offset_mapping && c.replication.sink.partition != sink_partitioning::source)
      r_.report(partition_mark_, partition_path_,
                "expected \"source\" while features.offsetMapping is enabled (translation needs "
                "source partition p to land in target partition p), found \"key\"");
  }

  void set_toggle(const YAML::Node& map, const std::string& path, const std::string& key,
                  bool& out) {
    if (auto n = map[key])
      if (auto v = r_.toggle(n, child_path(path, key)))
        out = *v;
  }

  void set_integer(const YAML::Node& map, const std::string& path, const std::string& key, int min,
                   int max, int& out) {
    if (auto n = map[key])
      if (auto v = r_.integer(n, child_path(path, key), min, max))
        out = *v;
  }

  // -1 (the broker's default) or 1..32: CreateTopics refuses 0.
  void set_replication_factor(const YAML::Node& map, const std::string& path, int& out) {
    set_integer(map, path, "replicationFactor", -1, 32, out);
    if (out == 0) {
      r_.report(map["replicationFactor"], child_path(path, "replicationFactor"),
                "expected -1 (the broker's default) or an integer from 1 to 32, found \"0\"");
      out = -1;
    }
  }

  void set_duration(const YAML::Node& map, const std::string& path, const std::string& key,
                    std::chrono::milliseconds& out) {
    if (auto n = map[key])
      if (auto d = r_.duration(n, child_path(path, key)))
        out = *d;
  }

  void set_header_name(const YAML::Node& map, const std::string& path, const std::string& key,
                       std::string& out) {
    auto n = map[key];
    if (!n)
      return;
    auto value = r_.scalar(n, child_path(path, key), "a header name");
    if (value && value->empty())
      r_.report(n, child_path(path, key), "expected a non-empty header name, found \"\"");
    else if (value)
      out = *value;
  }

  reader& r_;
  YAML::Mark partition_mark_ = YAML::Mark::null_mark();
  std::string partition_path_;
};

} // namespace

load_result load_string(const std::string& yaml, const std::string& file_name) {
  load_result result;
  reader r{file_name, result.errors};
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    r.report(e.mark, "", "invalid YAML: " + e.msg);
    return result;
  }
  pipeline_parser{r}.parse(root, result.config);
  // Cross-checks are found last; report everything in file order.
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const auto& a, const auto& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return result;
}

load_result load_file(const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    load_result result;
    result.errors.push_back({path, 0, 0, "", "cannot read the file"});
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path);
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  static const std::regex form{"([0-9]{1,9})(ms|s|m|h)"};
  std::smatch m;
  if (!std::regex_match(text, m, form) || std::stoll(m[1]) == 0)
    return std::nullopt;
  auto n = std::stoll(m[1]);
  auto unit = m[2].str();
  long long ms = unit == "ms" ? n : unit == "s" ? n * 1000 : unit == "m" ? n * 60000 : n * 3600000;
  return std::chrono::milliseconds{ms};
}

} // namespace k2k::config
