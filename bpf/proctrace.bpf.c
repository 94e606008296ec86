// Kernel side of `proctrace record`: follows one command's process subtree
// (fork, exec with full argv, exit with the group's status, setsid, setpgid)
// and hands each event to user space through a ring buffer.
//
// Only tracked thread groups are recorded. User space seeds `tracked` with
// the target before it execs; a fork by a tracked process tracks the child;
// the group's exit untracks it. Everything else costs one hash lookup.
//
// Pids are the recorder's view: keys and event fields are numbers in the
// recorder's PID namespace, which inside a container (`unshare -p`, a CI
// job) differ from the host's the tracepoints see.
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "proctrace_events.h"

// The argv and filename helpers are GPL-only.
char LICENSE[] SEC("license") = "Dual MIT/GPL";

// Set by user space before loading; constants to the verifier.
const volatile __u32 argv_cap = PT_DEFAULT_ARGV_CAP;      // scratch holds this + PT_FILENAME_MAX
const volatile __u64 wakeup_threshold = 1 << 20;  // wake user space past this many pending bytes
const volatile __s64 nr_setpgid = -1;
const volatile __s64 nr_setsid = -1;
const volatile __s64 nr_execve = -1;
const volatile __s64 nr_execveat = -1;
// The recorder's PID namespace (its nsfs inode), or 0 for the initial one,
// where the host's numbers are already the recorder's.
const volatile __u32 pidns_inum = 0;

// Depth of the recorder's namespace below the initial one, found from the
// first task seen inside it; -1 until then. The same for every task of the
// recording, so one racy write is as good as another.
__s32 pidns_level = -1;

// #defines of include/uapi/linux/stat.h and include/linux/fs.h are not in BTF.
#define S_IFMT 00170000  // include/uapi/linux/stat.h
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define PIPEFS_MAGIC 0x50495045  // include/uapi/linux/magic.h
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2

// #defines of include/linux/sched/signal.h are not in BTF.
#define SIGNAL_GROUP_EXIT 0x00000004

// Preallocated here; user space makes it allocate on use from Linux 6.1 on
// (bpf_session.cpp, configure()).
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 32768);
  __type(key, __u32);  // tgid in the recorder's PID namespace
  __type(value, __u8);
} tracked SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, PT_DEFAULT_RINGBUF_BYTES);  // resized by user space
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, PT_LOSS_COUNT);
  __type(key, __u32);
  __type(value, __u64);
} losses SEC(".maps");

// Exec records are built here, one slot per CPU (tracepoints do not nest on
// a CPU), then copied into the ring buffer at their real size: ring-buffer
// reservations must have a constant size and argv may be hundreds of KiB.
// Per-CPU arrays are capped at 32 KiB per value, hence an array indexed by
// CPU. No BTF value type: user space sizes the value to the argv cap.
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);  // resized to the number of CPUs
  __uint(key_size, sizeof(__u32));
  __uint(value_size, sizeof(struct pt_event) + PT_DEFAULT_ARGV_CAP + PT_FILENAME_MAX + sizeof(struct pt_exec_ctx) +
                         PT_CWD_MAX + PT_FDS_BYTES_MAX);
} scratch SEC(".maps");

static __always_inline void count_loss(__u32 cause) {
  __u64 *n = bpf_map_lookup_elem(&losses, &cause);
  if (n) *n += 1;
}

static __always_inline bool is_tracked(__u32 tgid) { return bpf_map_lookup_elem(&tracked, &tgid) != 0; }

// The namespace of level `i` of `pid`'s numbers.
static __always_inline struct upid *upid_at(struct pid *pid, __u32 i) {
  return (struct upid *)((char *)pid + bpf_core_field_offset(struct pid, numbers) + i * bpf_core_type_size(struct upid));
}

static __always_inline bool upid_in_our_ns(struct upid *up) {
  struct pid_namespace *ns = 0;
  bpf_probe_read_kernel(&ns, sizeof(ns), &up->ns);
  return ns && BPF_CORE_READ(ns, ns.inum) == pidns_inum;
}

