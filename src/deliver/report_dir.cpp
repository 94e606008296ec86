#include "deliver/report_dir.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "deliver/user_files.h"
#include "io/output_file.h"
#include "io/redact_recording.h"
#include "render/renderer.h"
#include "render/summary_markdown.h"

namespace proctrace {

namespace {

// The redacted copy, for load_trace to map like a file.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view text) : fd_(::memfd_create("proctrace-report", MFD_CLOEXEC)) {
    if (fd_ < 0) throw WriteError(std::string("memfd_create: ") + std::strerror(errno));
    OutputFile out(fd_, "the redacted recording", false);
    out.write(text);
    out.commit();
  }
  ~MemoryFile() { ::close(fd_); }
  std::unique_ptr<InputFile> open() const {
    return std::make_unique<InputFile>("/proc/self/fd/" + std::to_string(fd_));
  }

 private:
  int fd_;
};

std::string as_whom(const std::optional<InvokingUser>& user) {
  return user ? " (as " + user->name + ", who ran sudo)" : "";
}

// One file of the report, created as the user and written whole.
void write_report_file(const std::optional<InvokingUser>& user, const std::string& path,
                       const std::function<void(OutputFile&)>& body) {
  int fd = create_file_as(user, path);
  if (fd < 0) throw WriteError(path + ": cannot create: " + std::strerror(-fd) + as_whom(user));
  OutputFile out(fd, path, true);
  body(out);
  out.commit();
}

void append_step_summary(const std::optional<InvokingUser>& user, const std::string& path, const std::string& md) {
  int fd = open_append_as(user, path);
  if (fd < 0) {
    spdlog::warn("GITHUB_STEP_SUMMARY={}: not appending the summary: {}{}", path,
                 fd == -EINVAL ? "not a regular file" : std::strerror(-fd), as_whom(user));
    return;
  }
  OutputFile out(fd, path, true);
  out.write(md);
  out.write("\n");
  out.commit();
}

}  // namespace

bool wants_report(ReportWhen when, int exit_status, const Trace& trace) {
  if (when == ReportWhen::Always) return true;
  // A snapshot is taken when the job timed out, or ended with work alive.
  return exit_status != 0 || !trace.snapshots.empty();
}

bool deliver_report(const ReportDirOptions& options, const std::string& recording_path, int exit_status,
                    const std::optional<InvokingUser>& user) {
  try {
    // Read back with the user's rights: a descriptor they opened, mapped
    // through its /proc name.
    int fd = open_read_as(user, recording_path);
    if (fd < 0) throw WriteError(recording_path + ": cannot read the recording back: " + std::strerror(-fd));
    std::vector<std::unique_ptr<InputFile>> inputs;
    try {
      inputs.push_back(std::make_unique<InputFile>("/proc/self/fd/" + std::to_string(fd)));
    } catch (...) {
      ::close(fd);
      throw;
    }
    struct stat read_back {};
    ::fstat(fd, &read_back);
    ::close(fd);  // the mapping stays
    const std::string_view raw = inputs.front()->data();
    // Every file of the report comes from one copy of the recording, with
    // its secrets masked unless --no-redact.
    RedactedRecording redacted;
    if (options.redact) {
      redacted = redact_recording(raw, options.redact_patterns);
      if (redacted.lines_dropped)
        spdlog::warn("--report-dir: {} line(s) of the recording did not parse and are left out of the report",
                     redacted.lines_dropped);
      MemoryFile copy(redacted.text);
      inputs.clear();
      inputs.push_back(copy.open());
    }
    const std::string_view recording = options.redact ? std::string_view(redacted.text) : raw;
    Diagnostics diag(false);
    std::unique_ptr<Trace> trace = load_trace(std::move(inputs), diag);
    if (!wants_report(options.when, exit_status, *trace)) return true;

    int dir = make_directory_as(user, options.dir);
    if (dir < 0) throw WriteError(options.dir + ": cannot create the report directory: " + std::strerror(-dir) + as_whom(user));
    ::close(dir);
    const std::string base = options.dir + "/";
    // -o DIR/recording.jsonl: the recording is there already (and
    // truncating it would pull the mapped data away).
    struct stat there {};
    if (::stat((base + "recording.jsonl").c_str(), &there) != 0 || there.st_dev != read_back.st_dev ||
        there.st_ino != read_back.st_ino)
      write_report_file(user, base + "recording.jsonl", [&](OutputFile& out) { out.write(recording); });
    else if (options.redact)
      spdlog::warn("--report-dir: {}/recording.jsonl is the recording itself (-o): its command lines are not redacted",
                   options.dir);
    write_report_file(user, base + "report.html", [&](OutputFile& out) { render_html(*trace, out, {}); });
    write_report_file(user, base + "chart.mmd", [&](OutputFile& out) { out.write(mermaid_chart(*trace)); });
    const std::string md = summary_markdown(*trace);
    write_report_file(user, base + "summary.md", [&](OutputFile& out) { out.write(md); });
    if (!options.step_summary.empty()) append_step_summary(user, options.step_summary, md);
    spdlog::info("report written to {}/ (summary.md, report.html, chart.mmd, recording.jsonl)", options.dir);
    return true;
  } catch (const InputError& e) {
    spdlog::error("--report-dir: {}", e.what());
  } catch (const WriteError& e) {
    spdlog::error("--report-dir: {}", e.what());
  }
  return false;
}

}  // namespace proctrace
