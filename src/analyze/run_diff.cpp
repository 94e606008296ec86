#include "analyze/run_diff.h"

#include <algorithm>
#include <string_view>

#include "analyze/argv_normalize.h"
#include "analyze/run_own_time.h"
#include "analyze/side_by_side.h"

namespace proctrace {

namespace {

// The run's program and normalized arguments, '\0' between them, into key
// (one buffer for every run: a million keys, no allocation each).
void match_key(const BuildRecording& rec, const ProgramRun& run, std::string& key) {
  key.assign(rec.program(run.program));
  // argv[0] is skipped: the program names the run, and a wrapper may set
  // argv[0] to anything.
  std::string_view args = run.argv;
  std::size_t nul = args.find('\0');
  args = nul == std::string_view::npos ? std::string_view() : args.substr(nul + 1);
  while (true) {
    key += '\0';
    std::size_t end = args.find('\0');
    append_normalized_argument(key, args.substr(0, end));
    if (end == std::string_view::npos) break;
    args.remove_prefix(end + 1);
  }
}

// A run's match key as 128 bits, two independent 64-bit hashes of the key
// text: a million runs then need 24 bytes each instead of their key
// strings in a map. Two different keys would share it with odds below
// 1e-25 for a million runs, so equal hashes are taken as equal keys.
struct KeyHash {
  std::uint64_t a = 0, b = 0;
  bool operator==(const KeyHash& o) const { return a == o.a && b == o.b; }
  bool operator<(const KeyHash& o) const { return a != o.a ? a < o.a : b < o.b; }
};

KeyHash hash_key(std::string_view key) {
  KeyHash h;
  h.a = std::hash<std::string_view>()(key);
  // FNV-1a 64, independent of the library's hash.
  h.b = 0xcbf29ce484222325ull;
  for (unsigned char c : key) h.b = (h.b ^ c) * 0x100000001b3ull;
  return h;
}

struct KeyedRun {
  KeyHash key;
  Nanos start;
  std::uint32_t run;
};

// Every run with its key, sorted by key, then start: runs with one key sit
// together in the order they started.
std::vector<KeyedRun> runs_by_key(const BuildRecording& rec) {
  std::vector<KeyedRun> keyed;
  keyed.reserve(rec.runs.size());
  std::string key;
  for (std::uint32_t i = 0; i < rec.runs.size(); ++i) {
    match_key(rec, rec.runs[i], key);
    keyed.push_back({hash_key(key), rec.runs[i].start, i});
  }
  std::sort(keyed.begin(), keyed.end(), [](const KeyedRun& x, const KeyedRun& y) {
    if (!(x.key == y.key)) return x.key < y.key;
    return x.start != y.start ? x.start < y.start : x.run < y.run;
  });
  return keyed;
}

Nanos wall(const BuildRecording& rec) { return rec.last - rec.first; }

// What the pairing needs of one recording, computed for both at once.
struct Side {
  std::vector<KeyedRun> keyed;
  std::vector<Nanos> own;
};

Side prepare(const BuildRecording& rec) { return {runs_by_key(rec), run_own_times(rec)}; }

}  // namespace

RunDiff diff_runs(const BuildRecording& before, const BuildRecording& after) {
  RunDiff diff;
  diff.wall_before = wall(before);
  diff.wall_after = wall(after);
  Side a, b;
  side_by_side([&] { a = prepare(before); }, [&] { b = prepare(after); });
  const std::vector<KeyedRun>& a_keyed = a.keyed;
  const std::vector<KeyedRun>& b_keyed = b.keyed;
  const std::vector<Nanos>& own_before = a.own;
  const std::vector<Nanos>& own_after = b.own;

  auto add = [&](std::uint32_t a, std::uint32_t b) {
    RunChange c;
    c.before = a;
    c.after = b;
    if (a != kNoRun) c.wall_before = before.runs[a].duration(), c.own_before = own_before[a];
    if (b != kNoRun) c.wall_after = after.runs[b].duration(), c.own_after = own_after[b];
    if (c.matched() && before.failed(before.runs[a]) != after.failed(after.runs[b])) diff.status_changes.push_back(c);
    diff.changes.push_back(c);
  };
  // Both lists in key order: walk them together, one key at a time, pairing
  // the runs of a key in start order.
  diff.changes.reserve(std::max(a_keyed.size(), b_keyed.size()));
  std::size_t i = 0, j = 0;
  while (i < a_keyed.size() || j < b_keyed.size()) {
    KeyHash key = j == b_keyed.size() || (i < a_keyed.size() && a_keyed[i].key < b_keyed[j].key) ? a_keyed[i].key
                                                                                                : b_keyed[j].key;
    std::size_t i_end = i, j_end = j;
    while (i_end < a_keyed.size() && a_keyed[i_end].key == key) ++i_end;
    while (j_end < b_keyed.size() && b_keyed[j_end].key == key) ++j_end;
    for (; i < i_end || j < j_end; ++i, ++j)
      add(i < i_end ? a_keyed[i].run : kNoRun, j < j_end ? b_keyed[j].run : kNoRun);
    i = i_end;
    j = j_end;
  }

  // Largest |impact| first; ties in a stable order (first recording's runs
  // by index, then the second's), so the text does not depend on hashing.
  auto magnitude = [](const RunChange& c) {
    std::int64_t i = c.impact();
    return i < 0 ? -i : i;
  };
  auto order = [&](const RunChange& x, const RunChange& y) {
    if (magnitude(x) != magnitude(y)) return magnitude(x) > magnitude(y);
    if (x.before != y.before) return x.before < y.before;
    return x.after < y.after;
  };
  std::sort(diff.changes.begin(), diff.changes.end(), order);
  std::sort(diff.status_changes.begin(), diff.status_changes.end(), order);
  return diff;
}

}  // namespace proctrace
