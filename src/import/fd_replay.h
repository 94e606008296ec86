// What each thread of an strace log holds open, replayed from its syscalls
// in time order: inherited at fork (shared with CLONE_FILES), made by
// pipe/pipe2/open/socket..., copied by dup/dup2/dup3/fcntl F_DUPFD, dropped
// by close/close_range and, when close-on-exec, by a successful execve.
// -yy decorations ("1<pipe:[4411]>") name what an fd is; an fd the log
// never names (inherited from before it) is kept, identity unknown, so the
// processes sharing it are still known to share it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "import/syscall_table.h"
#include "model/proc_snapshot.h"

namespace proctrace::strace {

// One open file description: what dup and fork share.
struct OpenFile {
  bool known = false;  // a decoration named it
  SnapshotFd identity;  // kind, target, inode, access (fd unused)
};

struct FdSlot {
  std::shared_ptr<OpenFile> file;
  bool cloexec = false;
};
using FdTable = std::map<int, FdSlot>;

class FdReplay {
 public:
  // At most this many fds in all tables at once (~70 bytes each): a log
  // that forks many times with many fds open would otherwise copy tables
  // without bound. A build's live processes hold far fewer; past it, new
  // fds and the tables of new forks are left out and truncated() says so.
  static constexpr std::size_t kMaxLiveFds = std::size_t{1} << 19;

  explicit FdReplay(const SyscallTable& table) : table_(table) {}
  // Tables count themselves out of live_ through a pointer to this.
  FdReplay(const FdReplay&) = delete;
  FdReplay& operator=(const FdReplay&) = delete;

  // Applies one call (records in start order). Calls that failed change
  // nothing but still name the fds they were passed.
  void apply(const SyscallRecord& r);

  // The thread's table (a new one with fds 0-2, identities unknown, for a
  // thread first seen without a fork in the log). Null if never seen.
  const FdTable* table(Pid tid) const;
  // The table of the first thread seen, as it was when first seen: the
  // command's own stdin/stdout/stderr (shared files, so learned identities
  // show).
  const FdTable& initial_stdio() const { return initial_; }
  // Paths the log made fifos (mknod/mknodat S_IFIFO), resolved against the
  // -yy decoration of the directory fd when relative.
  bool is_fifo(const std::string& resolved_path) const { return fifos_.count(resolved_path) != 0; }
  // kMaxLiveFds was reached: some fds are missing from the tables.
  bool truncated() const { return truncated_; }

 private:
  std::shared_ptr<FdTable>& table_of(Pid tid);
  // A counted copy of `from` (empty, and truncated_, past kMaxLiveFds).
  std::shared_ptr<FdTable> new_table(const FdTable& from);
  void put(FdTable& t, int fd, FdSlot slot);  // counted; refused past kMaxLiveFds
  void erase(FdTable& t, int fd);
  void learn(FdTable& t, std::string_view arg);  // "3<pipe:[1]>": names fd 3
  void add(FdTable& t, int fd, std::string_view decoration, char access, bool cloexec);

  const SyscallTable& table_;
  std::size_t live_ = 0;  // fds in all tables; declared before tables_, which count out of it
  bool truncated_ = false;
  std::unordered_map<Pid, std::shared_ptr<FdTable>> tables_;
  FdTable initial_;
  bool have_initial_ = false;
  std::unordered_set<std::string> fifos_;
};

// The identity a -yy decoration ("pipe:[4411]", "/dev/pts/1",
// "UNIX-STREAM:[5->6]", "/tmp/f") gives an fd.
SnapshotFd identity_of(std::string_view decoration);
// An open path made absolute against its directory fd's decoration:
// ("AT_FDCWD</tmp/w>", "\"f\"") -> "/tmp/w/f"; the decoded path as is when
// absolute or when the directory is not decorated.
std::string resolved_path(std::string_view dir_arg, std::string_view path_arg);

}  // namespace proctrace::strace
