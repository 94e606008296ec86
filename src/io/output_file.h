// Buffered output to a file or stdout ("-"), written with write(2) in whole
// buffers. Errors (disk full, closed pipe) throw WriteError naming the file.
//
// A regular file is written to a temporary file beside it (same directory,
// so same filesystem; created O_EXCL with the permissions the file would
// get) and renamed over the target by commit(): the target never holds half
// an output, and an input being read (mapped) from the target stays intact.
// Without commit() -- an error, an exception, SIGINT/SIGTERM/SIGHUP -- the
// temporary file is removed and the target is left as it was. Devices,
// FIFOs (/dev/null, a named pipe) and Placement::Live are written directly.
//
// A path ending in .zst or .gz is written compressed (io/compression.h),
// streaming: buffers are compressed as they are flushed. Placement::Live
// ends a zstd frame (gzip member) at every flush, so a killed recorder
// leaves a file that decompresses whole up to its last flush; otherwise the
// frame is ended by commit() (or, for direct writes, the destructor).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "io/compression.h"

namespace proctrace {

struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Placement {
  AtCommit,  // through a temporary file, renamed over the target by commit()
  Live,      // straight into the target as it is written (a recording being
             // made: a killed recorder must leave the valid prefix)
};

class OutputFile {
 public:
  explicit OutputFile(const std::string& path, Placement placement = Placement::AtCommit);
  // An open descriptor; compression (Live: a frame per flush) as asked.
  OutputFile(int fd, std::string name, bool owned, Compression compression = Compression::None,
             Placement placement = Placement::AtCommit);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // The buffer itself: append to it directly on hot paths, then call
  // maybe_flush() at a line boundary.
  std::string& buffer() { return buffer_; }
  void write(std::string_view s) {
    buffer_ += s;
    maybe_flush();
  }
  void maybe_flush() {
    if (buffer_.size() >= threshold_) flush();
  }
  void flush();
  // The output is complete: flushes it and puts it in place under its name.
  // Refuses (WriteError, target untouched) when the target is a file that
  // was read as input. Without it, a file output is thrown away.
  void commit();
  void set_flush_threshold(std::size_t bytes) { threshold_ = bytes; }
  const std::string& name() const { return name_; }
  int fd() const { return fd_; }

 private:
  void discard() noexcept;
  // Sets up compression; throws WriteError when this build lacks it.
  void compress_as(Compression compression, Placement placement);
  void write_out(std::string& bytes);  // write(2)s all of bytes, then clears it
  void end_frame();                    // a compressed output's last frame

  std::unique_ptr<Compressor> compressor_;  // null: written as is
  bool frame_per_flush_ = false;            // Placement::Live
  bool frame_open_ = false;                 // bytes compressed since the last frame ended
  bool wrote_frame_ = false;
  std::string packed_;                      // compressed bytes not yet written

  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
  std::string target_;     // the path renamed over; empty when written directly
  std::string temp_;       // the temporary file while it exists
  int temp_slot_ = -1;     // its entry in the list the signal handler removes
  std::string buffer_;
  std::size_t threshold_ = 1 << 16;
};

}  // namespace proctrace
