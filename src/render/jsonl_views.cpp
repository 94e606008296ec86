// The JSON-lines views: events in time order (multiplexed, sort) or grouped
// by process (by-process, sort -m process). Lines are passed on as they are;
// no JSON is written again.
#include <cstdint>
#include <utility>
#include <vector>

#include "io/event_json.h"
#include "render/command_text.h"
#include "render/grouping.h"
#include "render/renderer.h"
#include "render/stream_view.h"

namespace proctrace {

namespace {

// Events in the order they come, which is timestamp order; `framed` adds
// the Meta and Stats lines that make the output a recording again.
class TimeOrderView : public StreamView {
 public:
  TimeOrderView(std::string path, bool framed) : StreamView(std::move(path)), framed_(framed) {}

  void start() override {
    if (framed_ && header_.has_meta) write_line(meta_json(*header_.meta));
  }
  void event(const Event&, std::string_view line, const Process&) override { write_line(line); }
  void finish(const TraceSummary& s) override {
    if (framed_ && s.has_stats) write_line(stats_json(*s.stats));
  }

 private:
  bool framed_;
};

// Events grouped per process, processes in order of appearance (fork order:
// a Fork belongs to the child). Groups are complete only at the end, so the
// lines are indexed as they pass and written out then; `headers` puts a
// "PID N: command" line (the original proctrace's, which users parse) before each group, `framed` adds Meta and Stats.
class ProcessOrderView : public StreamView {
 public:
  ProcessOrderView(std::string path, bool headers, bool framed)
      : StreamView(std::move(path)), headers_(headers), framed_(framed) {}

  void event(const Event&, std::string_view line, const Process& p) override {
    serials_.push_back(static_cast<std::uint32_t>(p.serial));
    lines_.push_back(line);
  }
  void process_ended(const Process& p) override {
    if (!headers_) return;
    if (header_at_.size() <= p.serial) header_at_.resize(p.serial + 1);
    std::size_t begin = header_text_.size();
    header_text_ += "PID ";
    header_text_ += std::to_string(p.pid);
    header_text_ += ": ";
    const auto* cmd = p.command();
    header_text_ += cmd ? quote_argv(*cmd) : "(unknown command)";  // one line: control characters escaped
    header_at_[p.serial] = {begin, header_text_.size() - begin};
  }

  void finish(const TraceSummary& s) override {
    if (framed_ && header_.has_meta) write_line(meta_json(*header_.meta));
    const auto processes = static_cast<std::size_t>(s.processes);
    const Grouping groups(serials_, processes);
    std::vector<std::uint32_t>().swap(serials_);

    std::size_t since_release = 0;
    for (std::size_t p = 0; p < processes; ++p) {
      if (headers_) {
        if (p) out().buffer() += '\n';
        auto [at, size] = p < header_at_.size() ? header_at_[p] : std::pair<std::size_t, std::size_t>{};
        write_line(std::string_view(header_text_).substr(at, size));
      }
      for (std::uint32_t i : groups[p]) {
        write_line(lines_[i]);
        since_release += lines_[i].size();
      }
      // The lines are read in process order, all over the input: give its
      // pages back now and then so they do not all stay resident.
      if (header_.input && since_release > (16u << 20)) {
        header_.input->release(0, header_.input->data().size());
        since_release = 0;
      }
    }
    if (framed_ && s.has_stats) write_line(stats_json(*s.stats));
  }

 private:
  bool headers_;
  bool framed_;
  std::vector<std::uint32_t> serials_;
  std::vector<std::string_view> lines_;
  std::string header_text_;  // every header, back to back
  std::vector<std::pair<std::size_t, std::size_t>> header_at_;  // by serial: offset, size
};

}  // namespace

std::unique_ptr<TraceStreamSink> sorted_view(const std::string& path, SortMode mode) {
  if (mode == SortMode::Timestamp) return std::make_unique<TimeOrderView>(path, true);
  return std::make_unique<ProcessOrderView>(path, false, true);
}

std::unique_ptr<TraceStreamSink> multiplexed_view(const std::string& path, const RenderOptions&) {
  return std::make_unique<TimeOrderView>(path, false);
}

std::unique_ptr<TraceStreamSink> by_process_view(const std::string& path, const RenderOptions&) {
  return std::make_unique<ProcessOrderView>(path, true, false);
}

}  // namespace proctrace
