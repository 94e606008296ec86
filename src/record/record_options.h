// What `proctrace record` was asked to do; shared by the BPF and strace backends.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bpf/proctrace_events.h"

namespace proctrace {

struct InvokingUser;

enum class RecordBackend { Auto, Bpf, Strace };

struct RecordOptions {
  std::vector<std::string> command;  // argv of the target
  // --attach: record this running process and its descendants instead of
  // running a command (eBPF only; 0: run `command`).
  int attach_pid = 0;
  // Recording path; "-" for stdout (the command's stdout then goes to
  // stderr); empty: a new file named after the time (record/recording_output.h).
  std::string output;
  RecordBackend backend = RecordBackend::Auto;
  // After the root exits, how long to wait for its tracked descendants.
  double wait_descendants_seconds = 0;
  std::size_t argv_cap_bytes = PT_DEFAULT_ARGV_CAP;
  std::size_t ringbuf_bytes = PT_DEFAULT_RINGBUF_BYTES;
  // --timeout: 0 never. At the timeout the tree is snapshotted, sent
  // timeout_signal, and KILLed kill_after_seconds later (record/tree_timeout.h).
  double timeout_seconds = 0;
  int timeout_signal = 15;  // SIGTERM
  double kill_after_seconds = 5;
  // --all (strace backend): trace every syscall, not only the process
  // lifecycle, and keep strace's whole log next to the recording
  // (strace_log_path_for) so the syscall analyses can read it.
  bool all_syscalls = false;
  // When set, receives the name of the file recorded to (the default name
  // is chosen at open time), for --report-dir to read it back.
  std::string* recorded_path = nullptr;
};

// Runs the target under strace and converts its output on the fly to the
// recording format (src/record/strace_backend.cpp). Returns the process exit
// code: the target's status, or kExitUsage/kExitFailure for proctrace errors.
// Under sudo, `user` is who ran it (record/user_rights.h).
int record_with_strace(const RecordOptions& options, const std::optional<InvokingUser>& user);

// Where --all keeps strace's log: the recording's name with .strace.log for
// its .jsonl (.jsonl.zst, .jsonl.gz) ending, or appended to any other name.
std::string strace_log_path_for(const std::string& recording);

}  // namespace proctrace
