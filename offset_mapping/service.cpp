#include "offset_mapping/service.hpp"

#include "kafka/admin.hpp"
#include "kafka/group_offsets.hpp"
#include "kafka/group_offsets_helper.hpp"
#include "offset_mapping/committer.hpp"
#include "offset_mapping/group.hpp"
#include "offset_mapping/mapping_ingest.hpp"
#include "offset_mapping/mapping_registry.hpp"
#include "offset_mapping/source_commit_feed.hpp"
#include "offset_mapping/source_offsets.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace k2k::offset_mapping {

using namespace std::chrono_literals;

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<mapping_update>("k2k::mapping_update");
  cfg.add_message_type<translation_reply>("k2k::translation_reply");
  cfg.add_message_type<source_commit>("k2k::source_commit");
  cfg.add_message_type<std::vector<source_commit>>("std::vector<k2k::source_commit>");
  cfg.add_message_type<commit_entry>("k2k::commit_entry");
  cfg.add_message_type<std::vector<commit_entry>>("std::vector<k2k::commit_entry>");
  cfg.add_message_type<commit_report>("k2k::commit_report");
  cfg.add_message_type<owned_partition>("k2k::owned_partition");
  cfg.add_message_type<std::vector<owned_partition>>("std::vector<k2k::owned_partition>");
  cfg.add_message_type<replicator_status>("k2k::replicator_status");
  cfg.add_message_type<offset_mapping_status>("k2k::offset_mapping_status");
}

struct offset_mapping_service::impl {
  caf::actor_system& system;
  config::pipeline_config cfg;
  std::shared_ptr<service_counters> counters = std::make_shared<service_counters>();
  std::shared_ptr<write_fence> fence;
  mapping_registry_actor registry;
  // groups.ioParallelism lanes; groups take them in turn, and a group always uses its own,
  // so one group's reads and writes never overlap. No source reader when the commits are
  // pushed by the feed.
  struct io_lane {
    source_offsets_actor source;
    committer_actor committer;
  };
  std::vector<io_lane> lanes;
  struct running_group {
    group_actor actor;
    size_t lane = 0;
  };
  std::map<std::string, running_group> groups; // guarded by groups_mutex
  size_t next_lane = 0;
  std::mutex groups_mutex; // the feed's and the discovery's threads start groups too
  std::unique_ptr<source_commit_feed> feed;
  std::unique_ptr<mapping_ingest> ingest;

  std::mutex discovery_mutex;
  std::condition_variable discovery_wakeup;
  bool stopping = false;
  std::thread discovery;

  impl(caf::actor_system& sys, config::pipeline_config c)
      : system(sys), cfg(std::move(c)),
        fence(std::make_shared<write_fence>(
            core::write_leases::grace_for(cfg.groups.commit_timeout))) {
    registry = system.spawn(mapping_registry);
    if (!cfg.features.apply_mappings_guard)
      spdlog::warn("offset-mapping: features.applyMappingsGuard is DISABLED: target commits may "
                   "move backwards; use this only for troubleshooting or a full reset");
    std::string helper;
    if (cfg.groups.offset_clients_kind == config::offset_clients::shared)
      helper = kafka::find_group_offsets_helper().value_or_throw();
    auto from = open_feed();
    for (int i = 0; i < cfg.groups.io_parallelism; ++i)
      lanes.push_back(
          {feed ? source_offsets_actor{} : system.spawn<caf::detached>(source_offsets, cfg, helper),
           system.spawn<caf::detached>(committer, cfg, counters, fence, helper)});
    const auto& sel = cfg.groups.consumer_groups;
    if (sel.regex.empty()) {
      for (const auto& name : sel.names)
        if (sel.matches(name))
          start_group(name);
    } else if (!feed) {
      // A regex needs the source's group list, re-read periodically for new groups (the
      // feed sees new groups itself).
      discovery = std::thread([this] { discover_loop(); });
    }
    ingest = std::make_unique<mapping_ingest>(system, cfg, registry, counters, fence);
    if (feed)
      feed->start();
    std::lock_guard<std::mutex> lock{groups_mutex};
    spdlog::info("offset-mapping: pipeline {}: mappings from {} on target, groups {}, {}, {} "
                 "I/O lanes ({}), guard {}",
                 cfg.name, cfg.offset_mapping.topic,
                 sel.regex.empty() ? std::to_string(groups.size()) + " listed"
                                   : "matching \"" + sel.regex + "\"",
                 from, cfg.groups.io_parallelism,
                 cfg.groups.offset_clients_kind == config::offset_clients::shared
                     ? "offsets through one helper process each"
                     : "offsets through a client per group",
                 cfg.features.apply_mappings_guard ? "on" : "OFF");
  }

