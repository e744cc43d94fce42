#include "support/real_kafka.hpp"

#include "core/decimal.hpp"
#include "kafka/admin.hpp"
#include "kafka/client.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/headers.hpp"
#include "kafka/partition_reader.hpp"
#include "reliability/kafka_cluster_control.hpp"
#include "support/replication_fixture.hpp"
#include "support/service_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace k2k::test {

using namespace std::chrono_literals;

namespace {

// Where the ctest fixtures keep cluster NAME (tools/kafka-cluster --dir).
std::string cluster_dir(const std::string& name) {
  const char* dir = std::getenv("K2K_KAFKA_CLUSTER_DIR");
  if (!dir)
    throw std::runtime_error("K2K_KAFKA_CLUSTER_DIR is not set: run the kafka-labelled tests "
                             "through ctest (its kafka fixture starts the clusters), or start "
                             "one with tools/kafka-cluster up --dir DIR/" +
                             name + " --name " + name);
  return std::string{dir} + "/" + name;
}

reliability::kafka_cluster_control cluster_control(const std::string& name) {
  try {
    return {std::string{K2K_SOURCE_DIR} + "/tools/kafka-cluster", cluster_dir(name)};
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string{e.what()} + ": did the kafka." + name +
                             ".up fixture fail?");
  }
}

// A file `tools/kafka-cluster up` wrote for cluster NAME (env, version); throws when missing.
std::ifstream cluster_file(const std::string& name, const std::string& file) {
  auto path = cluster_dir(name) + "/" + file;
  std::ifstream in{path};
  if (!in)
    throw std::runtime_error("no " + path + ": did the kafka." + name + ".up fixture fail?");
  return in;
}

} // namespace

std::string real_cluster(const std::string& name) {
  return cluster_control(name).bootstrap();
}

std::map<std::string, std::string> real_cluster_env(const std::string& name) {
  auto in = cluster_file(name, "env");
  std::string prefix; // as the script spells it: upper case, '-' as '_'
  for (char c : name)
    prefix += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  prefix += '_';
  std::map<std::string, std::string> env;
  for (std::string line; std::getline(in, line);)
    if (auto eq = line.find('='); eq != std::string::npos && line.rfind(prefix, 0) == 0)
      env[line.substr(prefix.size(), eq - prefix.size())] = line.substr(eq + 1);
  return env;
}

std::string real_cluster_version(const std::string& name) {
  std::string version;
  cluster_file(name, "version") >> version;
  return version;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> n{0};
  static const auto run = std::random_device{}() % 1000000;
  return prefix + "-" + std::to_string(run) + "-" + std::to_string(n++);
}

void create_real_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                       std::map<std::string, std::string> configs) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  if (auto e = kafka::create_topic(admin.get(), {topic, partitions, -1, std::move(configs)}, 30s))
    throw std::runtime_error("create " + topic + ": " + e->message);
}

config::pipeline_config real_pipeline(const std::string& topics_yaml, const std::string& extra_yaml,
                                      const std::string& replicator_settings) {
  auto cfg = pipeline(real_cluster("source"), real_cluster("target"), topics_yaml, extra_yaml,
                      replicator_settings);
  cfg.name = unique_name("pipeline");
  return cfg;
}

std::optional<std::chrono::milliseconds> poll_until(const std::function<bool()>& condition,
                                                    std::chrono::milliseconds timeout,
                                                    std::chrono::milliseconds interval) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (condition())
      return took;
    if (took >= timeout)
      return std::nullopt;
    std::this_thread::sleep_for(interval);
  }
}

bool replicated_to(const running_worker& worker, const std::map<int32_t, int64_t>& ends,
                   std::chrono::milliseconds timeout) {
  bool done = worker.wait_for_status(
      [&](const replication::replication_status& st) {
        if (!st.error.empty())
          return true;
        size_t at_end = 0;
        for (const auto& p : st.partitions)
          if (ends.count(p.partition) && p.checkpoint == ends.at(p.partition))
            ++at_end;
        return at_end == ends.size();
      },
      timeout);
  auto error = worker.status().error;
  if (!error.empty())
    UNSCOPED_INFO("the replicator failed: " << error);
  return done && error.empty();
}

