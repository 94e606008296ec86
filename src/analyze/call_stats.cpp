#include "analyze/call_stats.h"

#include <algorithm>
#include <unordered_map>

#include "analyze/flat_index.h"
#include "analyze/parallel_scan.h"
#include "analyze/wait_calls.h"
#include "render/command_text.h"

namespace proctrace {

void CallStats::merge(const CallStats& o) {
  calls += o.calls;
  errors += o.errors;
  timed += o.timed;
  total += o.total;
  max = std::max(max, o.max);
  min = std::min(min, o.min);
}

std::pair<Nanos, Nanos> process_lifetime(const Process& p, Nanos trace_end) {
  Nanos end = p.end ? *p.end : std::max(trace_end, p.start);
  return {p.start, end};
}

namespace {

// A row is a process index, or for a task without lifecycle events its tgid
// with the top bit set.
constexpr std::uint32_t kLooseRow = 0x80000000u;
std::uint32_t row_key(const SyscallRecord& r) {
  return r.process == kNoProcess ? kLooseRow | static_cast<std::uint32_t>(r.tgid) : r.process;
}

struct ThreadAcc {
  std::uint64_t syscalls = 0, untimed = 0;
  Nanos active = 0, wait = 0;
  Nanos first = kUnknownNanos, last = 0;

  void merge(const ThreadAcc& o) {
    syscalls += o.syscalls;
    untimed += o.untimed;
    active += o.active;
    wait += o.wait;
    first = std::min(first, o.first);
    last = std::max(last, o.last);
  }
};

// One worker's (and, merged, the whole trace's) accumulators.
struct Acc {
  FlatIndex threads;  // row << 32 | tid
  std::vector<ThreadAcc> thread_acc;
  FlatIndex calls;  // row << 16 | name
  std::vector<CallStats> call_acc;
  FlatIndex errnos;  // row << 32 | name << 16 | errno
  std::vector<std::uint64_t> errno_acc;
  bool any_duration = false;

  template <class V>
  static V& at(FlatIndex& index, std::vector<V>& values, std::uint64_t key) {
    bool inserted;
    std::uint32_t s = index.slot(key, inserted);
    if (inserted) values.emplace_back();
    return values[s];
  }
};

constexpr std::size_t kNoRow = ~std::size_t{0};

// Row keys (see row_key) to rows: processes through a table by index, one
// slot each, the few tasks without a process through a map.
class RowIndex {
 public:
  explicit RowIndex(std::size_t processes) : by_process_(processes, kNoRow) {}
  void add(std::uint32_t key, std::size_t row) {
    if (key & kLooseRow) loose_[key] = row;
    else by_process_[key] = row;
  }
  std::size_t find(std::uint32_t key) const {
    if (!(key & kLooseRow)) return key < by_process_.size() ? by_process_[key] : kNoRow;
    auto it = loose_.find(key);
    return it == loose_.end() ? kNoRow : it->second;
  }

