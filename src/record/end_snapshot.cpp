#include "record/end_snapshot.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "io/output_file.h"
#include "model/process_tree.h"
#include "record/proc_snapshot.h"

namespace proctrace {

namespace {

constexpr std::size_t kListedOnStderr = 10;

// A terminal must not receive a hostile command line's escape sequences.
std::string printable(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return text;
}

std::string doing(const SnapshotProcess& p) {
  if (p.state == 'Z') return "zombie";
  if (!p.syscall) return p.state == 'R' ? "running" : std::string(1, p.state);
  if (p.syscall->nr < 0) return std::string(1, p.state) + (p.wchan.empty() ? "" : " in " + p.wchan);
  std::string name = p.syscall->name.empty() ? "syscall " + std::to_string(p.syscall->nr) : p.syscall->name;
  return std::string(1, p.state) + " in " + name;
}

}  // namespace

EndSnapshots::EndSnapshots(RecordingWriter& writer, std::string recording_name)
    : writer_(writer), recording_name_(std::move(recording_name)), job_stdio_(read_own_stdio()) {}

void EndSnapshots::take(const std::string& reason, const std::vector<Pid>& pids, bool list) {
  ProcSnapshot snap = take_proc_snapshot(pids, root_, reason, job_stdio_, ::getpid());
  std::size_t alive = 0;
  for (auto& p : snap.processes) alive += p.in_subtree;
  // The tracked set can still hold a process that is gone from /proc: then
  // nothing was left behind, and there is nothing to report.
  if (alive == 0 && reason == "root-exited") return;
  try {
    writer_.write_snapshot(snap);
  } catch (const WriteError& e) {
    spdlog::error("{}: snapshot not written", e.what());
    return;
  }
  ++taken_;
  spdlog::info("{}: snapshot of {} live process{} written ({:.1f} ms); explain with: proctrace why {}", reason,
               alive, alive == 1 ? "" : "es", snap.duration_ns / 1e6,
               recording_name_ == "-" ? "RECORDING" : printable(recording_name_));
  if (!list) return;
  std::size_t shown = 0;
  for (auto& p : snap.processes) {
    if (!p.in_subtree) continue;
    if (++shown > kListedOnStderr) {
      spdlog::info("  ... and {} more", alive - kListedOnStderr);
      break;
    }
    spdlog::info("  pid {} {}: {}", p.pid, doing(p), printable(p.cmdline.empty() ? p.comm : join_argv(p.cmdline)));
  }
}

void give_up_stdout() {
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) return;  // keep it then: only the pipe's lifetime suffers
  ::dup2(null_fd, STDOUT_FILENO);
  ::close(null_fd);
}

}  // namespace proctrace
