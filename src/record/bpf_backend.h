// The eBPF recorder in its two steps, so that `--backend auto` can fall back
// to strace when loading fails, before anything was started.
#pragma once

#include <memory>
#include <string>

#include "record/bpf_session.h"
#include "record/record_options.h"
#include "record/user_rights.h"

namespace proctrace {

struct BpfLoadResult {
  std::unique_ptr<BpfSession> session;
  std::string problem;  // when session is null: what is missing and how to fix it
  int exit_code = 0;    // when session is null: kExitUsage (privileges, BTF) or kExitFailure
};
BpfLoadResult load_bpf_recorder(const RecordOptions& options);

// Runs the target under the loaded recorder and writes the recording.
int run_bpf_recording(const RecordOptions& options, BpfSession& session, const std::optional<InvokingUser>& user);

}  // namespace proctrace