 private:
  std::vector<std::size_t> by_process_;
  std::unordered_map<std::uint32_t, std::size_t> loose_;
};

}  // namespace

TraceCallStats compute_call_stats(const Trace& trace, const Selection& selection, const CallStatsOptions& options) {
  TraceCallStats out;
  const ProcessTree& tree = trace.tree;
  Acc merged;
  if (trace.syscalls) {
    const SyscallTable& table = *trace.syscalls;
    out.have_calls = true;
    std::vector<WaitKind> kinds(table.name_count());
    for (std::size_t id = 0; id < kinds.size(); ++id) kinds[id] = wait_kind(table.name(static_cast<SyscallId>(id)));

    unsigned workers = scan_workers(table);
    std::vector<Acc> accs(workers);
    scan_records(table, workers, [&](unsigned w, std::span<const SyscallRecord> records) {
      Acc& acc = accs[w];
      std::uint64_t last_key = ~std::uint64_t{0};
      ThreadAcc* thread = nullptr;
      for (const SyscallRecord& r : records) {
        if (!selection.has_call(r.process, r.tid, r.tgid)) continue;
        std::uint64_t row = row_key(r);
        std::uint64_t key = row << 32 | static_cast<std::uint32_t>(r.tid);
        // Consecutive calls are often the same thread's: skip the lookup.
        if (key != last_key) {
          thread = &Acc::at(acc.threads, acc.thread_acc, key);
          last_key = key;
        }
        Nanos end = r.has_duration() ? r.start + r.duration : r.start;
        thread->first = std::min(thread->first, r.start);
        thread->last = std::max(thread->last, end);
        if (options.per_syscall) {
          Acc::at(acc.calls, acc.call_acc, row << 16 | r.name).add(r);
          if (r.failed() && r.returned())
            ++Acc::at(acc.errnos, acc.errno_acc, row << 32 | std::uint64_t{r.name} << 16 | r.err);
        }
        if (!r.returned()) {
          // Killed inside a wait (nanosleep, wait4...): it waited until then.
          if (r.has_duration() && is_waiting(kinds[r.name], r.fd_path())) {
            acc.any_duration = true;
            thread->wait += r.duration;
          }
          continue;
        }
        ++thread->syscalls;
        if (!r.has_duration()) {
          ++thread->untimed;
          continue;
        }
        acc.any_duration = true;
        if (is_waiting(kinds[r.name], r.fd_path())) thread->wait += r.duration;
        else thread->active += r.duration;
      }
    });
    for (Acc& acc : accs) {
      merged.any_duration |= acc.any_duration;
      for (std::uint32_t s = 0; s < acc.threads.size(); ++s)
        Acc::at(merged.threads, merged.thread_acc, acc.threads.key(s)).merge(acc.thread_acc[s]);
      for (std::uint32_t s = 0; s < acc.calls.size(); ++s)
        Acc::at(merged.calls, merged.call_acc, acc.calls.key(s)).merge(acc.call_acc[s]);
      for (std::uint32_t s = 0; s < acc.errnos.size(); ++s)
        Acc::at(merged.errnos, merged.errno_acc, acc.errnos.key(s)) += acc.errno_acc[s];
    }
  }
  out.have_durations = merged.any_duration;

  // The session's span from events and calls. (Stats' end timestamp of an
  // strace import is not used: it can overshoot the log's last moment.)
  Nanos first = kUnknownNanos, last = 0;
  if (trace.event_count) {
    first = trace.first_event;
    last = trace.last_event;
  }
  for (const ThreadAcc& t : merged.thread_acc) {
    first = std::min(first, t.first);
    last = std::max(last, t.last);
  }
  out.first = first == kUnknownNanos ? 0 : first;
  out.last = std::max(last, out.first);

  // Rows: selected processes in tree order, then tasks seen only in calls.
  // Sized up front: a recording has a row per process, and growing a
  // million of them by doubling held one and a half times their size.
  RowIndex row_of(tree.size());
  std::size_t selected = 0;
  for (const Process& p : tree.processes()) selected += selection.has(p.index);
  out.rows.reserve(selected);
  for (const Process& p : tree.processes()) {
    if (!selection.has(p.index)) continue;
    row_of.add(p.index, out.rows.size());
    ProcessRow& row = out.rows.emplace_back();
    row.process = p.index;
    row.pid = p.pid;
  }
  for (std::uint32_t s = 0; s < merged.threads.size(); ++s) {
    std::uint32_t row = static_cast<std::uint32_t>(merged.threads.key(s) >> 32);
    if (!(row & kLooseRow) || row_of.find(row) != kNoRow) continue;
    row_of.add(row, out.rows.size());
    ProcessRow& r = out.rows.emplace_back();
    r.pid = static_cast<Pid>(row & ~kLooseRow);
  }

  // Threads into their rows; a process's main thread lives as long as it.
  std::vector<bool> main_seen(out.rows.size(), false);
  for (std::uint32_t s = 0; s < merged.threads.size(); ++s) {
    std::uint64_t key = merged.threads.key(s);
    std::size_t found = row_of.find(static_cast<std::uint32_t>(key >> 32));
    if (found == kNoRow) continue;
    ProcessRow& row = out.rows[found];
    const ThreadAcc& t = merged.thread_acc[s];
    Pid tid = static_cast<Pid>(static_cast<std::uint32_t>(key));
    row.syscalls += t.syscalls;
    row.untimed += t.untimed;
    row.active += t.active;
    row.wait += t.wait;
    row.first_call = std::min(row.first_call, t.first);
    row.last_call = std::max(row.last_call, t.last);
    row.tids.push_back(tid);
    Nanos first = t.first, last = t.last;
    if (row.process != kNoProcess && tid == row.pid) {
      auto [start, end] = process_lifetime(tree[row.process], out.last);
      first = std::min(first, start);
      last = std::max(last, end);
      main_seen[found] = true;
    }
    row.total += last - first;
  }
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    ProcessRow& row = out.rows[i];
    std::sort(row.tids.begin(), row.tids.end());
    if (row.process == kNoProcess || main_seen[i]) continue;
    // No calls from the main thread (a recording, or calls filtered out):
    // its lifetime counts when the selection includes it.
    if (!selection.has_call(row.process, row.pid, row.pid)) continue;
    auto [start, end] = process_lifetime(tree[row.process], out.last);
    row.total += end - start;
  }