  // groups.sourceCommits: the feed when it can (or must) read __consumer_offsets; says where
  // the commits come from.
  std::string open_feed() {
    using config::source_commits;
    auto poll =
        "source commits polled every " + std::to_string(cfg.groups.poll_interval.count()) + " ms";
    if (cfg.groups.source_commits_from == source_commits::poll)
      return poll;
    auto opened = source_commit_feed::open(
        cfg, counters, [this](source_commit_feed::changes c) { on_source_changes(c); });
    if (!opened) {
      if (cfg.groups.source_commits_from == source_commits::consumer_offsets)
        throw std::runtime_error("groups.sourceCommits is consumer-offsets, but " +
                                 opened.error().message);
      return poll + " (" + opened.error().message + ")";
    }
    feed = std::move(opened.value());
    return "source commits read from __consumer_offsets as they happen (translated every " +
           std::to_string(cfg.groups.poll_interval.count()) +
           " ms too, for replication "
           "catching up)";
  }

  // On the feed's thread: new groups start, changed ones translate now, groups without
  // offsets left stop and free what they held.
  void on_source_changes(const source_commit_feed::changes& changes) {
    std::lock_guard<std::mutex> lock{groups_mutex};
    for (const auto& change : changes) {
      if (!cfg.groups.consumer_groups.matches(change.group))
        continue;
      auto it = groups.find(change.group);
      if (change.removed) {
        if (it == groups.end())
          continue;
        caf::anon_send_exit(it->second.actor, caf::exit_reason::user_shutdown);
        caf::anon_send(lanes[it->second.lane].committer, forget_atom::value, change.group);
        groups.erase(it);
        --counters->groups;
        spdlog::info("offset-mapping: group {} has no committed offsets left on source: no "
                     "longer translated",
                     change.group);
        continue;
      }
      if (it == groups.end())
        it = start_group_locked(change.group);
      std::vector<source_commit> commits;
      commits.reserve(change.offsets.size());
      for (const auto& [tp, offset] : change.offsets)
        commits.push_back({tp.first, tp.second, offset});
      caf::anon_send(it->second.actor, commits_atom::value, std::move(commits));
    }
  }

  void start_group(const std::string& name) {
    std::lock_guard<std::mutex> lock{groups_mutex};
    if (!groups.count(name))
      start_group_locked(name);
  }

  std::map<std::string, running_group>::iterator start_group_locked(const std::string& name) {
    auto lane = next_lane++ % lanes.size();
    auto actor = system.spawn(group, name, cfg.groups.poll_interval, registry, lanes[lane].source,
                              lanes[lane].committer, counters);
    spdlog::info("offset-mapping: translating group {}", name);
    ++counters->groups;
    return groups.emplace(name, running_group{actor, lane}).first;
  }

  void discover_loop() {
    auto admin = kafka::make_admin_client(cfg.source.kafka.for_admin());
    bool warned = false;
    std::unique_lock<std::mutex> lock{discovery_mutex};
    while (!stopping) {
      lock.unlock();
      auto listed = kafka::list_groups(admin.get(), 10s);
      lock.lock();
      if (stopping)
        break;
      if (!listed) {
        if (!warned)
          spdlog::error("offset-mapping: cannot list consumer groups on source ({}); list them "
                        "explicitly in groups.consumerGroups",
                        listed.error().message);
        warned = true;
      } else {
        for (const auto& name : *listed)
          if (cfg.groups.consumer_groups.matches(name))
            start_group(name);
      }
      // Every poll interval: a new group is translated from its first commits on (ListGroups
      // is one small request per broker).
      discovery_wakeup.wait_for(lock, cfg.groups.poll_interval, [this] { return stopping; });
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> guard{discovery_mutex};
      if (stopping)
        return;
      stopping = true;
    }
    discovery_wakeup.notify_all();
    if (discovery.joinable())
      discovery.join();
    feed.reset();
    ingest.reset();
    std::lock_guard<std::mutex> lock{groups_mutex};
    for (auto& [name, g] : groups)
      caf::anon_send_exit(g.actor, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    for (auto& lane : lanes) {
      if (lane.source)
        caf::anon_send_exit(lane.source, caf::exit_reason::user_shutdown);
      caf::anon_send_exit(lane.committer, caf::exit_reason::user_shutdown);
    }
  }
};

offset_mapping_service::offset_mapping_service(caf::actor_system& system,
                                               config::pipeline_config cfg)
    : impl_(std::make_unique<impl>(system, std::move(cfg))) {}

offset_mapping_service::~offset_mapping_service() {
  stop();
}

void offset_mapping_service::stop() {
  impl_->stop();
}

const std::shared_ptr<service_counters>& offset_mapping_service::counters() const {
  return impl_->counters;
}

} // namespace k2k::offset_mapping
