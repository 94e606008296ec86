// `proctrace quantize SYSCALL`: a power-of-two histogram of the call's
// durations in µs, as DTrace's quantize() and strace-parser draw it.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "analyze/analyze_views.h"
#include "analyze/json_out.h"
#include "analyze/log2_histogram.h"
#include "analyze/parallel_scan.h"
#include "analyze/report_text.h"

namespace proctrace {

namespace {

struct Quantized {
  std::string name;
  bool in_log = false;
  std::uint64_t calls = 0;  // that returned, as strace -c counts
  Log2Histogram histogram;  // those with a duration
};

}  // namespace

void view_quantize(const Trace& trace, const AnalyzeOptions& options, OutputFile& out) {
  require_syscalls(trace, "quantize");
  const SyscallTable& table = *trace.syscalls;
  Selection selection = select_processes(trace.tree, options.select);
  std::vector<Quantized> results;
  std::vector<int> slot(table.name_count(), -1);  // SyscallId -> index in results
  for (auto& name : options.syscalls) {
    Quantized& q = results.emplace_back();
    q.name = name;
    if (auto id = table.find_name(name)) {
      q.in_log = true;
      slot[*id] = static_cast<int>(results.size() - 1);
    } else {
      spdlog::warn("quantize: no {} calls in the log", name);
    }
  }
  unsigned workers = scan_workers(table);
  std::vector<std::vector<Quantized>> parts(workers, std::vector<Quantized>(results.size()));
  scan_records(table, workers, [&](unsigned w, std::span<const SyscallRecord> records) {
    auto& mine = parts[w];
    for (const SyscallRecord& r : records) {
      int s = r.name < slot.size() ? slot[r.name] : -1;
      if (s < 0 || !r.returned() || !selection.has_call(r.process, r.tid, r.tgid)) continue;
      ++mine[s].calls;
      if (r.has_duration()) mine[s].histogram.add(r.duration / 1000);
    }
  });
  for (auto& part : parts)
    for (std::size_t i = 0; i < results.size(); ++i) {
      results[i].calls += part[i].calls;
      results[i].histogram.merge(part[i].histogram);
    }

  if (options.json) {
    Json list = Json::array();
    for (auto& q : results) {
      Json buckets = Json::array();
      const Log2Histogram& h = q.histogram;
      if (!h.empty())
        for (std::size_t b = h.first_used(); b <= h.last_used(); ++b)
          buckets.push_back({{"low_us", Log2Histogram::lower_bound(b)},
                             {"high_us", Log2Histogram::upper_bound(b)},
                             {"label", Log2Histogram::label(b)},
                             {"count", h.count(b)}});
      list.push_back({{"syscall", q.name},
                      {"calls", q.calls},
                      {"timed", h.total()},
                      {"buckets", std::move(buckets)}});
    }
    write_json(out, {{"histograms", list}});
    return;
  }
  std::string& b = out.buffer();
  bool first = true;
  for (auto& q : results) {
    if (!first) b += '\n';
    first = false;
    const Log2Histogram& h = q.histogram;
    b += q.name + ": " + std::to_string(q.calls) + " calls";
    if (h.total() != q.calls) b += ", " + std::to_string(h.total()) + " with a duration (strace -T)";
    b += '\n';
    if (h.empty()) continue;
    // "16 -> 31" with the arrows aligned: bounds padded on either side.
    std::vector<std::pair<std::string, std::string>> bounds;
    std::size_t low_width = 0, high_width = 0;
    for (std::size_t i = h.first_used(); i <= h.last_used(); ++i) {
      std::string label = Log2Histogram::label(i);
      std::size_t arrow = label.find(" -> ");
      bounds.emplace_back(label.substr(0, arrow), label.substr(arrow + 4));
      low_width = std::max(low_width, bounds.back().first.size());
      high_width = std::max(high_width, bounds.back().second.size());
    }
    TextTable t({{"µs", true}, {"count", true}, {"distribution"}});
    for (std::size_t i = h.first_used(); i <= h.last_used(); ++i) {
      auto& [low, high] = bounds[i - h.first_used()];
      std::string label = std::string(low_width - low.size(), ' ') + low + " -> " + high +
                          std::string(high_width - high.size(), ' ');
      t.add({label, std::to_string(h.count(i)), "|" + h.bar(i) + "|"});
    }
    t.write(b, "  ");
  }
  out.flush();
}

}  // namespace proctrace
