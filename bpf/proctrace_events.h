// Records the kernel side (proctrace.bpf.c) hands to user space through the
// ring buffer, and the slots of the shared counters. Included by both sides:
// keep it plain C with fixed-size fields.
#pragma once

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum pt_kind {
  PT_FORK = 1,
  PT_EXEC = 2,
  PT_EXIT = 3,
  PT_SETSID = 4,
  PT_SETPGID = 5,
  PT_BADEXEC = 6,  // an execve/execveat that failed
};

// pt_event.flags (Exec)
enum pt_exec_flags {
  PT_EXEC_TRUNCATED = 1,    // argv longer than the cap: data holds its first argv_cap bytes
  PT_EXEC_ARGV_FAILED = 2,  // argv could not be read from the new image
};

// Why events or parts of them went missing; one slot each in the `losses`
// per-CPU array.
enum pt_loss {
  PT_LOSS_RINGBUF_FULL = 0,   // the ring buffer had no room for a record
  PT_LOSS_ARGV_READ = 1,      // an Exec was written without its argv
  PT_LOSS_FILENAME_READ = 2,  // an Exec was written without its filename
  PT_LOSS_TRACKED_FULL = 3,   // a new process could not be tracked: its subtree is missing
  PT_LOSS_COUNT = 4,
};

// pt_usage.flags: which kernel accounting was there to read.
enum pt_usage_flags {
  PT_USAGE_SYSCALL_IO = 1,  // rchar..syscw (CONFIG_TASK_XACCT)
  PT_USAGE_STORAGE_IO = 2,  // read_bytes..cancelled_write_bytes (CONFIG_TASK_IO_ACCOUNTING)
};

// What a whole process (all its threads) used, read when its last thread
// exits; follows an Exit record. Times in nanoseconds.
struct pt_usage {
  __u64 cpu_ns;    // scheduler run time (sum_exec_runtime), what getrusage() splits
  __u64 utime_ns;  // sampled user and system time: only their ratio is used
  __u64 stime_ns;
  __u64 maxrss_pages;  // peak resident set, the same the kernel hands getrusage()
  __u64 nvcsw;
  __u64 nivcsw;
  __u64 min_flt;
  __u64 maj_flt;
  __u64 rchar;  // bytes passed to read-like / write-like syscalls
  __u64 wchar;
  __u64 syscr;  // number of those syscalls
  __u64 syscw;
  __u64 read_bytes;  // bytes fetched from / sent to storage
  __u64 write_bytes;
  __u64 cancelled_write_bytes;
  __u32 flags;  // enum pt_usage_flags
  __u32 reserved;
};

// Longest exec filename kept (PATH_MAX).
#define PT_FILENAME_MAX 4096

// Working directory at exec: at most this many bytes of path components,
// at most PT_CWD_DEPTH of them (deeper paths are cut at the top).
#define PT_CWD_MAX 4096
#define PT_CWD_DEPTH 48
#define PT_NAME_MAX 255

// pt_exec_ctx.flags
enum pt_exec_ctx_flags {
  PT_CWD_CUT = 1,  // the cwd was deeper or longer than the bounds: its top is missing
};

// Who and where the new image runs; follows an Exec record's filename, and
// is followed by cwd_len bytes: the cwd's components from the innermost out,
// each NUL-terminated ("b\0a\0" for /a/b; none for /).
struct pt_exec_ctx {
  __u32 uid;  // real and effective ids
  __u32 euid;
  __u32 gid;
  __u32 egid;
  __u32 cwd_len;
  __u32 flags;  // enum pt_exec_ctx_flags
};

// Inherited file descriptors at exec: at most PT_FDS_MAX of them (the lowest
// numbers), and the paths of the first PT_FD_PATHS that have one (files,
// directories, devices) within PT_CWD_MAX bytes together.
#define PT_FDS_MAX 256
#define PT_FD_PATHS 8
// Open descriptors above PT_FDS_MAX are counted up to this number.
#define PT_FDS_COUNT_MAX 65536

enum pt_fd_kind {
  PT_FD_ANON = 0,    // an anonymous inode: eventfd, epoll, signalfd, ...
  PT_FD_FILE = 1,    // anything with a path that is none of the below: file, directory, device
  PT_FD_PIPE = 2,    // a pipe (pipefs)
  PT_FD_FIFO = 3,    // a named pipe
  PT_FD_SOCKET = 4,
  PT_FD_TTY = 5,     // a terminal: a tty, a pty's secondary side, the console
};

// pt_fd.flags
enum pt_fd_flags {
  PT_FD_READ = 1,
  PT_FD_WRITE = 2,
  PT_FD_HAS_PATH = 4,  // path_len bytes of path were read ("/" has none)
  PT_FD_PATH_CUT = 8,  // the path is missing its top (see PT_CWD_CUT)
};

// One descriptor the new image holds. Its path, when it has one, is among
// the bytes after the table (same encoding as the cwd): path_len of them.
struct pt_fd {
  __u64 inode;  // i_ino: names a pipe or socket as /proc/PID/fd does ("pipe:[inode]")
  __u32 fd;
  __u32 dev;    // the kernel's dev_t of the file system (major << 20 | minor)
  __u16 path_len;
  __u8 kind;   // enum pt_fd_kind
  __u8 flags;  // enum pt_fd_flags
  __u32 reserved;
};

// Follows an Exec record's cwd: count struct pt_fd, then paths_len bytes of
// paths.
struct pt_exec_fds {
  __u32 count;
  __u32 cut;        // open descriptors left out (numbers >= PT_FDS_MAX)
  __u32 paths_len;
  __u32 reserved;
};

// Room the fd part of an Exec record can take (a power of two above
// header + table + paths).
#define PT_FDS_BYTES_MAX 16384

// Defaults of --argv-cap and --ringbuf-size, shared by both sides.
#define PT_DEFAULT_ARGV_CAP (256 * 1024)   // Linux allows 128 KiB per argument
#define PT_DEFAULT_RINGBUF_BYTES (8 << 20)

// Deepest PID namespace nesting the kernel allows (MAX_PID_NS_LEVEL).
#define PT_MAX_PIDNS_LEVEL 32

// One ring-buffer record. Pids are thread-group ids as the recorder sees
// them: in its own PID namespace (0 for a process outside it, as getppid()
// reports a parent outside the namespace). Exec records are followed by argv_len bytes of argv (each
// argument NUL-terminated, the last one cut short when truncated) and then
// filename_len bytes of the filename (no NUL), then a struct pt_exec_ctx
// and its cwd, then a struct pt_exec_fds and its table and paths (older
// objects end earlier). Exit records are followed by
// a struct pt_usage; BadExec records by filename_len bytes of the path tried.
struct pt_event {
  __u64 timestamp;  // bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME
  __u32 kind;       // enum pt_kind
  __s32 pid;        // Fork: the parent; SetPGID: the process whose group changed; else the subject
  __s32 ppid;
  __s32 pgid;  // Fork: the parent's group; SetPGID: the new group
  __s32 sid;
  __s32 child_pid;     // Fork
  __s32 wait_status;   // Exit: as waitpid(2) would report it; BadExec: the errno
  __u32 flags;         // Exec: enum pt_exec_flags
  __u32 argv_len;      // Exec
  __u32 filename_len;  // Exec, BadExec
  __s32 host_pid;      // the subject (Fork: the child) in the initial PID namespace; 0 when the recorder runs there
  __u32 reserved;
  char data[];
};