// The number of `pid` in the recorder's namespace; 0 when it has none there
// (what pid_nr_ns() gives). Outside a container this is the host number.
//
// A BPF subprogram, not inlined: its 33-step search is called from every
// event's fields, and inlined it was most of each program's instructions
// (pt_sys_exit 3,063), which the kernel loads and, outside a container
// (pidns_inum 0, where no call is reached), removes again as dead code at
// every start: ~1 ms of the load.
static __noinline __s32 pid_nr_ours(struct pid *pid) {
  if (!pid) return 0;
  if (!pidns_inum) return BPF_CORE_READ(pid, numbers[0].nr);
  __u32 level = BPF_CORE_READ(pid, level);
  __s32 ours = pidns_level;
  if (ours < 0) {
    // Not known yet: look for the namespace among this pid's levels
    // (one for a host process).
    for (__u32 i = 0; i <= PT_MAX_PIDNS_LEVEL; i++) {
      if (i > level) return 0;
      if (upid_in_our_ns(upid_at(pid, i))) {
        pidns_level = i;
        ours = i;
        break;
      }
    }
    if (ours < 0) return 0;
  }
  if ((__u32)ours > level || ours > PT_MAX_PIDNS_LEVEL) return 0;
  struct upid *up = upid_at(pid, ours);
  if (!upid_in_our_ns(up)) return 0;  // a sibling container at the same depth
  __s32 nr = 0;
  bpf_probe_read_kernel(&nr, sizeof(nr), &up->nr);
  return nr;
}

// The process (thread group) id of `task` in the recorder's namespace.
static __always_inline __s32 tgid_ours(struct task_struct *task) {
  if (!pidns_inum) return BPF_CORE_READ(task, tgid);
  return pid_nr_ours(BPF_CORE_READ(task, group_leader, thread_pid));
}

// For the event's host_pid: only worth a field inside a container.
static __always_inline __s32 host_tgid(struct task_struct *task) {
  return pidns_inum ? BPF_CORE_READ(task, tgid) : 0;
}

// Submitting without a wakeup saves ~0.13 ms of user-space scheduling per
// event; user space drains on a short timer instead, and is woken early only
// when the ring is filling up.
static __always_inline __u64 submit_flags(void) {
  return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_threshold ? BPF_RB_FORCE_WAKEUP
                                                                           : BPF_RB_NO_WAKEUP;
}

// Fills the fields every kind shares, for process `task` (a thread of it).
//
// Pointer fields are read with BPF_CORE_READ rather than dereferenced: the
// programs are raw tracepoints (see the note at pt_fork), whose arguments
// are plain numbers to the verifier; a probe read costs nanoseconds per
// event.
static __always_inline void fill_common(struct pt_event *e, __u32 kind, struct task_struct *task) {
  struct signal_struct *sig = BPF_CORE_READ(task, signal);
  e->timestamp = bpf_ktime_get_boot_ns();
  e->kind = kind;
  e->pid = tgid_ours(task);
  e->ppid = tgid_ours(BPF_CORE_READ(task, real_parent));
  e->pgid = pid_nr_ours(BPF_CORE_READ(sig, pids[PIDTYPE_PGID]));
  e->sid = pid_nr_ours(BPF_CORE_READ(sig, pids[PIDTYPE_SID]));
  e->host_pid = host_tgid(task);
  e->reserved = 0;
  e->child_pid = 0;
  e->wait_status = 0;
  e->flags = 0;
  e->argv_len = 0;
  e->filename_len = 0;
}

static __always_inline struct pt_event *reserve(void) {
  struct pt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) count_loss(PT_LOSS_RINGBUF_FULL);
  return e;
}

// Raw tracepoints rather than tp_btf: the same hooks at the same cost per
// event, but attached by name, so libbpf need not read and search the
// kernel's whole BTF to load them (docs/recording.md, Start-up).
SEC("raw_tp/sched_process_fork")
int BPF_PROG(pt_fork, struct task_struct *parent, struct task_struct *child) {
  // A new thread joins its creator's group: not a process, no event.
  __s32 child_host_tgid = BPF_CORE_READ(child, tgid);
  if (BPF_CORE_READ(parent, tgid) == child_host_tgid) return 0;
  __u32 parent_tgid = tgid_ours(parent);
  if (!is_tracked(parent_tgid)) return 0;
  // The child is its own group leader: its thread_pid is its process id.
  __u32 child_tgid = pidns_inum ? pid_nr_ours(BPF_CORE_READ(child, thread_pid)) : child_host_tgid;

  __u8 one = 1;
  if (bpf_map_update_elem(&tracked, &child_tgid, &one, BPF_ANY) != 0) count_loss(PT_LOSS_TRACKED_FULL);

  struct pt_event *e = reserve();
  if (!e) return 0;
  fill_common(e, PT_FORK, parent);  // pgid/sid: the parent's, which the child inherits
  e->child_pid = child_tgid;
  e->host_pid = host_tgid(child);
  bpf_ringbuf_submit(e, submit_flags());
  return 0;
}

