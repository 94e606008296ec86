#include "analyze/build_runs.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "analyze/side_by_side.h"
#include "model/lifecycle_walker.h"
#include "render/command_text.h"

namespace proctrace {

std::string_view TextArena::store(std::string_view text) {
  if (text.empty()) return {};
  if (text.size() > capacity_ - used_) {
    // A text longer than a block gets a block of its own size.
    capacity_ = std::max(text.size(), kBlockBytes);
    blocks_.push_back(std::make_unique<char[]>(capacity_));
    used_ = 0;
  }
  char* at = blocks_.back().get() + used_;
  std::memcpy(at, text.data(), text.size());
  used_ += text.size();
  return {at, text.size()};
}

std::vector<std::string> BuildRecording::argv(const ProgramRun& r) const {
  std::vector<std::string> out;
  if (r.argv.empty()) return out;
  std::size_t from = 0;
  while (true) {
    std::size_t nul = r.argv.find('\0', from);
    out.emplace_back(r.argv, from, nul == std::string::npos ? std::string::npos : nul - from);
    if (nul == std::string::npos) break;
    from = nul + 1;
  }
  return out;
}

std::string BuildRecording::label(std::uint32_t span) const {
  const ProcessSpan& p = processes[span];
  if (p.last_run == kNoRun) return "(fork of " + std::string(program(p.program)) + ")";
  std::string_view joined = runs[p.last_run].argv;
  if (joined.empty()) return std::string(program(runs[p.last_run].program));
  // Views into the stored text, not a std::string per argument: a serial
  // build labels every one of its processes.
  std::vector<std::string_view> args;
  for (std::size_t from = 0;;) {
    std::size_t nul = joined.find('\0', from);
    args.push_back(joined.substr(from, nul == std::string_view::npos ? std::string_view::npos : nul - from));
    if (nul == std::string_view::npos) break;
    from = nul + 1;
  }
  return short_command(args);
}

BuildRecording read_build_recording(const std::vector<std::string>& inputs, Diagnostics& diag) {
  BuildRunCollector collector;
  stream_trace(open_inputs(inputs), collector, diag);
  return collector.take();
}

std::pair<BuildRecording, BuildRecording> read_build_recordings(const std::array<std::string, 2>& paths,
                                                                Diagnostics& diag) {
  BuildRecording first, second;
  Diagnostics second_diag(false);
  std::exception_ptr second_error;
  // The second's problems are reported after the first's, whichever thread
  // finds them first; the first's InputError wins (side_by_side).
  side_by_side([&] { first = read_build_recording({paths[0]}, diag); },
               [&] {
                 try {
                   second = read_build_recording({paths[1]}, second_diag);
                 } catch (...) {
                   second_error = std::current_exception();
                 }
               });
  diag.absorb(second_diag);
  if (second_error) std::rethrow_exception(second_error);
  return {std::move(first), std::move(second)};
}

void BuildRunCollector::begin(const TraceHeader&) {}

void BuildRunCollector::restart() {
  out_ = BuildRecording();
  live_.clear();
  intern_index_.clear();
  cwd_index_.clear();
}

void BuildRunCollector::end(const TraceSummary& summary) {
  out_.first = summary.first_timestamp;
  out_.last = summary.last_timestamp;
  // Processes and programs still running when the recording stopped end
  // there (process_ended left them at 0).
  for (auto& [serial, index] : live_) out_.processes[index].end = out_.last;
  for (auto& p : out_.processes)
    if (!p.exited && p.end < p.start) p.end = std::max(p.start, out_.last);
  for (auto& r : out_.runs)
    if (r.end < r.start) r.end = std::max(r.start, out_.processes[r.process].end);
  live_.clear();
}

std::uint32_t BuildRunCollector::intern(NameIndex& index, std::vector<std::string>& names, std::string_view name) {
  if (auto it = index.find(name); it != index.end()) return it->second;
  auto id = static_cast<std::uint32_t>(names.size());
  index.emplace(name, id);
  names.emplace_back(name);
  return id;
}

std::uint32_t BuildRunCollector::intern(std::string_view name) { return intern(intern_index_, out_.programs, name); }

std::uint32_t BuildRunCollector::intern_cwd(std::string_view dir) {
  out_.has_cwd = true;
  return intern(cwd_index_, out_.cwds, dir);
}

ProcessResources& BuildRunCollector::resources(std::uint32_t span) {
  // Grown only once something was measured: a recording without usage
  // keeps an empty table.
  if (out_.resources.size() <= span) out_.resources.resize(out_.processes.size());
  return out_.resources[span];
}

std::uint32_t BuildRunCollector::span_of(std::uint64_t serial) const {
  auto it = live_.find(serial);
  return it == live_.end() ? kNoSpan : it->second;
}

void BuildRunCollector::process_started(const Process& p, const Process* parent) {
  ProcessSpan span;
  span.pid = p.pid;
  span.start = p.start;
  span.end = 0;
  if (parent) span.parent = span_of(parent->serial);
  if (parent && !parent->segments.empty()) span.program = intern(program_name(parent->segments.back()));
  else span.program = intern("?");
  live_[p.serial] = static_cast<std::uint32_t>(out_.processes.size());
  out_.processes.push_back(span);
}

void BuildRunCollector::segment_ended(const Process& p, std::size_t segment) {
  const ExecSegment& s = p.segments[segment];
  std::uint32_t span = span_of(p.serial);
  if (span == kNoSpan) return;
  ProcessSpan& ps = out_.processes[span];
  std::uint32_t program = intern(program_name(s));
  if (s.inherited) {
    ps.program = program;
    return;
  }
  ProgramRun run;
  run.process = span;
  run.start = s.start;
  run.end = p.segment_end(segment).value_or(0);  // set in end() when the program was still running
  run.program = program;
  // A cut directory is shown as the recorder wrote it, marked: two cut
  // paths may differ above the cut, so they are not merged with whole ones.
  if (!s.cwd.empty()) run.cwd = s.cwd_cut ? intern_cwd("…" + std::string(s.cwd.str())) : intern_cwd(s.cwd.str());
  joined_.clear();
  for (std::size_t i = 0; i < s.argv.size(); ++i) {
    if (i) joined_ += '\0';
    // An argument cannot hold a NUL (execve reads C strings); cut one that
    // claims to, so splitting stays exact.
    std::string_view a = s.argv[i];
    joined_.append(a.substr(0, a.find('\0')));
  }
  run.argv = out_.text.store(joined_);
  if (ps.last_run != kNoRun) out_.runs[ps.last_run].last = false;
  run.last = true;
  ps.last_run = static_cast<std::uint32_t>(out_.runs.size());
  ps.program = program;
  out_.runs.push_back(std::move(run));
}

void BuildRunCollector::process_ended(const Process& p) {
  auto it = live_.find(p.serial);
  if (it == live_.end()) return;
  ProcessSpan& ps = out_.processes[it->second];
  if (p.end) {
    ps.end = std::max(*p.end, ps.start);
    ps.exited = true;
    ps.exit = p.exit;
    if (p.usage) {
      ProcessResources& r = resources(it->second);
      r.cpu = p.usage->cpu_ns();
      if (p.usage->max_rss_kb) r.peak_rss_bytes = *p.usage->max_rss_kb * 1024;
      out_.has_cpu = out_.has_cpu || r.cpu.has_value();
      out_.has_rss = out_.has_rss || r.peak_rss_bytes.has_value();
    }
    live_.erase(it);
  }
  // Without an exit the process ran until the recording stopped: end()
  // closes it, so it stays in live_.
}

}  // namespace proctrace
