#include "record/bpf_backend.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <unordered_set>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/diagnostics.h"
#include "io/recording_writer.h"
#include "record/clock.h"
#include "record/end_snapshot.h"
#include "record/event_drain.h"
#include "record/privileges.h"
#include "record/record.h"
#include "record/recording_output.h"
#include "record/running_subtree.h"
#include "record/signal_relay.h"
#include "record/target_process.h"
#include "record/tree_timeout.h"

namespace proctrace {

namespace {

// Records are submitted without waking us (see bpf/proctrace.bpf.c): this is
// how long they may wait, and the latency of noticing the end.
constexpr int kDrainIntervalMs = 10;

Meta describe(const RecordOptions& options, const BpfSession& session) {
  Meta meta;
  meta.backend = "bpf";
  meta.clock = "CLOCK_BOOTTIME";
  meta.clock_offset_ns = realtime_minus_boottime();
  utsname names;
  if (uname(&names) == 0) {
    meta.kernel = names.release;
    meta.host = names.nodename;
  }
  meta.command = options.command;
  meta.start_timestamp = clock_now_ns(CLOCK_BOOTTIME);
  meta.setpgid_probe = session.setpgid_probe();
  meta.extra["failed_exec_probe"] = session.setpgid_probe();  // the same programs
  // Inside a container pids are the container's; events then carry host_pid.
  if (session.pidns_inum()) meta.extra["pid_namespace"] = "pid:[" + std::to_string(session.pidns_inum()) + "]";
  return meta;
}

void warn_about_losses(const Stats& stats) {
  if (stats.total_lost() == 0) return;
  std::string causes;
  for (auto& [cause, n] : stats.lost)
    if (n) causes += (causes.empty() ? "" : ", ") + cause + ": " + std::to_string(n);
  spdlog::warn("the recording is incomplete, {} events or parts lost ({}); a larger --ringbuf-size helps "
               "against ringbuf_full",
               stats.total_lost(), causes);
}

// What recording cost proctrace itself (not the target), for tuning.
void log_own_cost(std::uint64_t events) {
  rusage own{};
  getrusage(RUSAGE_SELF, &own);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  spdlog::debug("recorder CPU: {:.1f} ms user, {:.1f} ms system for {} events", ms(own.ru_utime), ms(own.ru_stime),
                events);
}

// Watches the target and the signals until the recording should stop.
class Supervisor {
 public:
  Supervisor(const RecordOptions& options, BpfSession& session, SignalRelay& signals, Pid root,
             EndSnapshots& snapshots, TreeTimeout& timeout)
      : options_(options), session_(session), signals_(signals), root_(root), snapshots_(snapshots),
        timeout_(timeout), attached_(options.attach_pid != 0) {}

  // Called after every wakeup; true when recording should stop.
  bool done() {
    while (auto info = signals_.next()) on_signal(*info);
    // --attach: no child of ours to wait for; the end is when the subtree
    // is gone, or when the user says so (Ctrl-C stops the recording, not
    // the processes).
    if (attached_) return interrupted_after_root_ || !session_.tracking_any();
    auto now = std::chrono::steady_clock::now();
    switch (timeout_.due(now)) {
      case TreeTimeout::Step::Expire:
        snapshots_.take("timeout", session_.tracked(), true);
        signal_tree(session_.tracked(), timeout_.signal());
        signal_tree(session_.tracked(), SIGCONT);  // a stopped process must get to its signal
        break;
      case TreeTimeout::Step::Kill:
        signal_tree(session_.tracked(), SIGKILL);
        break;
      case TreeTimeout::Step::None:
        break;
    }
    // Timed out: stop once the tree is gone (or a moment after the KILL).
    if (timeout_.fired()) return root_exited_ && (!session_.tracking_any() || timeout_.given_up(now));
    if (!root_exited_) return false;
    if (interrupted_after_root_) return true;
    if (!session_.tracking_any()) return true;
    return std::chrono::steady_clock::now() >= deadline_;
  }
  // How long to sleep before the next drain.
  int timeout_ms() const {
    if (!root_exited_ || timeout_.fired()) return kDrainIntervalMs;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, kDrainIntervalMs));
  }
  // Valid once done() said so.
  ExitStatus root_status() const { return ExitStatus::from_wait_status(root_wait_status_); }