// The cwd is assembled here (one per CPU) by a bpf_loop callback, then
// copied after the Exec record's filename: the verifier checks the
// callback once instead of every unrolled step.
struct cwd_buf {
  char bytes[PT_CWD_MAX];
};
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct cwd_buf);
} cwd_scratch SEC(".maps");

// Where the walk up from the cwd is; kernel pointers held as numbers.
struct cwd_walk {
  __u64 dentry, vfsmount, mount, root, root_mnt;
  __u32 pos;    // bytes written to cwd_scratch
  __u32 flags;  // enum pt_exec_ctx_flags
};

// One step up: the current component, or a hop from a mount's root to where
// it is mounted. Returns 1 (stop) at the task's root or the top of all.
static long cwd_step(__u32 i, struct cwd_walk *w) {
  struct dentry *d = (struct dentry *)w->dentry;
  struct vfsmount *vmnt = (struct vfsmount *)w->vfsmount;
  struct mount *mnt = (struct mount *)w->mount;
  if (w->dentry == w->root && w->vfsmount == w->root_mnt) return 1;
  struct dentry *parent = BPF_CORE_READ(d, d_parent);
  if (d == BPF_CORE_READ(vmnt, mnt_root) || d == parent) {
    struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
    if (up == mnt) return 1;
    w->dentry = (__u64)BPF_CORE_READ(mnt, mnt_mountpoint);
    w->mount = (__u64)up;
    w->vfsmount = (__u64)up + bpf_core_field_offset(struct mount, mnt);
    return 0;
  }
  __u32 zero = 0;
  struct cwd_buf *buf = bpf_map_lookup_elem(&cwd_scratch, &zero);
  __u32 pos = w->pos;
  if (!buf || pos > PT_CWD_MAX - PT_NAME_MAX - 2) {
    w->flags |= PT_CWD_CUT;
    return 1;
  }
  long n = bpf_probe_read_kernel_str(buf->bytes + pos, PT_NAME_MAX + 1, BPF_CORE_READ(d, d_name.name));
  if (n <= 0) return 1;
  w->pos = pos + n;
  w->dentry = (__u64)parent;
  if (i == PT_CWD_DEPTH - 1) w->flags |= PT_CWD_CUT;
  return 0;
}

// Copies the working directory of `task` to `out` as its components from
// the innermost out, each NUL-terminated, crossing mount points up to the
// task's root (a chroot or container stops there). Returns the bytes written.
static __always_inline __u32 read_cwd(char *out, struct task_struct *task, __u32 *flags) {
  struct fs_struct *fs = BPF_CORE_READ(task, fs);
  if (!fs) return 0;
  struct cwd_walk w = {};
  w.dentry = (__u64)BPF_CORE_READ(fs, pwd.dentry);
  w.vfsmount = (__u64)BPF_CORE_READ(fs, pwd.mnt);
  w.root = (__u64)BPF_CORE_READ(fs, root.dentry);
  w.root_mnt = (__u64)BPF_CORE_READ(fs, root.mnt);
  w.mount = w.vfsmount - bpf_core_field_offset(struct mount, mnt);
  bpf_loop(PT_CWD_DEPTH, cwd_step, &w, 0);
  __u32 zero = 0;
  struct cwd_buf *buf = bpf_map_lookup_elem(&cwd_scratch, &zero);
  __u32 len = w.pos & (PT_CWD_MAX - 1);
  if (!buf || bpf_probe_read_kernel(out, len, buf->bytes) != 0) return 0;
  *flags |= w.flags;
  return len;
}

// Inherited descriptors. The loops keep their state in a per-CPU map, not
// on the stack: the verifier follows stack values from one bpf_loop step to
// the next (a counter used as an index makes every step a new state), while
// a value read from a map is just a bounded number.
struct fds_state {
  struct pt_fd fds[PT_FDS_MAX];
  __u64 fdarray;  // struct file ** of the task's fd table
  __u32 count;    // entries written
  __u32 paths;    // of them, ones whose path is to be read
  __u64 path_dentry[PT_FD_PATHS];
  __u64 path_mnt[PT_FD_PATHS];
  __u32 path_entry[PT_FD_PATHS];  // which entry each path belongs to
  // The path walks, one after the other.
  struct cwd_walk cur;
  __u64 root, root_mnt;
  __u32 walk;      // the walk under way
  __u32 step;      // of it
  __u32 start;     // where its path begins in cwd_scratch
  __u32 started;
  // Counting the descriptors past the table.
  __u64 open_fds;  // unsigned long * bitmap of the open ones
  __u64 open_word;  // fd_step: the bitmap word of the slot it is at
  __u32 count_words;
  __u32 cut;
};
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct fds_state);
} fds_scratch SEC(".maps");

