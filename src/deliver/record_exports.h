// `record --perfetto FILE` and `record --otlp`: systrument's one-step form.
// When the recorded command has ended, its recording goes to a Perfetto
// trace and/or an OTLP collector, as `proctrace export` would send it.
// Under sudo the recording is read back, and the trace file created, with
// the rights of the user who ran sudo: root opens nothing on their behalf.
#pragma once

#include <optional>
#include <string>

#include "export/otlp_export.h"
#include "record/user_rights.h"

namespace proctrace {

struct RecordExports {
  std::string perfetto;  // a .pftrace to write; empty: none
  std::optional<OtlpOptions> otlp;  // where to send spans; unset: nowhere
  // --logs (with --all): export strace's log instead of the recording, so
  // each syscall line goes out too (OtlpOptions::logs, PerfettoExport's).
  bool logs = false;

  bool any() const { return !perfetto.empty() || otlp; }
};

// Sends the recording at recording_path (with logs: strace's log beside it,
// record/record_options.h) everywhere `exports` names. Returns
// false, each reason logged, when one of them failed; the others still go.
bool deliver_exports(const RecordExports& exports, const std::string& recording_path,
                     const std::optional<InvokingUser>& user);

}  // namespace proctrace
