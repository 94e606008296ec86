// Shared by the strace import tests: importing inline logs and the
// compressed real-log fixtures (tests/fixtures/strace, see
// scripts/gen-strace-fixtures.sh).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "import/strace_import.h"
#include "import/syscall_table.h"
#include "test_support.h"

namespace proctrace::testing {

struct Imported {
  std::vector<std::unique_ptr<InputFile>> files;
  std::unique_ptr<SyscallTable> table = std::make_unique<SyscallTable>();
  StraceImport import;
  Meta meta;
  Diagnostics diag{false};
  std::vector<Event> events;

  const ProcessTree& tree() const { return import.tree; }
  // Processes whose last command starts with argv0 (basename compared).
  std::vector<const Process*> running(const std::string& argv0) const {
    std::vector<const Process*> out;
    for (auto& p : import.tree.processes()) {
      auto* cmd = p.command();
      if (!cmd || cmd->empty()) continue;
      std::string first = std::filesystem::path((*cmd)[0]).filename().string();
      if (first == argv0) out.push_back(&p);
    }
    return out;
  }
  const Process& root() const { return import.tree[import.tree.roots().front()]; }
  std::string name(const SyscallRecord& r) const { return std::string(table->name(r.name)); }
};

inline std::unique_ptr<Imported> import_files(const std::vector<std::string>& paths, std::size_t chunk_bytes = 0,
                                              unsigned threads = 0) {
  auto r = std::make_unique<Imported>();
  std::vector<const InputFile*> inputs;
  for (auto& p : expand_strace_ff_prefix(paths)) {
    r->files.push_back(std::make_unique<InputFile>(p));
    inputs.push_back(r->files.back().get());
  }
  r->import.syscalls = r->table.get();
  r->import.chunk_bytes = chunk_bytes;
  r->import.threads = threads;
  Imported* raw = r.get();
  r->import.on_event = [raw](const Event& e, ProcessIndex) { raw->events.push_back(e); };
  import_strace(inputs, r->import, r->meta, r->diag);
  return r;
}

// Imports an inline log (written to a temporary file).
inline std::unique_ptr<Imported> import_text(const std::string& text, std::size_t chunk_bytes = 0) {
  TempDir dir;
  std::string path = dir.file("trace.log");
  write_file(path, text);
  return import_files({path}, chunk_bytes);
}

// One `strace -f -tt` line of pid at second n/1e6 past 12:00 (n counts the
// lines of a hand-written log, so times rise with it).
inline std::string line(Pid pid, int n, const std::string& call) {
  char time[32];
  std::snprintf(time, sizeof time, "12:00:%02d.%06d", n / 1000000 % 60, n % 1000000);
  return std::to_string(pid) + " " + time + " " + call + "\n";
}

// Unpacks tests/fixtures/strace/NAME (.log.xz: returns the log's path;
// .ff.tar.xz: returns the -ff prefix).
inline std::string unpack_strace_fixture(const std::string& name, const TempDir& dir) {
  std::string src = fixture("strace/" + name);
  if (name.ends_with(".tar.xz")) {
    auto r = run({"tar", "-xJf", src, "-C", dir.path()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string stem = name.substr(0, name.size() - 7);  // "bash.ff"
    return dir.file(stem + "/trace");
  }
  auto r = run({"xz", "-dc", src});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = dir.file(name.substr(0, name.size() - 3));
  write_file(out, r.out);
  return out;
}

}  // namespace proctrace::testing