static __always_inline struct fds_state *fds_state(void) {
  __u32 zero = 0;
  return bpf_map_lookup_elem(&fds_scratch, &zero);
}

// Major numbers of terminals (Documentation/admin-guide/devices.txt): tty
// and the console (4, 5), pty secondaries (136-143).
static __always_inline bool is_tty_major(__u32 major) {
  return major == 4 || major == 5 || (major >= 136 && major <= 143);
}

// Step i: descriptor i, if open.
static long fd_step(__u32 i, void *unused) {
  struct fds_state *st = fds_state();
  if (!st) return 1;
  // A closed slot costs a bit test of the open_fds bitmap, whose words are
  // read once per 64 slots, rather than a probe read of the table: a shell
  // that once held fd 255 has a table of 256 slots and uses three.
  if ((i & 63) == 0 &&
      bpf_probe_read_kernel(&st->open_word, sizeof st->open_word, (__u64 *)st->open_fds + i / 64) != 0)
    st->open_word = ~0ull;  // unreadable: look at every slot
  if (!((st->open_word >> (i & 63)) & 1)) return 0;
  struct file *f = NULL;
  if (bpf_probe_read_kernel(&f, sizeof f, (struct file **)st->fdarray + i) != 0 || !f) return 0;
  __u32 n = st->count;
  if (n >= PT_FDS_MAX) return 1;
  struct pt_fd *out = &st->fds[n];
  struct inode *inode = BPF_CORE_READ(f, f_inode);
  __u32 mode = BPF_CORE_READ(inode, i_mode) & S_IFMT;
  __u32 fmode = BPF_CORE_READ(f, f_mode);
  out->fd = i;
  out->inode = BPF_CORE_READ(inode, i_ino);
  out->dev = BPF_CORE_READ(inode, i_sb, s_dev);
  out->path_len = 0;
  out->reserved = 0;
  out->flags = ((fmode & FMODE_READ) ? PT_FD_READ : 0) | ((fmode & FMODE_WRITE) ? PT_FD_WRITE : 0);
  if (mode == S_IFIFO) {
    // A pipe lives on pipefs and has no path; a named pipe has one.
    bool anonymous = BPF_CORE_READ(inode, i_sb, s_magic) == PIPEFS_MAGIC;
    out->kind = anonymous ? PT_FD_PIPE : PT_FD_FIFO;
  } else if (mode == S_IFSOCK) {
    out->kind = PT_FD_SOCKET;
  } else if (mode == S_IFCHR && is_tty_major(BPF_CORE_READ(inode, i_rdev) >> 20)) {
    out->kind = PT_FD_TTY;
  } else if (mode == S_IFREG || mode == S_IFDIR || mode == S_IFBLK || mode == S_IFCHR) {
    out->kind = PT_FD_FILE;
  } else {
    out->kind = PT_FD_ANON;  // anonymous inodes have no type bits
  }
  // Read back: whichever branch set it, the verifier meets one state here
  // and checks the rest of the step once, not once per kind.
  __u8 kind = *(volatile __u8 *)&out->kind;
  bool with_path = kind == PT_FD_FILE || kind == PT_FD_TTY || kind == PT_FD_FIFO;
  __u32 p = st->paths;
  if (with_path && p < PT_FD_PATHS) {
    st->path_dentry[p] = (__u64)BPF_CORE_READ(f, f_path.dentry);
    st->path_mnt[p] = (__u64)BPF_CORE_READ(f, f_path.mnt);
    st->path_entry[p] = n;
    st->paths = p + 1;
    out->flags |= PT_FD_HAS_PATH;
  }
  st->count = n + 1;
  return 0;
}

// Counts the open descriptors numbered PT_FDS_MAX and above, one bitmap
// word per step. Its state is in fds_state too: a struct on read_fds'
// stack, set only when there are that many, made the verifier check all
// that follows twice.
static long count_step(__u32 i, void *unused) {
  struct fds_state *st = fds_state();
  if (!st || i >= st->count_words) return 1;
  __u64 word = 0;
  if (bpf_probe_read_kernel(&word, sizeof word, (__u64 *)st->open_fds + PT_FDS_MAX / 64 + i) != 0) return 1;
  st->cut += __builtin_popcountll(word);
  return 0;
}

