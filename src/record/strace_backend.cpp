// `proctrace record --backend strace`: recording without root. strace runs
// the command with -f and writes its lifecycle syscalls into a FIFO; each
// line is converted as it arrives, so the recording grows while the command
// runs, like the eBPF one.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "import/strace_stream.h"
#include "io/diagnostics.h"
#include "io/output_file.h"
#include "io/recording_writer.h"
#include "record/clock.h"
#include "record/command_lookup.h"
#include "record/record_options.h"
#include "record/recording_output.h"
#include "record/signal_relay.h"
#include "record/strace_fifo.h"
#include "record/user_rights.h"

namespace proctrace {

namespace {

std::string find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

// Only what changes the process tree is traced (seccomp keeps the others at
// full speed); '?' lets an strace that lacks a name (clone3) carry on.
// --all traces everything, with -yy (pipe and socket identities) for the
// analyses and `why` that read the kept log.
std::vector<std::string> strace_argv(const std::string& strace, const RecordOptions& options,
                                     const std::string& output) {
  std::vector<std::string> argv{
      strace,
      "-f",                      // follow forks
      "-q",                      // no attach/detach chatter on the user's terminal
      "-ttt",                    // absolute timestamps (CLOCK_REALTIME)
      "-T"};                     // durations
  if (options.all_syscalls) {
    argv.push_back("-yy");       // fd paths, pipe and socket inodes
  } else {
    argv.insert(argv.end(), {"-y",  // fd paths
                             "--seccomp-bpf", "-e", "trace=?fork,?vfork,?clone,?clone3,execve,?execveat,setsid,setpgid"});
  }
  // Not "-e signal=none": strace then hides "+++ killed by SIG... +++" too.
  argv.insert(argv.end(), {"-s", std::to_string(options.argv_cap_bytes), "-o", output, "--"});
  argv.insert(argv.end(), options.command.begin(), options.command.end());
  return argv;
}

Meta describe(const RecordOptions& options) {
  Meta meta;
  meta.backend = "strace";
  meta.clock = "CLOCK_REALTIME";  // strace -ttt
  meta.clock_offset_ns = 0;
  utsname names;
  if (uname(&names) == 0) {
    meta.kernel = names.release;
    meta.host = names.nodename;
  }
  meta.command = options.command;
  meta.start_timestamp = clock_now_ns(CLOCK_REALTIME);
  meta.setpgid_probe = "strace";
  return meta;
}

// The traced command's pid before strace printed anything: strace's child.
Pid strace_child(pid_t strace) {
  std::ifstream in("/proc/" + std::to_string(strace) + "/task/" + std::to_string(strace) + "/children");
  Pid pid = 0;
  in >> pid;
  return pid;
}

// Starts strace; it gets the signal mask and dispositions proctrace found.
// Under sudo strace itself runs as the user, so the command does too, and
// nothing of the traced tree has root's rights.
// With `stdout_to_stderr` (the recording is on stdout) the command's stdout
// is proctrace's stderr.
// `command_length` is the number of trailing arguments that are the command.
pid_t start_strace(const std::vector<std::string>& argv, std::size_t command_length,
                   const std::optional<InvokingUser>& user, const sigset_t& mask, bool stdout_to_stderr) {
  // Everything the child needs is built before fork.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env = user ? user_environment(*user) : std::vector<std::string>{};
  std::vector<char*> envp = environment_pointers(env);

  const char* command = argv[argv.size() - command_length].c_str();
  const char* path_list = std::getenv("PATH");
  pid_t recorder = ::getpid();
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  sigprocmask(SIG_SETMASK, &mask, nullptr);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGXFSZ, SIG_DFL);
  if (stdout_to_stderr) ::dup2(STDERR_FILENO, STDOUT_FILENO);
  const char* step = nullptr;
  if (user) {
    if (int error = become_user(*user, &step)) {
      std::fprintf(stderr, "proctrace: %s: %s\n", step, std::strerror(error));
      ::_exit(126);
    }
  }
  // strace dies with the recorder, even a SIGKILLed one. After the uid
  // change, which clears the setting; the getppid() check closes the race
  // with a recorder that died before prctl.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != recorder) ::_exit(kExitFailure);
  // Found as the user and reported as the eBPF backend does: strace would
  // exit 1 for both.
  if (int error = find_executable(command, path_list)) {
    std::fprintf(stderr, "proctrace: cannot run '%s': %s\n", command, std::strerror(error));
    ::_exit(error == ENOENT ? 127 : 126);
  }
  ::execve(args[0], args.data(), user ? envp.data() : environ);
  std::fprintf(stderr, "proctrace: cannot run %s: %s\n", args[0], std::strerror(errno));
  ::_exit(127);
}

class StraceRecording {
 public:
  // log: where strace's output is kept as it is (--all); null: nowhere.
  StraceRecording(const RecordOptions& options, RecordingWriter& writer, OutputFile* log, SignalRelay& signals,
                  pid_t strace, Diagnostics& diag)
      : options_(options),
        writer_(writer),
        log_(log),
        signals_(signals),
        strace_(strace),
        stream_([this](const Event& e) { writer_.write_event(e); }, "strace output", diag) {
    // strace leaves the command in proctrace's process group and session.
    stream_.set_first_groups(::getpgrp(), ::getsid(0));
  }

