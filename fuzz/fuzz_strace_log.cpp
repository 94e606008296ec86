// Fuzzes the strace importer as a whole: dialect detection, pid
// bookkeeping, joining <unfinished>/<resumed> halves (also across chunk
// boundaries, which the first byte of the input places), -ff file sets,
// lifecycle events, the syscall table, the process model and the fd replay
// of the state at the log's end (`why`). Every event it emits must be in
// timestamp order and survive a write/read round trip.
//
// Input: byte 0 picks the mode (bits 0-1: chunk size, bit 2: the rest is
// split at '\x1e' into the files of an strace -ff run named trace.PID).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "import/fd_replay.h"
#include "import/log_end_snapshot.h"
#include "import/strace_import.h"
#include "import/syscall_table.h"
#include "io/event_json.h"
#include "io/input_file.h"

using namespace proctrace;

namespace {

// Real files: -ff mode takes each file's pid from its name.
const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string d = "/dev/shm/proctrace-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

std::string write_file(const std::string& name, std::string_view data) {
  std::string path = scratch_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return -1;
  const std::uint8_t mode = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!looks_like_strace(text)) return -1;  // fuzz_recording's job

  std::vector<std::string> paths;
  if (mode & 4) {
    std::size_t pos = 0;
    for (int i = 0; pos <= text.size() && i < 8; ++i) {
      std::size_t sep = text.find('\x1e', pos);
      if (sep == std::string_view::npos || i == 7) sep = text.size();
      paths.push_back(write_file("trace." + std::to_string(1000 + i), text.substr(pos, sep - pos)));
      pos = sep + 1;
    }
  } else {
    paths.push_back(write_file("log", text));
  }

  std::vector<std::unique_ptr<InputFile>> files;
  std::vector<const InputFile*> inputs;
  for (auto& p : paths) {
    files.push_back(std::make_unique<InputFile>(p));
    inputs.push_back(files.back().get());
  }

  static constexpr std::size_t kChunkBytes[] = {0, 64, 257, 1024};
  SyscallTable syscalls;
  StraceImport import;
  import.syscalls = &syscalls;
  import.threads = 1;
  import.chunk_bytes = kChunkBytes[mode & 3];
  Nanos last = 0;
  bool any = false;
  std::string json;
  ParsedLine parsed;
  import.on_event = [&](const Event& e, ProcessIndex p) {
    FUZZ_CHECK(!any || last <= e.timestamp, "events out of timestamp order");
    any = true;
    last = e.timestamp;
    FUZZ_CHECK(p == kNoProcess || p < import.tree.size() + 1000000, "absurd process index");
    json.clear();
    append_event_json(json, e);
    FUZZ_CHECK(parse_line(json, parsed) && parsed.kind == LineKind::Event, json + "\n" + parsed.error);
  };
  Meta meta;
  Diagnostics diag(/*print=*/false);
  try {
    import_strace(inputs, import, meta, diag);
    for (const Process& proc : import.tree.processes()) {
      FUZZ_CHECK(proc.parent == kNoProcess || proc.parent < import.tree.size(), "bad parent index");
      for (ProcessIndex c : proc.children) FUZZ_CHECK(c < import.tree.size(), "bad child index");
    }
    std::size_t n = 0;
    for (const SyscallRecord& r : syscalls) {
      (void)r;
      ++n;
    }
    FUZZ_CHECK(n == syscalls.size(), "syscall table iteration and size disagree");
    // What `why` replays: fd tables from the calls, the state at the end.
    if (auto snap = strace::snapshot_at_log_end(import.tree, syscalls)) {
      FUZZ_CHECK(snap->reason == "log-ended", "log-end snapshot with another reason");
      for (const SnapshotProcess& p : snap->processes)
        FUZZ_CHECK(p.fds.size() <= strace::FdReplay::kMaxLiveFds, "more fds than the replay bound");
    }
  } catch (const InputError&) {
    // No strace line at all: exit code 1, a documented outcome.
  }
  return 0;
}