// One step of the path walks fd_step picked: the path of entry
// path_entry[walk] goes from `start` to cur.pos in cwd_scratch.
static long paths_step(__u32 i, void *unused) {
  struct fds_state *st = fds_state();
  if (!st) return 1;
  __u32 j = st->walk;
  if (j >= st->paths || j >= PT_FD_PATHS) return 1;
  if (!st->started) {
    st->cur.dentry = st->path_dentry[j];
    st->cur.vfsmount = st->path_mnt[j];
    st->cur.mount = st->cur.vfsmount - bpf_core_field_offset(struct mount, mnt);
    st->cur.root = st->root;
    st->cur.root_mnt = st->root_mnt;
    st->cur.flags = 0;
    st->start = st->cur.pos;
    st->step = 0;
    st->started = 1;
  }
  __u32 step = st->step;
  long stop = cwd_step(step, &st->cur);
  st->step = step + 1;
  if (stop || step + 1 >= PT_CWD_DEPTH) {
    struct pt_fd *entry = &st->fds[st->path_entry[j] & (PT_FDS_MAX - 1)];
    entry->path_len = st->cur.pos - st->start;
    if (st->cur.flags & PT_CWD_CUT) entry->flags |= PT_FD_PATH_CUT;
    st->walk = j + 1;
    st->started = 0;
  }
  return 0;
}

