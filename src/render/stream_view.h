// Base of the views that read a trace as a stream (render -d multiplexed,
// by-process, mermaid; sort): memory follows the processes alive at once,
// not the size of the input. The output file is opened at the first event,
// so an input that yields nothing leaves no file behind.
#pragma once

#include <optional>
#include <string>

#include "io/output_file.h"
#include "load/trace_stream.h"

namespace proctrace {

class StreamView : public TraceStreamSink {
 public:
  explicit StreamView(std::string output_path) : path_(std::move(output_path)) {}
  // Writes to a descriptor the caller keeps open and closes (a memfd whose
  // text is read back); name is for error messages.
  StreamView(int fd, std::string name) : path_(std::move(name)), fd_(fd) {}

  void begin(const TraceHeader& header) final {
    header_ = header;
    if (fd_ >= 0) out_.emplace(fd_, path_, false);
    else out_.emplace(path_);
    start();
  }
  void end(const TraceSummary& summary) final {
    finish(summary);
    out_->commit();
  }

 protected:
  virtual void start() {}
  virtual void finish(const TraceSummary& summary) = 0;

  OutputFile& out() { return *out_; }
  void write_line(std::string_view line) {
    auto& b = out_->buffer();
    b += line;
    b += '\n';
    out_->maybe_flush();
  }

  TraceHeader header_;

 private:
  std::string path_;
  int fd_ = -1;
  std::optional<OutputFile> out_;
};

}  // namespace proctrace
