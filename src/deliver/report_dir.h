// `record --report-dir DIR`: after the recorded command ends, everything a CI
// user needs in one directory to upload: the recording, report.html,
// chart.mmd and summary.md; summary.md also goes to $GITHUB_STEP_SUMMARY.
#pragma once

#include <optional>
#include <string>

#include "load/trace.h"
#include "model/redact_patterns.h"
#include "record/user_rights.h"

namespace proctrace {

enum class ReportWhen {
  Failure,  // a non-zero status (a timeout's 124, a signal's 128+N), or work left alive / hung (a snapshot)
  Always,
};

struct ReportDirOptions {
  std::string dir;
  ReportWhen when = ReportWhen::Failure;
  bool redact = true;  // secrets in command lines become *** (see model/redact.h)
  RedactPatterns redact_patterns;  // --redact-pattern: the user's shapes, when redact
  // Where to append summary.md as well (GITHUB_STEP_SUMMARY); empty: nowhere.
  std::string step_summary;
};

// Whether a job with this status and recording asks for a report.
bool wants_report(ReportWhen when, int exit_status, const Trace& trace);

// Reads the recording back (as `user`), and writes the report files into
// options.dir (as `user`), when wants_report() says so. Returns false, with
// the reason logged, when something could not be read or written; the
// recorded command's status is the caller's business either way.
bool deliver_report(const ReportDirOptions& options, const std::string& recording_path, int exit_status,
                    const std::optional<InvokingUser>& user);

}  // namespace proctrace