// Writes a struct pt_exec_fds, its table and the paths at `out` for the
// descriptors `task` holds. At sched_process_exec the close-on-exec ones are
// already closed: what is left was inherited. Returns the bytes written.
static __always_inline __u32 read_fds(char *out, struct task_struct *task) {
  struct pt_exec_fds *h = (struct pt_exec_fds *)out;
  h->count = h->cut = h->paths_len = h->reserved = 0;
  struct files_struct *files = BPF_CORE_READ(task, files);
  struct fs_struct *fs = BPF_CORE_READ(task, fs);
  struct fds_state *st = fds_state();
  __u32 zero = 0;
  struct cwd_buf *paths = bpf_map_lookup_elem(&cwd_scratch, &zero);
  if (!files || !fs || !st || !paths) return sizeof(*h);
  struct fdtable *fdt = BPF_CORE_READ(files, fdt);
  __u32 max = BPF_CORE_READ(fdt, max_fds);
  st->fdarray = (__u64)BPF_CORE_READ(fdt, fd);
  st->open_fds = (__u64)BPF_CORE_READ(fdt, open_fds);
  st->count = st->paths = 0;
  bpf_loop(max < PT_FDS_MAX ? max : PT_FDS_MAX, fd_step, NULL, 0);
  st->count_words = max > PT_FDS_MAX ? ((max < PT_FDS_COUNT_MAX ? max : PT_FDS_COUNT_MAX) - PT_FDS_MAX) / 64 : 0;
  st->cut = 0;
  bpf_loop(PT_FDS_COUNT_MAX / 64, count_step, NULL, 0);
  h->cut = st->cut;
  // The paths go to cwd_scratch: the cwd is already copied out of it.
  st->root = (__u64)BPF_CORE_READ(fs, root.dentry);
  st->root_mnt = (__u64)BPF_CORE_READ(fs, root.mnt);
  st->walk = st->started = 0;
  st->cur.pos = 0;
  bpf_loop(PT_FD_PATHS * PT_CWD_DEPTH, paths_step, NULL, 0);

  __u32 count = st->count;
  if (count > PT_FDS_MAX) count = PT_FDS_MAX;
  h->count = count;
  __u64 table = (__u64)count * sizeof(struct pt_fd);
  if (table > sizeof(st->fds)) table = sizeof(st->fds);  // for the verifier: it is not
  if (bpf_probe_read_kernel(out + sizeof(*h), table, st->fds) != 0) {
    h->count = 0;
    return sizeof(*h);
  }
  __u64 plen = st->cur.pos & (PT_CWD_MAX - 1);
  if (bpf_probe_read_kernel(out + sizeof(*h) + table, plen, paths->bytes) != 0) plen = 0;
  h->paths_len = plen;
  return sizeof(*h) + table + plen;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(pt_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm) {
  if (!is_tracked(tgid_ours(task))) return 0;

  __u32 cpu = bpf_get_smp_processor_id();
  struct pt_event *e = bpf_map_lookup_elem(&scratch, &cpu);
  if (!e) return 0;
  fill_common(e, PT_EXEC, task);

  // The new image's argv, just copied in by execve: its pages are present.
  struct mm_struct *mm = BPF_CORE_READ(task, mm);
  unsigned long start = BPF_CORE_READ(mm, arg_start);
  unsigned long end = BPF_CORE_READ(mm, arg_end);
  __u64 len = end > start ? end - start : 0;
  if (len > argv_cap) {
    len = argv_cap;
    e->flags |= PT_EXEC_TRUNCATED;
  }
  if (len > 0 && bpf_probe_read_user(e->data, len, (const void *)start) != 0) {
    len = 0;
    e->flags |= PT_EXEC_ARGV_FAILED;
    count_loss(PT_LOSS_ARGV_READ);
  }
  e->argv_len = len;

  long n = bpf_probe_read_kernel_str(e->data + len, PT_FILENAME_MAX, BPF_CORE_READ(bprm, filename));
  if (n > 0) {
    n -= 1;  // the NUL
  } else {
    n = 0;
    count_loss(PT_LOSS_FILENAME_READ);
  }
  e->filename_len = n;
  // Both lengths are read back from the record: whichever branches led
  // here, the verifier meets one state below and checks the cwd and fd
  // walks once, not once per path through the argv and filename reads.
  len = *(volatile __u32 *)&e->argv_len;
  n = *(volatile __u32 *)&e->filename_len;
  // Never true (both were bounded above), but the verifier must see the
  // bounds again. An exit, not a clamp: a clamp leaves it two states (the
  // constant bound and the range below it) and it checked the cwd and fd
  // walks once for each, 7,400 instructions processed instead of 2,100.
  if (len > argv_cap || n > PT_FILENAME_MAX) return 0;

  // Who runs the new image, and where: after the filename.
  struct pt_exec_ctx *x = (struct pt_exec_ctx *)(e->data + len + n);
  const struct cred *cred = BPF_CORE_READ(task, cred);
  x->uid = BPF_CORE_READ(cred, uid.val);
  x->euid = BPF_CORE_READ(cred, euid.val);
  x->gid = BPF_CORE_READ(cred, gid.val);
  x->egid = BPF_CORE_READ(cred, egid.val);
  x->flags = 0;
  // Below PT_CWD_MAX by construction; the mask shows the verifier.
  x->cwd_len = read_cwd((char *)(x + 1), task, &x->flags);
  // Read back, as above: the fd walk is checked once, not once per way the
  // cwd walk ended.
  __u64 cwd_len = *(volatile __u32 *)&x->cwd_len & (PT_CWD_MAX - 1);
  // What it holds: after the cwd.
  __u64 fds_len = read_fds((char *)(x + 1) + cwd_len, task) & (PT_FDS_BYTES_MAX - 1);

  // Stamped once complete: reading a large argv takes microseconds, and a
  // record stamped before it would land in the ring behind later events.
  e->timestamp = bpf_ktime_get_boot_ns();

  __u64 size = sizeof(*e) + len + n + sizeof(*x) + cwd_len + fds_len;
  if (bpf_ringbuf_output(&events, e, size, submit_flags()) != 0) count_loss(PT_LOSS_RINGBUF_FULL);
  return 0;
}

// Adds the counters thread `t` keeps for itself.
static __always_inline void add_thread_usage(struct pt_usage *u, struct task_struct *t) {
  u->cpu_ns += BPF_CORE_READ(t, se.sum_exec_runtime);
  u->utime_ns += BPF_CORE_READ(t, utime);
  u->stime_ns += BPF_CORE_READ(t, stime);
  u->nvcsw += BPF_CORE_READ(t, nvcsw);
  u->nivcsw += BPF_CORE_READ(t, nivcsw);
  u->min_flt += BPF_CORE_READ(t, min_flt);
  u->maj_flt += BPF_CORE_READ(t, maj_flt);
  if (bpf_core_field_exists(t->ioac.rchar)) {
    u->rchar += BPF_CORE_READ(t, ioac.rchar);
    u->wchar += BPF_CORE_READ(t, ioac.wchar);
    u->syscr += BPF_CORE_READ(t, ioac.syscr);
    u->syscw += BPF_CORE_READ(t, ioac.syscw);
  }
  if (bpf_core_field_exists(t->ioac.read_bytes)) {
    u->read_bytes += BPF_CORE_READ(t, ioac.read_bytes);
    u->write_bytes += BPF_CORE_READ(t, ioac.write_bytes);
    u->cancelled_write_bytes += BPF_CORE_READ(t, ioac.cancelled_write_bytes);
  }
}

// The whole group's usage as its last thread exits: what getrusage() of the
// process would add up. Threads that ended before were folded into
// signal_struct when they were released; a leader that ended first is a
// zombie until the group is gone, so its own counters are added here.
static __always_inline void fill_usage(struct pt_usage *u, struct task_struct *task, struct signal_struct *sig) {
  __builtin_memset(u, 0, sizeof(*u));
  u->cpu_ns = BPF_CORE_READ(sig, sum_sched_runtime);
  u->utime_ns = BPF_CORE_READ(sig, utime);
  u->stime_ns = BPF_CORE_READ(sig, stime);
  u->nvcsw = BPF_CORE_READ(sig, nvcsw);
  u->nivcsw = BPF_CORE_READ(sig, nivcsw);
  u->min_flt = BPF_CORE_READ(sig, min_flt);
  u->maj_flt = BPF_CORE_READ(sig, maj_flt);
  // do_exit() has just folded the last mm's high-water mark into maxrss.
  u->maxrss_pages = BPF_CORE_READ(sig, maxrss);
  if (bpf_core_field_exists(sig->ioac.rchar)) {
    u->flags |= PT_USAGE_SYSCALL_IO;
    u->rchar = BPF_CORE_READ(sig, ioac.rchar);
    u->wchar = BPF_CORE_READ(sig, ioac.wchar);
    u->syscr = BPF_CORE_READ(sig, ioac.syscr);
    u->syscw = BPF_CORE_READ(sig, ioac.syscw);
  }
  if (bpf_core_field_exists(sig->ioac.read_bytes)) {
    u->flags |= PT_USAGE_STORAGE_IO;
    u->read_bytes = BPF_CORE_READ(sig, ioac.read_bytes);
    u->write_bytes = BPF_CORE_READ(sig, ioac.write_bytes);
    u->cancelled_write_bytes = BPF_CORE_READ(sig, ioac.cancelled_write_bytes);
  }
  add_thread_usage(u, task);
  struct task_struct *leader = BPF_CORE_READ(task, group_leader);
  if (leader && leader != task) add_thread_usage(u, leader);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(pt_exit, struct task_struct *task) {
  __u32 tgid = tgid_ours(task);
  if (!is_tracked(tgid)) return 0;
  // do_exit() has already taken this thread off signal->live: zero means it
  // was the group's last thread, so the process is gone now.
  struct signal_struct *sig = BPF_CORE_READ(task, signal);
  if (BPF_CORE_READ(sig, live.counter) != 0) return 0;

  struct pt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e) + sizeof(struct pt_usage), 0);
  if (!e) count_loss(PT_LOSS_RINGBUF_FULL);
  if (e) {
    fill_common(e, PT_EXIT, task);
    fill_usage((struct pt_usage *)e->data, task, sig);
    // What wait(2) will report: the group's status after exit_group() or a
    // fatal signal, else the leader's own exit code.
    e->wait_status = (BPF_CORE_READ(sig, flags) & SIGNAL_GROUP_EXIT) ? BPF_CORE_READ(sig, group_exit_code)
                                                                       : BPF_CORE_READ(task, group_leader, exit_code);
    bpf_ringbuf_submit(e, submit_flags());
  }
  bpf_map_delete_elem(&tracked, &tgid);
  return 0;
}

