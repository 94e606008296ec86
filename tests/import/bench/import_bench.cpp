// Loads strace logs the way every command does (load_trace) and prints what
// it found, for scripts/bench/import.sh to time.
//   proctrace_import_bench [--syscalls] [--threads N] LOG...
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "import/syscall_table.h"
#include "load/trace.h"

int main(int argc, char** argv) {
  using namespace proctrace;
  LoadOptions options;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--syscalls") == 0) options.keep_syscalls = true;
    else paths.emplace_back(argv[i]);
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [--syscalls] LOG...\n", argv[0]);
    return 2;
  }
  Diagnostics diag(true, 5);
  try {
    auto trace = load_trace(paths, diag, options);
    std::size_t records = trace->syscalls ? trace->syscalls->size() : 0;
    std::printf("events %zu processes %zu syscall_records %zu bad_lines %llu\n", trace->events.size(),
                trace->tree.size(), records, static_cast<unsigned long long>(diag.errors()));
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  diag.finish();
  return 0;
}