 private:
  void on_signal(const signalfd_siginfo& info) {
    if (info.ssi_signo == SIGCHLD) {
      if (!attached_) reap();
    } else if (info.ssi_signo == SIGQUIT) {
      // SIGQUIT (Ctrl-\ at a terminal) on a hung job: the report, and nothing killed.
      snapshots_.take("SIGQUIT", session_.tracked(), true);
    } else if (root_exited_ || attached_) {
      // The command is over; a signal while waiting for its leftovers means
      // "stop now".
      interrupted_after_root_ = true;
    } else {
      if (!signalled_) snapshots_.take(info.ssi_signo == SIGINT ? "SIGINT" : info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGHUP",
                                       session_.tracked(), false);
      signalled_ = true;
      if (SignalRelay::should_forward(info, root_)) ::kill(root_, static_cast<int>(info.ssi_signo));
    }
  }

  void reap() {
    int status = 0;
    pid_t pid;
    do pid = waitpid(root_, &status, WNOHANG);
    while (pid < 0 && errno == EINTR);
    if (pid != root_) return;
    root_exited_ = true;
    root_wait_status_ = status;
    // The command is done but left processes behind: the usual hung job.
    if (!timeout_.fired() && session_.tracking_any()) snapshots_.take("root-exited", session_.tracked(), false);
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(options_.wait_descendants_seconds));
  }

  const RecordOptions& options_;
  BpfSession& session_;
  SignalRelay& signals_;
  Pid root_;
  bool root_exited_ = false;
  int root_wait_status_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool interrupted_after_root_ = false;
  bool signalled_ = false;
  EndSnapshots& snapshots_;
  TreeTimeout& timeout_;
  bool attached_;
};

// --attach: tracks `root` and every descendant it has now, and writes an
// Attached event for each (with its argv from /proc): they were running
// before the recording, which has none of their earlier history. Returns
// how many; 0 when root does not exist.
std::size_t attach_to_running(BpfSession& session, RecordingWriter& writer, Pid root) {
  const Nanos seen_at = clock_now_ns(CLOCK_BOOTTIME);
  std::vector<RunningProcess> found = scan_running_subtree(root);
  if (found.empty()) return 0;
  // Parents first: from its tracking on, a process's forks are the kernel
  // side's to report (as Fork events).
  std::unordered_set<Pid> known;
  for (const RunningProcess& p : found) {
    session.track(p.pid);
    known.insert(p.pid);
  }
  // A child forked between the scan and its parent's tracking was seen by
  // neither; one forked after it is tracked already and has its Fork.
  std::vector<Pid> tracked = session.tracked();
  std::unordered_set<Pid> tracked_now(tracked.begin(), tracked.end());
  for (RunningProcess& p : scan_running_subtree(root)) {
    if (known.count(p.pid) || tracked_now.count(p.pid)) continue;
    session.track(p.pid);
    found.push_back(std::move(p));
  }
  for (RunningProcess& p : found) {
    Event e;
    e.kind = EventKind::Attached;
    e.timestamp = seen_at;
    e.pid = p.pid;
    e.ppid = p.ppid;
    e.pgid = p.pgid;
    e.sid = p.sid;
    e.has_cmdline = !p.argv.empty();
    e.cmdline = std::move(p.argv);
    writer.write_event(e);
  }
  return found.size();
}

// Discards records once the output has failed, so the target still runs to
// its end under the recorder.
struct DiscardSink : RecordSink {
  void add(const void*, std::size_t) override {}
};

}  // namespace

BpfLoadResult load_bpf_recorder(const RecordOptions& options) {
  BpfLoadResult result;
  if (auto blocker = bpf_recording_blocker()) {
    result.problem = *blocker;
    result.exit_code = kExitUsage;
    return result;
  }
  try {
    BpfSessionOptions session_options;
    session_options.argv_cap_bytes = options.argv_cap_bytes;
    session_options.ringbuf_bytes = options.ringbuf_bytes;
    session_options.pidns_inum = pid_namespace_inode();
    result.session = std::make_unique<BpfSession>(session_options);
  } catch (const BpfLoadError& e) {
    bool refused = e.errno_value == EPERM || e.errno_value == EACCES;
    result.problem = refused ? bpf_permission_help() + " (" + e.what() + ")" : e.what();
    result.exit_code = refused ? kExitUsage : kExitFailure;
  }
  return result;
}

