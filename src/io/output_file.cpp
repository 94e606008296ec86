#include "io/output_file.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/input_file.h"

namespace proctrace {

namespace {

// Temporary files alive now, for the signal handler to remove: fixed slots
// it can read without locks or allocation (async-signal-safe).
struct TempSlot {
  std::atomic<bool> ready{false};
  char path[PATH_MAX + 1];
};
std::array<TempSlot, 8> temp_slots;
std::atomic<bool> temp_slot_claimed[8];

void remove_temps_and_die(int sig) {
  for (auto& slot : temp_slots)
    if (slot.ready.load()) ::unlink(slot.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installed once, only over the default action: a signal the process
// ignores (nohup) or handles itself stays as it is.
void install_signal_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old{};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
      struct sigaction sa{};
      sa.sa_handler = remove_temps_and_die;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

int register_temp(const std::string& path) {
  if (path.size() > PATH_MAX) return -1;
  install_signal_cleanup();
  for (std::size_t i = 0; i < temp_slots.size(); ++i) {
    bool expected = false;
    if (!temp_slot_claimed[i].compare_exchange_strong(expected, true)) continue;
    std::memcpy(temp_slots[i].path, path.c_str(), path.size() + 1);
    temp_slots[i].ready.store(true);
    return static_cast<int>(i);
  }
  return -1;  // more than 8 at once: still removed on errors, not on signals
}

void unregister_temp(int slot) {
  if (slot < 0) return;
  temp_slots[static_cast<std::size_t>(slot)].ready.store(false);
  temp_slot_claimed[slot].store(false);
}

std::string same_file_message(const std::string& path) {
  return path + ": is also an input of this command; write to another file (nothing was changed)";
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

OutputFile::OutputFile(const std::string& path, Placement placement) : name_(path == "-" ? "<stdout>" : path) {
  if (path == "-") {
    struct stat st{};
    // `sort x >> x` would append to the file being read.
    if (::fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && is_open_input(st.st_dev, st.st_ino))
      throw WriteError("standard output is also an input of this command; write to another file (nothing was changed)");
    fd_ = STDOUT_FILENO;
    return;
  }
  // Through a symlink, the file it names is replaced, as a direct write would.
  std::string target = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target = real;
    std::free(real);
  }
  struct stat st{};
  bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISREG(st.st_mode) && is_open_input(st.st_dev, st.st_ino)) throw WriteError(same_file_message(path));
  compress_as(compression_for_path(path), placement);
  if (placement == Placement::Live || (exists && !S_ISREG(st.st_mode))) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw WriteError(path + ": cannot create: " + errno_text());
    owned_ = true;
    return;
  }

  std::size_t slash = target.rfind('/');
  // Beside the target: the same filesystem, so rename() can replace it.
  std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
  // An existing file keeps its permissions; a new one gets 0644 less the
  // umask, as open(O_CREAT) would give it.
  const mode_t create_mode = exists ? 0600 : 0644;
  static std::atomic<unsigned> counter{0};
  // A signal between creating the file and registering it would leave it
  // behind: hold the signals that remove it until its slot names it.
  install_signal_cleanup();
  sigset_t held, before;
  sigemptyset(&held);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held, sig);
  ::pthread_sigmask(SIG_BLOCK, &held, &before);
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    std::string temp = dir + "." + base + ".proctrace-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1)) + ".tmp";
    fd_ = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, create_mode);
    if (fd_ >= 0) temp_ = std::move(temp);
    else if (errno != EEXIST) break;
  }
  const int open_errno = errno;
  if (fd_ >= 0) temp_slot_ = register_temp(temp_);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  if (fd_ < 0) throw WriteError(path + ": cannot create: " + std::strerror(open_errno));
  owned_ = true;
  target_ = std::move(target);
  if (exists) {
    // Root replacing a user's file hands the new one back to that user.
    if (::geteuid() == 0 && (st.st_uid != 0 || st.st_gid != 0)) (void)!::fchown(fd_, st.st_uid, st.st_gid);
    if (::fchmod(fd_, st.st_mode & 0777) != 0) {
      int e = errno;
      discard();
      throw WriteError(path + ": cannot set permissions of the new file: " + std::strerror(e));
    }
  }
}

OutputFile::OutputFile(int fd, std::string name, bool owned, Compression compression, Placement placement)
    : fd_(fd), owned_(owned), name_(std::move(name)) {
  try {
    compress_as(compression, placement);
  } catch (...) {
    if (owned_) ::close(fd_);
    throw;
  }
}

void OutputFile::compress_as(Compression compression, Placement placement) {
  if (compression == Compression::None) return;
  const bool live = placement == Placement::Live;
  compressor_ = make_compressor(compression, live ? CompressionSpeed::Fast : CompressionSpeed::Default);
  if (!compressor_) throw WriteError(name_ + ": cannot write " + std::string(compression_name(compression)) + ": " +
                                     compression_unavailable_message(compression));
  frame_per_flush_ = live;
}

OutputFile::~OutputFile() {
  if (!temp_.empty()) {
    discard();  // never committed: the target stays as it was
    return;
  }
  try {
    flush();
    end_frame();
  } catch (...) {
    // Destructors must not throw; callers that care call flush() themselves.
  }
  if (owned_) ::close(fd_);
}

void OutputFile::discard() noexcept {
  if (temp_.empty()) return;
  ::close(fd_);
  fd_ = -1;
  owned_ = false;
  ::unlink(temp_.c_str());
  unregister_temp(temp_slot_);
  temp_slot_ = -1;
  temp_.clear();
  buffer_.clear();
  packed_.clear();
}

void OutputFile::commit() {
  flush();
  end_frame();
  if (temp_.empty()) return;
  struct stat st{};
  if (::stat(target_.c_str(), &st) == 0 && S_ISREG(st.st_mode) && is_open_input(st.st_dev, st.st_ino)) {
    discard();
    throw WriteError(same_file_message(name_));
  }
  int fd = fd_;
  fd_ = -1;
  owned_ = false;
  if (::close(fd) != 0) {  // NFS and quotas report write errors here
    int e = errno;
    discard();
    throw WriteError(name_ + ": write failed: " + std::strerror(e));
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    int e = errno;
    discard();
    throw WriteError(name_ + ": cannot replace it with the new file: " + std::strerror(e));
  }
  unregister_temp(temp_slot_);
  temp_slot_ = -1;
  temp_.clear();
}

void OutputFile::flush() {
  if (!compressor_) {
    write_out(buffer_);
    return;
  }
  // Nothing new: a live output's flushes on a quiet recording add no
  // empty frames.
  if (buffer_.empty() && packed_.empty()) return;
  if (!buffer_.empty()) {
    if (!compressor_->compress(buffer_, frame_per_flush_, packed_)) throw WriteError(name_ + ": " + compressor_->error());
    frame_open_ = !frame_per_flush_;
    wrote_frame_ = true;
    buffer_.clear();
  }
  write_out(packed_);
}

void OutputFile::end_frame() {
  if (!compressor_ || (!frame_open_ && wrote_frame_)) return;
  // An output with nothing in it is still one (empty) frame: a valid file.
  if (!compressor_->compress({}, true, packed_)) throw WriteError(name_ + ": " + compressor_->error());
  frame_open_ = false;
  wrote_frame_ = true;
  write_out(packed_);
}

void OutputFile::write_out(std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      bytes.erase(0, done);
      throw WriteError(name_ + ": write failed: " + std::strerror(e));
    }
    done += static_cast<std::size_t>(n);
  }
  bytes.clear();
}

}  // namespace proctrace