// setsid()/setpgid() returned `ret` in the current task; arg0/arg1 are the
// syscall's arguments.
static __always_inline void emit_session_change(bool is_setsid, long ret, long arg0, long arg1) {
  if (ret < 0) return;
  struct task_struct *task = bpf_get_current_task_btf();
  __u32 tgid = pidns_inum ? tgid_ours(task) : bpf_get_current_pid_tgid() >> 32;
  if (!is_tracked(tgid)) return;

  struct pt_event *e = reserve();
  if (!e) return;
  if (is_setsid) {
    fill_common(e, PT_SETSID, task);
    e->pgid = tgid;  // the new session's group and id are the caller's pid
    e->sid = tgid;
  } else {
    fill_common(e, PT_SETPGID, task);
    // setpgid(0, 0) means the caller into a group of its own; a shell also
    // moves its children (setpgid(child, pgid)), whose parent is the caller.
    __s32 target = arg0 ? (__s32)arg0 : (__s32)tgid;
    if (target != (__s32)tgid) e->ppid = tgid;
    e->pid = target;
    e->pgid = arg1 ? (__s32)arg1 : target;
  }
  bpf_ringbuf_submit(e, submit_flags());
}

// An execve/execveat of a tracked process returned `ret` after trying the
// user-space path at `path`: a failure (the PATH search's ENOENTs, EACCES,
// ENOEXEC) becomes a BadExec. A successful exec's 0 is skipped here: its
// Exec came from sched_process_exec.
static __always_inline void emit_bad_exec(long ret, const char *path) {
  if (ret >= 0) return;
  struct task_struct *task = bpf_get_current_task_btf();
  __u32 tgid = pidns_inum ? tgid_ours(task) : bpf_get_current_pid_tgid() >> 32;
  if (!is_tracked(tgid)) return;
  // Built in the exec scratch slot (the failed call is over: no exec is
  // using it on this CPU) and sent at its real size, not PATH_MAX.
  __u32 cpu = bpf_get_smp_processor_id();
  struct pt_event *e = bpf_map_lookup_elem(&scratch, &cpu);
  if (!e) return;
  fill_common(e, PT_BADEXEC, task);
  e->wait_status = (__s32)-ret;
  long n = bpf_probe_read_user_str(e->data, PT_FILENAME_MAX, path);
  __u32 len = n > 0 ? n - 1 : 0;
  if (len > PT_FILENAME_MAX) len = PT_FILENAME_MAX;  // for the verifier
  e->filename_len = len;
  if (bpf_ringbuf_output(&events, e, sizeof(*e) + len, submit_flags()) != 0)
    count_loss(PT_LOSS_RINGBUF_FULL);
}

