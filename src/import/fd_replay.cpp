// Replays the fd-changing calls of an strace log (see fd_replay.h). Only
// calls that returned change a table: a call cut off by the end of the log
// never happened as far as its fds go.
#include "import/fd_replay.h"

#include "import/strace_args.h"

namespace proctrace::strace {

namespace {

bool has(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (n == name) return true;
  return false;
}

// The fd number at the start of an argument ("3<pipe:[1]>", "3"); -1 if none.
int fd_number(std::string_view arg) {
  std::size_t i = 0;
  while (i < arg.size() && arg[i] >= '0' && arg[i] <= '9') ++i;
  if (i == 0 || i > 9) return -1;
  auto n = parse_int(arg.substr(0, i));
  return n ? static_cast<int>(*n) : -1;
}

// "[3<pipe:[1]>, 4<pipe:[1]>]" -> its two elements.
std::pair<std::string_view, std::string_view> pair_of(std::string_view array) {
  if (array.size() < 2 || array.front() != '[' || array.back() != ']') return {};
  std::string_view inner = array.substr(1, array.size() - 2);
  return {nth_arg(inner, 0), nth_arg(inner, 1)};
}

// Access of an open file from its flags text.
char access_of(std::string_view flags) {
  if (has(flags, "O_RDWR")) return 'u';
  if (has(flags, "O_WRONLY")) return 'w';
  return 'r';
}

// The directory path of an "AT_FDCWD</tmp/w>" or "3</tmp/w>" argument.
std::string_view directory_of(std::string_view arg) {
  auto open = arg.find('<');
  if (open == std::string_view::npos || arg.back() != '>') return {};
  return arg.substr(open + 1, arg.size() - open - 2);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::uint64_t bracketed_number(std::string_view s) {
  auto open = s.find(":[");
  if (open == std::string_view::npos) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = open + 2; i < s.size() && s[i] >= '0' && s[i] <= '9' && v < (std::uint64_t{1} << 58); ++i)
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  return v;
}

}  // namespace

SnapshotFd identity_of(std::string_view decoration) {
  SnapshotFd f;
  f.target = std::string(decoration);
  if (starts_with(decoration, "pipe:[")) {
    f.kind = FdKind::Pipe;
    f.inode = bracketed_number(decoration);
  } else if (starts_with(decoration, "anon_inode:")) {
    f.kind = FdKind::Anon;
  } else if (starts_with(decoration, "/dev/pts/") || starts_with(decoration, "/dev/tty") ||
             decoration == "/dev/console") {
    f.kind = FdKind::Tty;
  } else if (!decoration.empty() && decoration.front() == '/') {
    f.kind = FdKind::File;
  } else if (decoration.find(":[") != std::string_view::npos) {
    // "socket:[5]", "UNIX-STREAM:[5->6]", "TCP:[...]": -yy names sockets by protocol.
    f.kind = FdKind::Socket;
    f.inode = bracketed_number(decoration);
  }
  return f;
}

std::string resolved_path(std::string_view dir_arg, std::string_view path_arg) {
  auto decoded = decode_string(path_arg);
  std::string path = decoded ? *decoded : std::string(path_arg);
  std::string_view dir = directory_of(dir_arg);
  if (path.empty() || path.front() == '/' || dir.empty()) return path;
  return std::string(dir) + (dir.back() == '/' ? "" : "/") + path;
}

std::shared_ptr<FdTable> FdReplay::new_table(const FdTable& from) {
  const FdTable* copied = &from;
  static const FdTable kEmpty;
  if (from.size() > kMaxLiveFds - live_) {
    truncated_ = true;
    copied = &kEmpty;
  }
  live_ += copied->size();
  return std::shared_ptr<FdTable>(new FdTable(*copied), [this](FdTable* t) {
    live_ -= t->size();
    delete t;
  });
}

void FdReplay::put(FdTable& t, int fd, FdSlot slot) {
  if (fd < 0) return;
  auto it = t.find(fd);
  if (it != t.end()) {
    it->second = std::move(slot);
  } else if (live_ >= kMaxLiveFds) {
    truncated_ = true;
  } else {
    t.emplace(fd, std::move(slot));
    ++live_;
  }
}

void FdReplay::erase(FdTable& t, int fd) { live_ -= t.erase(fd); }

std::shared_ptr<FdTable>& FdReplay::table_of(Pid tid) {
  auto& t = tables_[tid];
  if (!t) {
    FdTable stdio;  // inherited from before the log: identities unknown
    for (int fd = 0; fd <= 2; ++fd) stdio[fd].file = std::make_shared<OpenFile>();
    t = new_table(stdio);
    if (!have_initial_) {
      initial_ = *t;
      have_initial_ = true;
    }
  }
  return t;
}

const FdTable* FdReplay::table(Pid tid) const {
  auto it = tables_.find(tid);
  return it == tables_.end() ? nullptr : it->second.get();
}

void FdReplay::learn(FdTable& t, std::string_view arg) {
  int fd = fd_number(arg);
  std::string_view decoration = fd_path(arg);
  if (fd < 0 || decoration.empty()) return;
  SnapshotFd id = identity_of(decoration);
  if (id.kind == FdKind::File && is_fifo(id.target)) id.kind = FdKind::Fifo;
  auto it = t.find(fd);
  if (it == t.end()) {  // not there: a change the log missed
    put(t, fd, {std::make_shared<OpenFile>(OpenFile{true, std::move(id)}), false});
    return;
  }
  FdSlot& slot = it->second;
  if (slot.file && slot.file->known && slot.file->identity.target == id.target) return;
  if (slot.file && !slot.file->known) {
    // Named for the first time: every process sharing it learns it too.
    id.access = slot.file->identity.access;
    slot.file->identity = std::move(id);
    slot.file->known = true;
    return;
  }
  // Something else than we thought (a change the log missed).
  slot.file = std::make_shared<OpenFile>(OpenFile{true, std::move(id)});
}

void FdReplay::add(FdTable& t, int fd, std::string_view decoration, char access, bool cloexec) {
  if (fd < 0) return;
  auto file = std::make_shared<OpenFile>();
  if (!decoration.empty()) {
    file->known = true;
    file->identity = identity_of(decoration);
    if (file->identity.kind == FdKind::File && is_fifo(file->identity.target)) file->identity.kind = FdKind::Fifo;
  }
  file->identity.access = access;
  put(t, fd, {std::move(file), cloexec});
}

void FdReplay::apply(const SyscallRecord& r) {
  std::string_view name = table_.name(r.name);
  std::string_view args = r.args();
  std::shared_ptr<FdTable>& shared = table_of(r.tid);
  FdTable& t = *shared;
  learn(t, nth_arg(args, 0));
  if (is_one_of(name, {"exit", "exit_group"})) {
    tables_.erase(r.tid);  // never returns: its fds are closed, and the memory is freed
    return;
  }
  if (!r.returned() || r.has(SyscallRecord::kRetUnknown) || r.failed()) return;
  const std::int64_t ret = r.ret;
  auto arg = [&](std::size_t n) { return nth_arg(args, n); };

  if (is_one_of(name, {"pipe", "pipe2"})) {
    auto [read_end, write_end] = pair_of(arg(0));
    bool cloexec = name == "pipe2" && has(arg(1), "O_CLOEXEC");
    add(t, fd_number(read_end), fd_path(read_end), 'r', cloexec);
    add(t, fd_number(write_end), fd_path(write_end), 'w', cloexec);
  } else if (name == "socketpair") {
    auto [a, b] = pair_of(arg(3));
    bool cloexec = has(arg(1), "SOCK_CLOEXEC");
    add(t, fd_number(a), fd_path(a), 'u', cloexec);
    add(t, fd_number(b), fd_path(b), 'u', cloexec);
  } else if (is_one_of(name, {"open", "openat", "openat2", "creat"})) {
    std::string_view flags = name == "open" ? arg(1) : name == "creat" ? "O_WRONLY" : arg(2);
    add(t, static_cast<int>(ret), r.fd_path(), access_of(flags), has(flags, "O_CLOEXEC"));
  } else if (is_one_of(name, {"socket", "accept", "accept4", "eventfd", "eventfd2", "epoll_create", "epoll_create1",
                              "timerfd_create", "signalfd", "signalfd4", "inotify_init", "inotify_init1",
                              "memfd_create", "pidfd_open", "userfaultfd", "fanotify_init", "perf_event_open"})) {
    add(t, static_cast<int>(ret), r.fd_path(), 'u', has(args, "CLOEXEC"));
  } else if (is_one_of(name, {"dup", "dup2", "dup3"})) {
    auto from = t.find(fd_number(arg(0)));
    int to = static_cast<int>(ret);
    if (from != t.end() && from->first != to) put(t, to, {from->second.file, name == "dup3" && has(arg(2), "O_CLOEXEC")});
  } else if (is_one_of(name, {"fcntl", "fcntl64"})) {
    std::string_view cmd = arg(1);
    auto from = t.find(fd_number(arg(0)));
    if (from == t.end()) return;
    if (cmd == "F_DUPFD" || cmd == "F_DUPFD_CLOEXEC")
      put(t, static_cast<int>(ret), {from->second.file, cmd == "F_DUPFD_CLOEXEC"});
    else if (cmd == "F_SETFD") from->second.cloexec = has(arg(2), "FD_CLOEXEC");
  } else if (name == "close") {
    erase(t, fd_number(arg(0)));
  } else if (name == "close_range") {
    auto first = parse_int(arg(0));
    auto last = parse_int(arg(1));  // "~0U" is no number: to the end
    if (!first) return;
    if (*first < 0 || *first > INT32_MAX) return;
    if (has(arg(2), "CLOSE_RANGE_UNSHARE")) shared = new_table(t);
    FdTable& own = *shared;
    for (auto it = own.lower_bound(static_cast<int>(*first)); it != own.end() && (!last || it->first <= *last);) {
      if (has(arg(2), "CLOSE_RANGE_CLOEXEC")) {
        (it++)->second.cloexec = true;
      } else {
        it = own.erase(it);
        --live_;
      }
    }
  } else if (is_one_of(name, {"execve", "execveat"})) {
    // exec unshares a table shared by CLONE_FILES, then drops close-on-exec fds.
    auto own = new_table(t);
    for (auto it = own->begin(); it != own->end();) {
      if (!it->second.cloexec) {
        ++it;
        continue;
      }
      it = own->erase(it);
      --live_;
    }
    shared = std::move(own);
  } else if (is_one_of(name, {"clone", "clone3", "fork", "vfork"})) {
    if (ret <= 0) return;
    auto child = has(args, "CLONE_FILES") ? shared : new_table(t);
    tables_[static_cast<Pid>(ret)] = std::move(child);
  } else if (is_one_of(name, {"mknod", "mknodat"})) {
    bool at = name == "mknodat";
    if (has(arg(at ? 2 : 1), "S_IFIFO")) fifos_.insert(resolved_path(at ? arg(0) : "", arg(at ? 1 : 0)));
  }
}

}  // namespace proctrace::strace
