// `render -d mermaid --url`: the Mermaid view writes its chart into an
// anonymous memory file; at the end the chart is read back and only the
// live-editor link goes to the output.
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "io/output_file.h"
#include "render/mermaid_url.h"
#include "render/renderer.h"

namespace proctrace {

namespace {

class MermaidUrlView : public TraceStreamSink {
 public:
  MermaidUrlView(std::string path, const RenderOptions& options) : path_(std::move(path)) {
    fd_ = ::memfd_create("proctrace-mermaid", MFD_CLOEXEC);
    if (fd_ < 0) throw WriteError(std::string("memfd_create: ") + std::strerror(errno));
    chart_ = mermaid_view_to_fd(fd_, options);
  }
  ~MermaidUrlView() override { ::close(fd_); }

  void begin(const TraceHeader& header) override { chart_->begin(header); }
  void process_started(const Process& p, const Process* parent) override { chart_->process_started(p, parent); }
  void segment_started(const Process& p, std::size_t segment) override { chart_->segment_started(p, segment); }
  void segment_ended(const Process& p, std::size_t segment) override { chart_->segment_ended(p, segment); }
  void event(const Event& e, std::string_view line, const Process& p) override { chart_->event(e, line, p); }
  void process_ended(const Process& p) override { chart_->process_ended(p); }

  void end(const TraceSummary& summary) override {
    chart_->end(summary);
    const std::string url = mermaid_live_url(read_back());
    if (url.empty()) throw WriteError("the Mermaid link: zlib could not compress the chart");
    if (url.size() > kMermaidUrlMaxChars)
      throw WriteError("the Mermaid link would be " + std::to_string(url.size()) +
                       " characters; browsers open at most " + std::to_string(kMermaidUrlMaxChars) +
                       ": write the chart with `render -d mermaid -o chart.mmd` and open it in the editor, "
                       "or render a part of the recording");
    if (url.size() > kMermaidUrlShareableChars)
      spdlog::warn("the Mermaid link is {} characters: it opens when pasted into a browser, but chat tools and "
                   "issue trackers often cut links beyond {}",
                   url.size(), kMermaidUrlShareableChars);
    OutputFile out(path_);
    out.write(url);
    out.write("\n");
    out.commit();
  }

 private:
  std::string read_back() const {
    std::string chart;
    char buf[1 << 16];
    for (off_t at = 0;;) {
      ssize_t n = ::pread(fd_, buf, sizeof buf, at);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw WriteError(std::string("reading the Mermaid chart back: ") + std::strerror(errno));
      if (n == 0) return chart;
      chart.append(buf, static_cast<std::size_t>(n));
      at += n;
    }
  }

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<TraceStreamSink> chart_;
};

}  // namespace

std::unique_ptr<TraceStreamSink> mermaid_url_view(const std::string& path, const RenderOptions& options) {
  return std::make_unique<MermaidUrlView>(path, options);
}

}  // namespace proctrace
