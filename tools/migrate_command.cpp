// `k2k migrate`: the table (or JSON) of a migration and its exit code.
#include "config/load.hpp"
#include "migration/migrator.hpp"
#include "tools/commands.hpp"
#include "tools/stop_signals.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <iostream>

namespace k2k::tools {

namespace {

using migration::migration_report;
using migration::partition_row;

nlohmann::json to_json(const migration_report& r) {
  auto rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"topic", row.topic},
                    {"partition", row.partition},
                    {"source_offset", row.source_offset},
                    {"target_topic", row.target_topic},
                    {"target_offset", row.target_offset},
                    {"found", row.found},
                    {"status", migration::to_string(row.status)},
                    {"probes", row.probes},
                    {"records_read", row.records_read},
                    {"note", row.note}});
  return {{"group", r.group},
          {"target_group", r.target_group},
          {"stopped_check", r.stopped_check},
          {"dry_run", r.dry_run},
          {"committed", r.committed},
          {"refusal", r.refusal ? nlohmann::json(*r.refusal) : nlohmann::json()},
          {"partitions", rows}};
}

std::string offset_text(int64_t offset) {
  return offset < 0 ? "-" : std::to_string(offset);
}

void print_table(const migration_report& r, std::ostream& out) {
  std::vector<std::vector<std::string>> cells{{"TOPIC", "PARTITION", "SOURCE OFFSET",
                                               "TARGET TOPIC", "TARGET OFFSET", "FOUND", "STATUS",
                                               "PROBES", "RECORDS READ", "NOTE"}};
  for (const auto& row : r.rows)
    cells.push_back({row.topic, std::to_string(row.partition), offset_text(row.source_offset),
                     row.target_topic, offset_text(row.target_offset),
                     row.found.empty() ? "-" : row.found, migration::to_string(row.status),
                     std::to_string(row.probes), std::to_string(row.records_read), row.note});
  std::vector<size_t> width(cells.front().size(), 0);
  for (const auto& line : cells)
    for (size_t c = 0; c < line.size(); ++c)
      width[c] = std::max(width[c], line[c].size());
  for (const auto& line : cells) {
    std::string text;
    for (size_t c = 0; c < line.size(); ++c)
      text +=
          line[c] + (c + 1 < line.size() ? std::string(width[c] - line[c].size() + 2, ' ') : "");
    out << text.substr(0, text.find_last_not_of(' ') + 1) << '\n';
  }
}

} // namespace

int migrate_command(const std::string& config_path, const migrate_cli_options& cli) {
  stop_signals signals;
  auto loaded = load_config(config_path);
  if (!loaded)
    return 1;
  auto options = cli.migration;
  auto settle = config::parse_duration(cli.settle_interval);
  if (!settle) {
    std::cerr << "k2k migrate: --settle-interval: expected a duration such as 500ms, 10s or 1m, "
                 "found \""
              << cli.settle_interval << "\"\n";
    return 2;
  }
  options.settle_interval = *settle;
  std::atomic<bool> stop{false};
  signals.on_signal([&](int) { stop = true; });
  options.stopping = [&] { return stop.load(); };

  auto progress = [](const std::string& line) { std::cerr << "k2k migrate: " << line << '\n'; };
  auto report = migration::migrate(*loaded, options, progress);
  if (!report) {
    if (cli.json)
      std::cout << nlohmann::json{{"error", report.error().message},
                                  {"kind", to_string(report.error().code)}}
                       .dump(2)
                << '\n';
    std::cerr << "k2k migrate: " << report.error().message << '\n';
    return 1;
  }
  if (cli.json) {
    std::cout << to_json(*report).dump(2) << '\n';
  } else {
    std::cout << "group " << report->group << " -> target group " << report->target_group
              << (report->stopped_check.empty() ? "" : " (" + report->stopped_check + ")") << '\n';
    print_table(*report, std::cout);
    if (report->committed)
      std::cout << "committed on target, with guard metadata\n";
    else if (!report->refusal)
      std::cout << "dry run: nothing committed\n";
  }
  if (report->refusal) {
    std::cerr << "k2k migrate: " << *report->refusal << '\n';
    return 1;
  }
  return 0;
}

} // namespace k2k::tools