void commit_offset(const std::string& bootstrap, const std::string& group, const std::string& topic,
                   int32_t partition, int64_t offset) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  // A fresh cluster answers "not coordinator" or "loading" until __consumer_offsets is ready.
  auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    auto r =
        kafka::alter_group_offsets(admin.get(), group, {{{topic, partition}, {offset, ""}}}, 30s);
    if (!r)
      throw std::runtime_error("commit " + group + ": " + r.error().message);
    auto err = r->begin()->second.error;
    if (!err)
      return;
    bool retriable = err == RD_KAFKA_RESP_ERR_NOT_COORDINATOR ||
                     err == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
                     err == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE;
    if (!retriable || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("commit " + group + ": " + rd_kafka_err2str(err));
    std::this_thread::sleep_for(100ms); // the coordinator has no event to wait on
  }
}

std::optional<int64_t> committed_offset(const std::string& bootstrap, const std::string& group,
                                        const std::string& topic, int32_t partition) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  auto r = kafka::list_group_offsets(admin.get(), group, {{topic, partition}}, 30s);
  if (!r)
    throw std::runtime_error("offsets of " + group + ": " + r.error().message);
  auto it = r->find({topic, partition});
  if (it == r->end() || it->second.offset < 0)
    return std::nullopt;
  return it->second.offset;
}

namespace {

std::vector<seen_record> read_partition(kafka::handle_ptr reader, const std::string& topic,
                                        int32_t partition, int64_t from) {
  std::vector<seen_record> out;
  bool ended = kafka::scan_partition(
      reader.get(), topic, partition, from, INT64_MAX,
      [&](const rd_kafka_message_t& m) {
        seen_record r{m.offset, -1};
        if (auto s = kafka::header_value(m, "k2k_offset"))
          r.source_offset = *core::parse_decimal(*s);
        out.push_back(r);
      },
      30s);
  if (!ended)
    throw std::runtime_error("reading " + kafka::describe(topic, partition) + " did not end");
  return out;
}

} // namespace

std::vector<seen_record> read_committed(const std::string& bootstrap, const std::string& topic,
                                        int32_t partition, int64_t from) {
  return read_partition(kafka::make_partition_reader(
                            {{"bootstrap.servers", bootstrap}, {"group.id", "k2k-test-reader"}}),
                        topic, partition, from);
}

std::vector<int64_t> uncommitted_offsets(const std::string& bootstrap, const std::string& topic,
                                         int32_t partition) {
  std::set<int64_t> committed;
  for (const auto& r : read_committed(bootstrap, topic, partition))
    committed.insert(r.offset);
  // As make_partition_reader, but reading what is not committed (yet) too.
  auto reader = kafka::make_consumer({{"bootstrap.servers", bootstrap},
                                      {"group.id", "k2k-test-reader"},
                                      {"enable.auto.commit", "false"},
                                      {"enable.partition.eof", "true"},
                                      {"isolation.level", "read_uncommitted"},
                                      {"fetch.wait.max.ms", "10"}});
  std::vector<int64_t> out;
  for (const auto& r : read_partition(std::move(reader), topic, partition, 0))
    if (!committed.count(r.offset))
      out.push_back(r.offset);
  return out;
}

void set_topic_configs(const std::string& bootstrap, const std::string& topic,
                       const std::map<std::string, std::string>& configs) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  auto* resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  for (const auto& [key, value] : configs)
    rd_kafka_ConfigResource_set_config(resource, key.c_str(), value.c_str());
  kafka::queue_ptr queue{rd_kafka_queue_new(admin.get())};
  rd_kafka_AlterConfigs(admin.get(), &resource, 1, nullptr, queue.get());
  rd_kafka_ConfigResource_destroy(resource);
  kafka::event_ptr ev{rd_kafka_queue_poll(queue.get(), 30000)};
  if (!ev || rd_kafka_event_error(ev.get()))
    throw std::runtime_error("alter configs of " + topic + ": " +
                             (ev ? rd_kafka_event_error_string(ev.get()) : "no answer"));
  size_t n = 0;
  const auto** results =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.get()), &n);
  if (n == 1 && rd_kafka_ConfigResource_error(results[0]))
    throw std::runtime_error("alter configs of " + topic + ": " +
                             rd_kafka_ConfigResource_error_string(results[0]));
}

std::map<std::string, std::string> topic_configs(const std::string& bootstrap,
                                                 const std::string& topic) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  return kafka::topic_configs_set(admin.get(), topic, 30s).value_or_throw();
}

int partition_count(const std::string& bootstrap, const std::string& topic) {
  auto admin = kafka::make_admin_client({{"bootstrap.servers", bootstrap}});
  auto topics = kafka::list_topics(admin.get(), 30s).value_or_throw();
  auto it = topics.find(topic);
  return it == topics.end() ? 0 : it->second;
}

