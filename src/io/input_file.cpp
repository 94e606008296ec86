#include "io/input_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "io/compression.h"
#include "io/input_spool.h"

namespace proctrace {

namespace {

std::mutex open_inputs_mutex;
std::vector<std::pair<dev_t, ino_t>> open_regular_inputs;

void note_open(dev_t device, ino_t inode) {
  std::lock_guard lock(open_inputs_mutex);
  open_regular_inputs.emplace_back(device, inode);
}

void note_closed(dev_t device, ino_t inode) {
  std::lock_guard lock(open_inputs_mutex);
  auto it = std::find(open_regular_inputs.begin(), open_regular_inputs.end(), std::pair{device, inode});
  if (it != open_regular_inputs.end()) open_regular_inputs.erase(it);
}

std::string read_all(int fd, const std::string& name) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return out;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(name + ": cannot read: " + std::strerror(errno));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// Reads up to kMagicBytes from the stream's start: fewer only at its end.
std::string read_head(int fd, const std::string& name) {
  char head[kMagicBytes];
  std::size_t got = 0;
  while (got < sizeof head) {
    ssize_t n = ::read(fd, head + got, sizeof head - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(name + ": cannot read: " + std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  return std::string(head, got);
}

}  // namespace

bool is_open_input(dev_t device, ino_t inode) {
  std::lock_guard lock(open_inputs_mutex);
  return std::find(open_regular_inputs.begin(), open_regular_inputs.end(), std::pair{device, inode}) !=
         open_regular_inputs.end();
}

InputFile::InputFile(const std::string& path) : name_(path == "-" ? "<stdin>" : path) {
  const bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  auto close_input = [&] {
    if (!is_stdin) ::close(fd);
  };
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    close_input();
    throw InputError(name_ + ": cannot stat: " + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    close_input();
    throw InputError(path + ": is a directory, expected a recording or strace log");
  }
  try {
    if (S_ISREG(st.st_mode)) {  // a path, or `render < file`: read in place
      device_ = st.st_dev;
      inode_ = st.st_ino;
      // stdin may have been read from already: start where it stands.
      off_t at = std::max<off_t>(is_stdin ? ::lseek(fd, 0, SEEK_CUR) : 0, 0);
      char head[kMagicBytes];
      ssize_t got = ::pread(fd, head, sizeof head, at);
      Compression compression = compression_from_magic(std::string_view(head, got > 0 ? static_cast<std::size_t>(got) : 0));
      if (compression == Compression::None) {
        map(fd, static_cast<std::size_t>(st.st_size), static_cast<std::size_t>(at));
      } else {
        if (::lseek(fd, at, SEEK_SET) < 0) throw InputError(name_ + ": cannot seek: " + std::strerror(errno));
        const auto compressed_size = static_cast<std::uint64_t>(st.st_size - at);
        map_spool(decompress_to_spool(fd, {}, compression, compressed_size, name_));
      }
    } else {
      // A compressed stream is told by its first bytes, like a file.
      const std::string head = read_head(fd, name_);
      Compression compression = compression_from_magic(head);
      map_spool(compression == Compression::None ? spool_stream(fd, head, name_)
                                                 : decompress_to_spool(fd, head, compression, 0, name_));
    }
  } catch (...) {
    close_input();
    throw;
  }
  close_input();
  if (inode_) note_open(device_, inode_);
}

void InputFile::map_spool(int spool) {
  struct stat st{};
  try {
    if (::fstat(spool, &st) == 0) map(spool, static_cast<std::size_t>(st.st_size), 0);
  } catch (...) {
    ::close(spool);
    throw;
  }
  ::close(spool);
}

void InputFile::map(int fd, std::size_t size, std::size_t from) {
  if (size <= from) return;
  map_size_ = size;
  // Not MAP_POPULATE: pages fault in (and are read ahead) as parsers reach
  // them, so a parser that releases what it is done with stays small.
  map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    map_size_ = 0;
    if (::lseek(fd, static_cast<off_t>(from), SEEK_SET) < 0) throw InputError(name_ + ": cannot map or seek");
    owned_ = read_all(fd, name_);
    data_ = owned_;
    return;
  }
  ::madvise(map_, map_size_, MADV_SEQUENTIAL);
  data_ = std::string_view(static_cast<const char*>(map_) + from, map_size_ - from);
}

std::string too_long_message(std::size_t bytes) {
  return "line longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB (" + std::to_string(bytes) +
         " bytes or more), the limit for one line";
}

void InputFile::release(std::size_t offset, std::size_t length) const {
  if (!map_) return;
  offset += static_cast<std::size_t>(data_.data() - static_cast<const char*>(map_));  // stdin read from midway
  if (offset >= map_size_) return;
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t begin = (offset + page - 1) / page * page;  // whole pages inside the range only
  std::size_t end = std::min(offset + length, map_size_) / page * page;
  if (end > begin) ::madvise(static_cast<char*>(map_) + begin, end - begin, MADV_DONTNEED);
}

void ReleaseBehind::reached(std::size_t offset) {
  if (!input_ || offset < released_ + 2 * kStep) return;
  std::size_t upto = offset - kStep;
  input_->release(released_, upto - released_);
  released_ = upto;
}

void ReleaseBehind::reached(const char* p) {
  if (!input_) return;
  std::string_view data = input_->data();
  if (p >= data.data() && p <= data.data() + data.size()) reached(static_cast<std::size_t>(p - data.data()));
}

void ReleaseBehind::done() {
  if (input_) input_->release(released_, input_->data().size() - released_);
  released_ = 0;
}

InputFile::~InputFile() {
  if (inode_) note_closed(device_, inode_);
  if (map_) ::munmap(map_, map_size_);
}

}  // namespace proctrace
