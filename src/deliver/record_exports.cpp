#include "deliver/record_exports.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "deliver/user_files.h"
#include "export/export_error.h"
#include "export/http_checks.h"
#include "export/perfetto_export.h"
#include "export/recording_source.h"
#include "io/input_file.h"
#include "io/output_file.h"
#include "record/record_options.h"

namespace proctrace {

namespace {

// A descriptor the user opened, closed when done; its /proc name lets the
// path-based export read exactly that file.
class UserFile {
 public:
  UserFile(const std::optional<InvokingUser>& user, const std::string& path) : fd_(open_read_as(user, path)) {
    if (fd_ < 0) throw InputError(path + ": cannot read the recording back: " + std::strerror(-fd_));
  }
  ~UserFile() { ::close(fd_); }
  UserFile(const UserFile&) = delete;
  UserFile& operator=(const UserFile&) = delete;
  std::string proc_path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  bool same_file(const std::string& other) const {
    struct stat a {}, b {};
    return ::fstat(fd_, &a) == 0 && ::stat(other.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  }

 private:
  int fd_;
};

bool write_perfetto(const std::string& path, const UserFile& recording, bool logs,
                    const std::optional<InvokingUser>& user) {
  if (recording.same_file(path)) {
    spdlog::error("--perfetto {}: is the recording itself; give the trace another name", path);
    return false;
  }
  try {
    int fd = create_file_as(user, path);
    if (fd < 0) throw WriteError(path + ": cannot create: " + std::strerror(-fd));
    OutputFile out(fd, path, true);
    Diagnostics diag(false);
    PerfettoExport trace(out, logs);
    export_recording({recording.proc_path()}, trace, diag);
    out.commit();
    spdlog::info("Perfetto trace written to {} (open it in ui.perfetto.dev)", path);
    return true;
  } catch (const InputError& e) {
    spdlog::error("--perfetto: {}", e.what());
  } catch (const WriteError& e) {
    spdlog::error("--perfetto: {}", e.what());
  }
  return false;
}

bool send_otlp(const OtlpOptions& options, const UserFile& recording) {
  const std::string endpoint = printable_excerpt(options.endpoint);
  try {
    Diagnostics diag(false);
    OtlpExport spans(options);
    export_recording({recording.proc_path()}, spans, diag);
    spdlog::info("{} spans sent to {} in {} requests", spans.spans_sent(), endpoint, spans.requests());
    return true;
  } catch (const InputError& e) {
    spdlog::error("--otlp: {}", e.what());
  } catch (const ExportError& e) {
    spdlog::error("--otlp: {}", e.what());
  }
  return false;
}

}  // namespace

bool deliver_exports(const RecordExports& exports, const std::string& recording_path,
                     const std::optional<InvokingUser>& user) {
  try {
    UserFile recording(user, exports.logs ? strace_log_path_for(recording_path) : recording_path);
    bool ok = true;
    if (!exports.perfetto.empty()) ok = write_perfetto(exports.perfetto, recording, exports.logs, user) && ok;
    if (exports.otlp) ok = send_otlp(*exports.otlp, recording) && ok;
    return ok;
  } catch (const InputError& e) {
    spdlog::error("{}", e.what());
    return false;
  }
}

}  // namespace proctrace
