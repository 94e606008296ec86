#include "io/input_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

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

}  // namespace

bool is_open_input(dev_t device, ino_t inode) {
  std::lock_guard lock(open_inputs_mutex);
  return std::find(open_regular_inputs.begin(), open_regular_inputs.end(), std::pair{device, inode}) !=
         open_regular_inputs.end();
}

InputFile::InputFile(const std::string& path) : name_(path == "-" ? "<stdin>" : path) {
  if (path == "-") {
    struct stat st{};
    if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {  // `render < x -o x`
      device_ = st.st_dev;
      inode_ = st.st_ino;
    }
    owned_ = read_all(STDIN_FILENO, name_);
    data_ = owned_;
    if (inode_) note_open(device_, inode_);
    return;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw InputError(path + ": cannot stat: " + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(path + ": is a directory, expected a recording or strace log");
  }
  if (S_ISREG(st.st_mode)) {
    device_ = st.st_dev;
    inode_ = st.st_ino;
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    map_size_ = static_cast<std::size_t>(st.st_size);
    // Not MAP_POPULATE: pages fault in (and are read ahead) as parsers reach
    // them, so a parser that releases what it is done with stays small.
    map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      owned_ = read_all(fd, name_);
      data_ = owned_;
    } else {
      ::madvise(map_, map_size_, MADV_SEQUENTIAL);
      data_ = std::string_view(static_cast<const char*>(map_), map_size_);
    }
  } else if (!S_ISREG(st.st_mode)) {
    owned_ = read_all(fd, name_);  // pipe, fifo, /dev/stdin
    data_ = owned_;
  }
  ::close(fd);
  if (inode_) note_open(device_, inode_);
}

void InputFile::release(std::size_t offset, std::size_t length) const {
  if (!map_ || offset >= map_size_) return;
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