  if (options.per_syscall) {
    for (std::uint32_t s = 0; s < merged.calls.size(); ++s) {
      std::uint64_t key = merged.calls.key(s);
      std::size_t found = row_of.find(static_cast<std::uint32_t>(key >> 16));
      if (found == kNoRow) continue;
      out.rows[found].calls.push_back({static_cast<SyscallId>(key & 0xffff), merged.call_acc[s], {}});
    }
    for (ProcessRow& row : out.rows)
      std::sort(row.calls.begin(), row.calls.end(), [](const SyscallFigures& a, const SyscallFigures& b) {
        if (a.stats.total != b.stats.total) return a.stats.total > b.stats.total;
        if (a.stats.calls != b.stats.calls) return a.stats.calls > b.stats.calls;
        return a.name < b.name;
      });
    for (std::uint32_t s = 0; s < merged.errnos.size(); ++s) {
      std::uint64_t key = merged.errnos.key(s);
      std::size_t found = row_of.find(static_cast<std::uint32_t>(key >> 32));
      if (found == kNoRow) continue;
      auto name = static_cast<SyscallId>((key >> 16) & 0xffff);
      auto& calls = out.rows[found].calls;
      auto it = std::find_if(calls.begin(), calls.end(), [&](const SyscallFigures& f) { return f.name == name; });
      if (it != calls.end()) it->errnos.push_back({static_cast<ErrnoId>(key & 0xffff), merged.errno_acc[s]});
    }
    for (ProcessRow& row : out.rows)
      for (auto& f : row.calls)
        std::sort(f.errnos.begin(), f.errnos.end(),
                  [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  }

  for (ProcessRow& row : out.rows) {
    // Lifetimes come from stamps, call times from -T: with -t's whole
    // seconds a lifetime can come out shorter than the calls in it. A
    // process lives at least as long as it spends in syscalls.
    row.total = std::max(row.total, row.active + row.wait);
    out.active += row.active;
    out.wait += row.wait;
    out.total += row.total;
    out.syscalls += row.syscalls;
  }
  return out;
}

const std::vector<std::string>& process_sort_keys() {
  static const std::vector<std::string> keys = {"active_time", "children", "pid",      "syscalls",
                                                "total_time",  "user_time", "wait_time"};
  return keys;
}

std::size_t children_of(const Trace& trace, const ProcessRow& row) {
  return row.process == kNoProcess ? 0 : trace.tree[row.process].children.size();
}

std::string row_outcome(const Trace& trace, const ProcessRow& row) {
  if (row.process == kNoProcess) return "no exit seen";
  return outcome_text(trace.tree[row.process], trace.has_stats ? &trace.stats : nullptr);
}

void sort_process_rows(const Trace& trace, std::vector<const ProcessRow*>& rows, const std::string& key) {
  auto by = [&](auto value) {
    std::stable_sort(rows.begin(), rows.end(), [&](const ProcessRow* a, const ProcessRow* b) {
      return value(*a) > value(*b);
    });
  };
  if (key == "pid") {
    std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->pid < b->pid; });
  } else if (key == "children") {
    by([&](const ProcessRow& r) { return children_of(trace, r); });
  } else if (key == "syscalls") {
    by([](const ProcessRow& r) { return r.syscalls; });
  } else if (key == "total_time") {
    by([](const ProcessRow& r) { return r.total; });
  } else if (key == "user_time") {
    by([](const ProcessRow& r) { return r.user(); });
  } else if (key == "wait_time") {
    by([](const ProcessRow& r) { return r.wait; });
  } else {
    by([](const ProcessRow& r) { return r.active; });
  }
}

}  // namespace proctrace
