#include "analyze/record_filter.h"

#include <algorithm>

#include "analyze/parallel_scan.h"

namespace proctrace {

std::vector<bool> syscall_ids(const SyscallTable& table, const std::function<bool(std::string_view)>& wanted) {
  std::vector<bool> ids(table.name_count(), false);
  for (std::size_t id = 1; id < ids.size(); ++id) ids[id] = wanted(table.name(static_cast<SyscallId>(id)));
  return ids;
}

std::vector<const SyscallRecord*> collect_records(const SyscallTable& table, const Selection& selection,
                                                  const std::vector<bool>& ids) {
  unsigned workers = scan_workers(table);
  std::vector<std::vector<const SyscallRecord*>> found(workers);
  scan_records(table, workers, [&](unsigned w, std::span<const SyscallRecord> records) {
    auto& out = found[w];
    for (const SyscallRecord& r : records)
      if (r.name < ids.size() && ids[r.name] && selection.has_call(r.process, r.tid, r.tgid)) out.push_back(&r);
  });
  if (workers == 1) return std::move(found[0]);
  std::size_t n = 0;
  for (auto& f : found) n += f.size();
  std::vector<const SyscallRecord*> all;
  all.reserve(n);
  for (auto& f : found) all.insert(all.end(), f.begin(), f.end());
  return all;
}

void sort_by_start(std::vector<const SyscallRecord*>& records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const SyscallRecord* a, const SyscallRecord* b) { return a->start < b->start; });
}

const std::vector<std::string>& call_sort_keys() {
  static const std::vector<std::string> keys = {"time", "duration", "pid"};
  return keys;
}

void sort_calls(std::vector<const SyscallRecord*>& records, const std::string& key) {
  sort_by_start(records);
  if (key == "duration") {
    std::stable_sort(records.begin(), records.end(), [](auto* a, auto* b) {
      Nanos da = a->has_duration() ? a->duration : 0, db = b->has_duration() ? b->duration : 0;
      return da > db;
    });
  } else if (key == "pid") {
    std::stable_sort(records.begin(), records.end(), [](auto* a, auto* b) {
      return a->tgid != b->tgid ? a->tgid < b->tgid : a->process < b->process;
    });
  }
}

}  // namespace proctrace