int run_bpf_recording(const RecordOptions& options, BpfSession& session, const std::optional<InvokingUser>& user) {
  // Before the writer, so that it lives longer: its last flush, in its
  // destructor, must still find SIGXFSZ ignored.
  SignalRelay signals(/*take_sigquit=*/true);
  RecordingOutput output = open_recording_output(options.output, user);
  if (!output.writer) {
    spdlog::error("{}", output.error);
    return kExitFailure;
  }
  std::unique_ptr<RecordingWriter> writer = std::move(output.writer);
  if (options.recorded_path) *options.recorded_path = writer->name();
  try {
    writer->write_meta(describe(options, session));
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  // Drains flush themselves; never flush in the middle of one.
  writer->set_flush_threshold(std::size_t{1} << 30);

  EndSnapshots snapshots(*writer, writer->name());
  std::optional<TargetProcess> target;
  Pid root = options.attach_pid;
  std::size_t attached = 0;
  if (root) {
    try {
      attached = attach_to_running(session, *writer, root);
    } catch (const WriteError& e) {
      spdlog::error("{}", e.what());
      return kExitFailure;
    } catch (const BpfLoadError& e) {
      spdlog::error("{}", e.what());
      return kExitFailure;
    }
    if (!attached) {
      spdlog::error("--attach {}: no such process", root);
      return kExitUsage;
    }
    spdlog::info("attached to {} running process{}; recording until they have all exited (Ctrl-C stops)", attached,
                 attached == 1 ? "" : "es");
  } else {
    target.emplace(options.command, user, signals.original_mask(), output.shares_stdout);
    root = target->pid();
    try {
      session.track(root);
    } catch (const BpfLoadError& e) {
      spdlog::error("{}", e.what());
      return kExitFailure;  // the target, never released, exits without running the command
    }
    target->release();
  }
  snapshots.set_root(root);
  if (!output.shares_stdout) give_up_stdout();
  TreeTimeout timeout(options.timeout_seconds, options.timeout_signal, options.kill_after_seconds);

  int epoll = epoll_create1(EPOLL_CLOEXEC);
  for (int fd : {signals.fd(), session.wakeup_fd()}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
  }

  EventDrain drain(*writer);
  DiscardSink discard;
  bool write_failed = false;
  auto drain_once = [&] {
    if (write_failed) {
      session.consume(discard);
      return;
    }
    try {
      session.consume(drain);
      drain.write_batch();
    } catch (const WriteError& e) {
      spdlog::error("{}; recording stopped, waiting for the command to finish", e.what());
      write_failed = true;
      session.detach();
    }
  };

  Supervisor supervisor(options, session, signals, root, snapshots, timeout);
  for (;;) {
    epoll_event events[2];
    epoll_wait(epoll, events, 2, supervisor.timeout_ms());
    drain_once();
    if (supervisor.done()) break;
  }
  ::close(epoll);

  // The end: no new events, then everything still in the ring.
  session.detach();
  drain_once();
  // --attach: the processes were not ours to wait for; their exits are in
  // the recording.
  int status = attached ? 0 : supervisor.root_status().shell_status();
  if (write_failed) return kExitFailure;
  int exit_status = timeout.fired() ? timeout.exit_status() : status;

  Stats stats;
  drain.fill_stats(stats);
  std::uint64_t recorded = 0;
  for (auto& [_, n] : stats.events) recorded += n;
  if (attached) stats.events["Attached"] = attached;
  if (recorded == 0 && !attached && session.losses_total() == 0) {
    // The command ran and ended, so at least its Exit is due: the kernel
    // side did not see it as ours. Never pass that off as a recording.
    spdlog::error("the eBPF recorder saw no event of the command (pid {}): its pids could not be matched; "
                  "{} is not a valid recording",
                  root, options.output);
    return kExitFailure;
  }
  stats.lost = session.losses();
  if (drain.malformed()) stats.lost["malformed_record"] = drain.malformed();
  stats.alive_at_end = session.tracked();
  std::sort(stats.alive_at_end.begin(), stats.alive_at_end.end());
  stats.end_timestamp = clock_now_ns(CLOCK_BOOTTIME);
  stats.root_status = status;
  try {
    writer->write_stats(stats);
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  warn_about_losses(stats);
  log_own_cost(writer->events_written());
  return exit_status;
}

int record_with_bpf(const RecordOptions& options, const std::optional<InvokingUser>& user) {
  BpfLoadResult loaded = load_bpf_recorder(options);
  if (!loaded.session) {
    spdlog::error("{}", loaded.problem);
    return loaded.exit_code;
  }
  return run_bpf_recording(options, *loaded.session, user);
}

}  // namespace proctrace
