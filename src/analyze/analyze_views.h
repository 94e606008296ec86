// The analyses of a loaded trace, one function per view (`proctrace summary`,
// `proctrace exec`, ...). Each writes text for a terminal, or one JSON
// document with --json.
//
// exec, tree and the lifecycle part of summary/pid work on any input; the
// syscall views need an strace log (with -T for times, -y for fd paths) and
// throw InputError naming what is missing when given a recording.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyze/selection.h"
#include "io/output_file.h"
#include "load/trace.h"

namespace proctrace {

struct AnalyzeOptions {
  SelectOptions select;
  bool json = false;
  std::size_t count = 25;             // summary, list-pids: processes to show (0: all)
  std::string sort;                   // summary, list-pids, files, io: sort key ("" = the view's default)
  std::vector<std::string> syscalls;  // quantize
  bool totals_only = false;           // io: per-file totals without the call list
  std::size_t truncate = 0;           // tree: cut commands to N characters (0: whole)
  std::size_t line_width = 0;         // tree: cut lines to N characters (0: whole)
};

void view_tree(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_exec(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_summary(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_list_pids(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_pid(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_files(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_directories(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_io(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);
void view_quantize(const Trace& trace, const AnalyzeOptions& options, OutputFile& out);

// Throws InputError saying the view needs an strace log when the trace has
// no syscall table (an eBPF recording).
void require_syscalls(const Trace& trace, const char* view);

}  // namespace proctrace
