// `proctrace stats`: the build's wall time and parallelism, then totals per
// group of runs, led by the group that took the most time.
#include <algorithm>

#include "analyze/build_views.h"
#include "analyze/concurrency.h"
#include "analyze/group_stats.h"
#include "analyze/json_out.h"
#include "analyze/report_text.h"
#include "io/input_file.h"
#include "render/command_text.h"

namespace proctrace {

namespace {

constexpr std::size_t kSeriesBuckets = 100;  // --json: the parallelism graph's resolution

std::string slowest_text(const BuildRecording& rec, const GroupStats& g) {
  if (g.slowest == kNoRun) return {};
  const ProgramRun& run = rec.runs[g.slowest];
  std::string subject = run_subject(rec, run);
  std::string pid = "pid " + std::to_string(rec.processes[run.process].pid);
  return subject.empty() ? pid : subject + " (" + pid + ")";
}

std::string average_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string mb_text(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

}  // namespace

void view_build_stats(const BuildRecording& rec, const BuildViewOptions& options, OutputFile& out) {
  auto by = group_key_from_name(options.by);
  if (!by) throw InputError("stats --by: unknown key '" + options.by + "'");
  // Only the rows shown need their name (the first also leads the text).
  std::vector<GroupStats> groups = group_stats(rec, *by, options.count ? std::max<std::size_t>(options.count, 1) : ~std::size_t{0});
  Concurrency conc = concurrency(rec, options.json);
  std::uint64_t failed = 0;
  for (auto& g : groups) failed += g.failed;
  Nanos wall = rec.last - rec.first;
  bool cpu = std::any_of(groups.begin(), groups.end(), [](auto& g) { return g.cpu.has_value(); });
  bool rss = std::any_of(groups.begin(), groups.end(), [](auto& g) { return g.peak_rss_bytes.has_value(); });
  std::size_t shown = options.count && options.count < groups.size() ? options.count : groups.size();

  if (options.json) {
    Json longest = Json::array();
    for (auto& s : conc.longest_serial)
      longest.push_back({{"from_ns", s.from - rec.first},
                         {"to_ns", s.to - rec.first},
                         {"pid", s.span == kNoSpan ? Json(nullptr) : Json(rec.processes[s.span].pid)},
                         {"command", s.span == kNoSpan ? std::string() : rec.label(s.span)}});
    Json concurrency_json = {{"average", conc.average()},
                             {"peak", conc.peak},
                             {"busy_ns", conc.busy},
                             {"serial_ns", conc.serial},
                             {"time_at_ns", conc.time_at},
                             {"longest_serial", longest},
                             {"series_bucket_ns", wall / kSeriesBuckets},
                             {"series", concurrency_series(conc, rec.first, rec.last, kSeriesBuckets)}};
    JsonListWriter list(out,
                        {{"wall_ns", wall},
                         {"processes", rec.processes.size()},
                         {"runs", rec.runs.size()},
                         {"failed", failed},
                         {"concurrency", concurrency_json},
                         {"by", options.by}},
                        "groups");
    for (std::size_t i = 0; i < shown; ++i) {
      const GroupStats& g = groups[i];
      Json j = {{"key", g.key}, {"runs", g.runs}, {"failed", g.failed}, {"total_ns", g.total}, {"max_ns", g.max}};
      if (g.slowest != kNoRun) {
        const ProgramRun& run = rec.runs[g.slowest];
        j["slowest"] = {{"pid", rec.processes[run.process].pid}, {"command", quote_argv(rec.argv(run))}};
      }
      if (g.cpu) j["cpu_ns"] = *g.cpu;
      if (g.peak_rss_bytes) j["peak_rss_bytes"] = *g.peak_rss_bytes;
      list.add(j);
    }
    list.finish({{"groups_total", groups.size()}});
    return;
  }

  std::string& b = out.buffer();
  if (!groups.empty()) {
    const GroupStats& g = groups.front();
    b += "Most time by " + options.by + ": " + g.key + ": " + std::to_string(g.runs) +
         (g.runs == 1 ? " run, " : " runs, ") + format_duration(g.total);
    if (g.cpu) b += ", " + format_duration(*g.cpu) + " CPU";
    b += ", slowest " + format_duration(g.max) + " (" + slowest_text(rec, g) + ")\n";
  } else {
    b += "No programs were executed in this recording.\n";
  }
  b += "Wall clock " + seconds_text(wall) + " s, " + std::to_string(rec.processes.size()) + " processes, " +
       std::to_string(rec.runs.size()) + " programs run, " + std::to_string(failed) + " failed\n";
  b += "Parallelism " + average_text(conc.average()) + " processes working on average, peak " +
       std::to_string(conc.peak) + "; serial (1 working) " + seconds_text(conc.serial) + " s (" +
       percent(conc.serial, conc.busy) + ")\n";
  if (!conc.longest_serial.empty()) {
    const SerialStretch& s = conc.longest_serial.front();
    b += "Longest serial stretch " + seconds_text(s.duration()) + " s from " + seconds_text(s.from - rec.first) +
         " s";
    if (s.span != kNoSpan)
      b += ", mostly " + rec.label(s.span) + " (pid " + std::to_string(rec.processes[s.span].pid) + ")";
    b += '\n';
  }
  b += "\nTime at each parallelism\n";
  TextTable levels({{"working", true}, {"s", true}, {"share", true}});
  for (std::size_t n = 1; n < conc.time_at.size(); ++n)
    if (conc.time_at[n]) levels.add({std::to_string(n), seconds_text(conc.time_at[n]), percent(conc.time_at[n], conc.busy)});
  levels.write(b);

  b += "\nBy " + options.by + " (" + std::to_string(shown) + " of " + std::to_string(groups.size()) +
       ", most total time first)\n";
  std::vector<TextTable::Column> columns = {{options.by, false}, {"runs", true}, {"failed", true},
                                            {"total s", true},   {"max s", true}};
  if (cpu) columns.push_back({"cpu s", true});
  if (rss) columns.push_back({"peak MB", true});
  columns.push_back({"slowest", false});
  TextTable table(columns);
  for (std::size_t i = 0; i < shown; ++i) {
    const GroupStats& g = groups[i];
    std::vector<std::string> cells = {truncate_text(g.key, 60), std::to_string(g.runs), std::to_string(g.failed),
                                      seconds_text(g.total), seconds_text(g.max)};
    if (cpu) cells.push_back(g.cpu ? seconds_text(*g.cpu) : "-");
    if (rss) cells.push_back(g.peak_rss_bytes ? mb_text(*g.peak_rss_bytes) : "-");
    cells.push_back(slowest_text(rec, g));
    table.add(std::move(cells));
  }
  table.write(out);
  out.flush();
}

}  // namespace proctrace