void expect_every_position_translates(config::pipeline_config cfg, const std::string& topic,
                                      int64_t end, const std::vector<int64_t>& source_records) {
  const auto source = real_cluster("source"), target = real_cluster("target");
  const auto prefix = unique_name("position");
  std::vector<std::string> groups;
  for (int64_t s = 0; s <= end; ++s) {
    groups.push_back(prefix + "-" + std::to_string(s));
    commit_offset(source, groups.back(), topic, 0, s);
  }
  cfg.groups.consumer_groups = {groups, "", {}, ""};
  cfg.groups.poll_interval = 250ms;
  service_fixture om{cfg};
  const auto count = groups.size();
  REQUIRE(om.wait_for([&](const auto& n) { return n.commits_written >= count; }));

  const auto truth = copies_on_target(target, topic, 0);
  for (int64_t s = 0; s <= end; ++s) {
    INFO("source position " << s << " (partition end " << end << ")");
    auto t = committed_offset(target, groups[static_cast<size_t>(s)], topic, 0);
    REQUIRE(t);
    // Replication is complete, so the truth is the first copy at or after S (else the end):
    // resume_at cannot tell a trailing hole from lag.
    CHECK(*t == truth.migrate_position(s));
    std::vector<int64_t> left_on_source, read_on_target;
    for (auto offset : source_records)
      if (offset >= s)
        left_on_source.push_back(offset);
    for (const auto& r : read_committed(target, topic, 0, *t))
      read_on_target.push_back(r.source_offset);
    CHECK(read_on_target == left_on_source);
  }
}

steady_source::steady_source(std::string bootstrap, std::string topic, int partitions)
    : bootstrap_(std::move(bootstrap)), topic_(std::move(topic)),
      written_(static_cast<size_t>(partitions), 0), thread_([this] { run(); }) {}

steady_source::~steady_source() {
  stop();
}

std::vector<int64_t> steady_source::stop() {
  stopping_ = true;
  if (thread_.joinable())
    thread_.join();
  return written();
}

std::vector<int64_t> steady_source::written() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return written_;
}

void steady_source::run() {
  while (!stopping_)
    for (size_t p = 0; p < written_.size() && !stopping_; ++p) {
      auto first = written()[p];
      produce(bootstrap_, topic_, static_cast<int32_t>(p),
              numbered_records(50, static_cast<int>(first)));
      {
        std::lock_guard<std::mutex> guard{mutex_};
        written_[p] += 50;
      }
      std::this_thread::sleep_for(10ms); // pace: an application, not a load test
    }
}

void cluster_command(const std::string& name, const std::string& command, int32_t node) {
  cluster_control(name).command(command, node);
}

int32_t leader_of(const std::string& name, const std::string& topic, int32_t partition) {
  return cluster_control(name).leader_of(topic, partition);
}

int32_t controller_of(const std::string& name) {
  return cluster_control(name).controller();
}

std::string kafka_tool(const std::string& tool, const std::string& args) {
  return std::string{K2K_SOURCE_DIR} + "/tools/kafka-cluster tool " + tool + " " + args;
}

std::string transaction_state(const std::string& bootstrap, const std::string& transactional_id) {
  auto described = run_command(kafka_tool("transactions", "--bootstrap-server " + bootstrap +
                                                              " describe --transactional-id " +
                                                              transactional_id));
  if (described.exit_code != 0)
    return {}; // the coordinator does not know the id (the tool said why on stderr)
  // A header line of column names, then the transaction's line; no cell holds a space.
  std::istringstream lines{described.out};
  std::string header, values;
  std::getline(lines, header);
  std::getline(lines, values);
  auto columns = [](const std::string& line) {
    std::vector<std::string> out;
    std::istringstream cells{line};
    for (std::string cell; cells >> cell;)
      out.push_back(cell);
    return out;
  };
  auto names = columns(header), cells = columns(values);
  for (size_t i = 0; i < names.size() && i < cells.size(); ++i)
    if (names[i] == "TransactionState")
      return cells[i];
  throw std::runtime_error("no transaction state of " + transactional_id + " in: " + described.out);
}

kafka::handle_ptr transactional_producer(const std::string& bootstrap, const std::string& id) {
  auto p = kafka::make_producer({{"bootstrap.servers", bootstrap}, {"transactional.id", id}});
  if (kafka::error_ptr e{rd_kafka_init_transactions(p.get(), 30000)})
    throw std::runtime_error(std::string{"init_transactions: "} + rd_kafka_error_string(e.get()));
  return p;
}

void send(rd_kafka_t* producer, const std::string& topic, int32_t partition,
          const std::string& value) {
  auto err =
      rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  if (err)
    throw std::runtime_error("produce to " + topic + ": " + rd_kafka_err2str(err));
}

} // namespace k2k::test