  // Converts until strace has exited and its output is drained.
  void run(int out_fd) {
    while (!strace_exited(false)) {
      pollfd fds[2] = {{out_fd, POLLIN, 0}, {signals_.fd(), POLLIN, 0}};
      int n = ::poll(fds, 2, stop_at_ ? 50 : -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "poll");
      }
      if (fds[1].revents & POLLIN)
        while (auto info = signals_.next()) on_signal(*info);
      // End of file: strace closed its output, it is exiting. (Before it
      // opens the FIFO, poll reports nothing: no busy loop.)
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(out_fd)) strace_exited(true);
      check_root();
    }
    drain(out_fd);
    stream_.finish();
  }

  // The strace process's wait status (after run()).
  int strace_status() const { return status_; }

  strace::StraceStream& stream() { return stream_; }

 private:
  // Reads what is there; false at end of file (no writer).
  bool drain(int fd) {
    char buf[1 << 16];
    for (;;) {
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) {
        const std::string_view bytes(buf, static_cast<std::size_t>(got));
        if (log_) {
          log_->write(bytes);
          log_->flush();  // a killed recorder leaves the log up to here
        }
        stream_.feed(bytes);
        writer_.flush();
        continue;
      }
      if (got == 0) return false;
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return true;
      throw std::system_error(errno, std::generic_category(), "reading strace's output");
    }
  }

  bool strace_exited(bool wait) {
    if (strace_exited_) return true;
    int status = 0;
    pid_t r;
    do r = ::waitpid(strace_, &status, wait ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == strace_) {
      strace_exited_ = true;
      status_ = status;
    }
    return strace_exited_;
  }

  void on_signal(const signalfd_siginfo& info) {
    int sig = static_cast<int>(info.ssi_signo);
    if (sig == SIGCHLD) return;  // run() checks on strace after every wakeup
    Pid target = stream_.first_pid() ? stream_.first_pid() : strace_child(strace_);
    if (!target) return;
    if (SignalRelay::should_forward(info, target)) ::kill(target, sig);
  }

  // strace -f waits for every descendant; the eBPF recorder stops
  // --wait-descendants seconds after the command exits. Do the same: let go
  // of what is left by stopping strace (the kernel detaches its tracees).
  void check_root() {
    if (killed_ || !stream_.root_exited()) return;
    auto now = std::chrono::steady_clock::now();
    if (!stop_at_) {
      stop_at_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(options_.wait_descendants_seconds));
      // Whatever strace still has to say about the command's exit arrives
      // within a moment; descendants may keep it going for ever.
      if (options_.wait_descendants_seconds < 0.2) stop_at_ = now + std::chrono::milliseconds(200);
    }
    if (now >= *stop_at_) {
      ::kill(strace_, SIGKILL);
      killed_ = true;
    }
  }

  const RecordOptions& options_;
  RecordingWriter& writer_;
  OutputFile* log_;
  SignalRelay& signals_;
  pid_t strace_;
  strace::StraceStream stream_;
  std::optional<std::chrono::steady_clock::time_point> stop_at_;
  bool killed_ = false;
  bool strace_exited_ = false;
  int status_ = 0;
};

}  // namespace

std::string strace_log_path_for(const std::string& recording) {
  for (std::string_view ending : {".jsonl.zst", ".jsonl.gz", ".jsonl"})
    if (recording.size() > ending.size() && recording.ends_with(ending))
      return recording.substr(0, recording.size() - ending.size()) + ".strace.log";
  return recording + ".strace.log";
}

int record_with_strace(const RecordOptions& options, const std::optional<InvokingUser>& user) {
  std::string strace = find_in_path("strace");
  if (strace.empty()) {
    spdlog::error("strace is not installed (the strace backend runs it; e.g. apt-get install strace)");
    return kExitFailure;
  }
  RecordingOutput output = open_recording_output(options.output, user);
  if (!output.writer) {
    spdlog::error("{}", output.error);
    return kExitFailure;
  }
  std::unique_ptr<RecordingWriter> writer = std::move(output.writer);
  if (options.recorded_path) *options.recorded_path = writer->name();
  try {
    writer->write_meta(describe(options));
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }

  std::unique_ptr<OutputFile> log;
  if (options.all_syscalls) {
    const std::string path = strace_log_path_for(writer->name());
    int fd = open_output_file_as(user, path);
    if (fd < 0) {
      spdlog::error("{}: cannot create strace's log (--all): {}{}", path,
                    fd == -ELOOP ? "a symbolic link that belongs to another user or sits in a directory others can rewrite"
                                 : std::strerror(-fd),
                    user ? " (opened as " + user->name + ", who ran sudo)" : "");
      return kExitFailure;
    }
    log = std::make_unique<OutputFile>(fd, path, true, Compression::None, Placement::Live);
    spdlog::info("strace's log of every syscall goes to {} (proctrace summary {} reads it)", path, path);
  }

  SignalRelay signals;
  std::unique_ptr<StraceFifo> fifo;
  try {
    fifo = std::make_unique<StraceFifo>(user);
  } catch (const std::system_error& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  pid_t strace_pid = start_strace(strace_argv(strace, options, fifo->path()), options.command.size(), user,
                                  signals.original_mask(), output.shares_stdout);
  if (strace_pid < 0) {
    spdlog::error("fork: {}", std::strerror(errno));
    return kExitFailure;
  }

  Diagnostics diag;
  StraceRecording recording(options, *writer, log.get(), signals, strace_pid, diag);
  int code = kExitOk;
  try {
    recording.run(fifo->fd());
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    ::kill(strace_pid, SIGKILL);
    ::waitpid(strace_pid, nullptr, 0);
    code = kExitFailure;
  }
  int status = recording.strace_status();
  Stats stats = recording.stream().stats();
  stats.end_timestamp = std::max(stats.end_timestamp, clock_now_ns(CLOCK_REALTIME));
  try {
    writer->write_stats(stats);
    writer->flush();
    if (log) log->commit();
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  diag.finish();
  if (code != kExitOk) return code;
  // The command's status, as a shell would give it; without one (strace
  // could not start it), strace's own.
  if (stats.root_status) return *stats.root_status;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : kExitFailure;
}

}  // namespace proctrace