#if defined(__TARGET_ARCH_x86)
// A 32-bit process's syscall numbers differ (its 109 is olduname): skip
// compat syscalls. TS_COMPAT is a #define of arch/x86, not in BTF.
#define TS_COMPAT 0x0002
#define IN_COMPAT_SYSCALL() \
  ((BPF_CORE_READ(bpf_get_current_task_btf(), thread_info.status) & TS_COMPAT) != 0)
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, di)
#define SYSCALL_ARG1(regs) BPF_CORE_READ(regs, si)
#define SYSCALL_SYM(name) "__x64_sys_" #name
#elif defined(__TARGET_ARCH_arm64)
#define IN_COMPAT_SYSCALL() false  // AArch32 tasks are not told apart: rare, and not on this path in CI
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
#define SYSCALL_ARG0(regs) BPF_CORE_READ(regs, orig_x0)
#define SYSCALL_ARG1(regs) BPF_CORE_READ(regs, regs[1])
#define SYSCALL_SYM(name) "__arm64_sys_" #name
#else
#error "proctrace.bpf.c: add the syscall register layout of this architecture"
#endif

// Preferred: fexit on the two syscalls only. User space loads these when the
// kernel allows them and falls back to pt_sys_exit otherwise.
// The setsid syscall wrapper is not in every kernel's BTF; ksys_setsid is.
SEC("fexit/ksys_setsid")
int BPF_PROG(pt_setsid_fexit, int ret) {
  emit_session_change(true, ret, 0, 0);
  return 0;
}

SEC("fexit/" SYSCALL_SYM(setpgid))
int BPF_PROG(pt_setpgid_fexit, const struct pt_regs *regs, long ret) {
  emit_session_change(false, ret, SYSCALL_ARG0(regs), SYSCALL_ARG1(regs));
  return 0;
}

// Failed execs. A successful exec never returns to its caller's image, so
// these see failures only.
SEC("fexit/" SYSCALL_SYM(execve))
int BPF_PROG(pt_execve_fexit, const struct pt_regs *regs, long ret) {
  emit_bad_exec(ret, (const char *)SYSCALL_ARG0(regs));
  return 0;
}

SEC("fexit/" SYSCALL_SYM(execveat))
int BPF_PROG(pt_execveat_fexit, const struct pt_regs *regs, long ret) {
  emit_bad_exec(ret, (const char *)SYSCALL_ARG1(regs));
  return 0;
}

// Fallback: runs after every syscall of every process, so it tests the
// syscall number before anything else: an untracked process pays the
// compare, and one hash lookup on these four syscalls only.
SEC("raw_tp/sys_exit")
int BPF_PROG(pt_sys_exit, struct pt_regs *regs, long ret) {
  long nr = SYSCALL_NR(regs);
  if (nr != nr_setsid && nr != nr_setpgid && nr != nr_execve && nr != nr_execveat) return 0;
  if (IN_COMPAT_SYSCALL()) return 0;
  if (nr == nr_execve)
    emit_bad_exec(ret, (const char *)SYSCALL_ARG0(regs));
  else if (nr == nr_execveat)
    emit_bad_exec(ret, (const char *)SYSCALL_ARG1(regs));
  else
    emit_session_change(nr == nr_setsid, ret, SYSCALL_ARG0(regs), SYSCALL_ARG1(regs));
  return 0;
}
