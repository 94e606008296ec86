// Whole-file read access for parsers: mmap for regular files (no copy, the
// page cache is the buffer), stdin ("-") included when it is one. Pipes,
// FIFOs and devices are first copied to an unnamed temporary file in $TMPDIR
// (or /tmp) and mapped from there, so they cost no more memory than a file.
// Compressed inputs (zstd, gzip: told by their first bytes, not their name)
// are decompressed the same way into such a file (io/input_spool.h), so
// every parser sees plain text and none knows about compression.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace proctrace {

// The longest line a parser takes: longer ones are bad lines (file:line).
// A recorded argv is at most 2 MiB (--argv-cap), 12 MiB once JSON-escaped.
// A stream is read no further than such a line: its end may never come
// (/dev/zero), and nothing after it would be kept in bounded memory.
inline constexpr std::size_t kMaxLineBytes = 16u << 20;

// "line longer than 16 MiB (N bytes), the limit for one line"
std::string too_long_message(std::size_t bytes);

class InputFile {
 public:
  // Throws InputError with a message naming the path ("no such file",
  // "is a directory", ...).
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  std::string_view data() const { return data_; }
  const std::string& name() const { return name_; }  // for diagnostics; "<stdin>" for "-"

  // Gives the pages holding data()[offset, offset + length) back to the
  // kernel: a parser done with them keeps memory bounded on huge inputs.
  // data() stays valid: touching those bytes again reads them back from the
  // file (page cache). No-op only where mapping failed and the input was
  // read into memory.
  void release(std::size_t offset, std::size_t length) const;

 private:
  // Maps fd's first size bytes; data() starts at from.
  void map(int fd, std::size_t size, std::size_t from);
  // Maps all of a temporary file from input_spool.h, and closes it.
  void map_spool(int spool);

  std::string name_;
  dev_t device_ = 0;
  ino_t inode_ = 0;  // 0: not a regular file
  std::string_view data_;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::string owned_;
};

// Gives pages back behind a reader that walks an input front to back, in
// steps, keeping one step resident: the resident size stays flat however
// large the file. Lines of the last step may still be read cheaply.
class ReleaseBehind {
 public:
  explicit ReleaseBehind(const InputFile* input) : input_(input) {}
  void reached(std::size_t offset);
  void reached(const char* p);  // a pointer into input->data()
  void done();                  // the walk is over: give back the rest too

 private:
  static constexpr std::size_t kStep = 8u << 20;
  const InputFile* input_;
  std::size_t released_ = 0;
};

// Whether a regular file open as an InputFile right now is this one (device
// and inode): an output must never replace or grow a file being read.
bool is_open_input(dev_t device, ino_t inode);

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace proctrace
