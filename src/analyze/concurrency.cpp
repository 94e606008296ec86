#include "analyze/concurrency.h"

#include <algorithm>
#include <unordered_map>

namespace proctrace {

Concurrency concurrency(const BuildRecording& rec, bool keep_steps, std::size_t longest) {
  Concurrency c;
  const std::size_t n = rec.processes.size();
  if (n == 0) return c;

  // Every start and end, in time order; at a tie, ends before starts so a
  // job handing over to the next at the same instant does not count twice.
  struct Change {
    Nanos at;
    std::uint32_t span;
    bool start;
  };
  std::vector<Change> changes;
  changes.reserve(2 * n);
  for (std::uint32_t i = 0; i < n; ++i) {
    changes.push_back({rec.processes[i].start, i, true});
    changes.push_back({rec.processes[i].end, i, false});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.start != b.start) return !a.start;
    return a.span < b.span;
  });

  std::vector<std::uint32_t> live_children(n, 0);
  std::vector<bool> alive(n, false);
  std::uint64_t working = 0, alive_count = 0;
  // XOR of the working spans: when one process works, this is that one.
  std::uint32_t working_xor = 0;
  auto set_working = [&](std::uint32_t s, bool on) {
    working += on ? 1 : -1;
    working_xor ^= s;
  };

  SerialStretch stretch;
  bool in_stretch = false;
  // Time each process worked alone in the current stretch, and the leader:
  // a serial build is one long stretch through every job, so this must not
  // be scanned per change.
  std::unordered_map<std::uint32_t, Nanos> holders;
  Nanos best_held = 0;
  auto close_stretch = [&](Nanos at) {
    if (!in_stretch) return;
    in_stretch = false;
    stretch.to = at;
    if (stretch.duration() == 0) return;
    c.longest_serial.push_back(stretch);
    std::sort(c.longest_serial.begin(), c.longest_serial.end(),
              [](auto& a, auto& b) { return a.duration() > b.duration(); });
    if (c.longest_serial.size() > longest) c.longest_serial.pop_back();
  };

  Nanos prev = changes.front().at;
  for (auto& ch : changes) {
    Nanos dt = ch.at - prev;
    if (dt && alive_count) {
      c.busy += dt;
      c.working_time += dt * working;
      if (c.time_at.size() <= working) c.time_at.resize(working + 1, 0);
      c.time_at[working] += dt;
      if (working == 1) {
        c.serial += dt;
        Nanos& held = holders[working_xor];
        held += dt;
        if (held > best_held) best_held = held, stretch.span = working_xor;
      }
    }
    prev = ch.at;

    const ProcessSpan& p = rec.processes[ch.span];
    bool parent_alive = p.parent != kNoSpan && alive[p.parent];
    if (ch.start) {
      alive[ch.span] = true;
      ++alive_count;
      set_working(ch.span, true);
      if (parent_alive && live_children[p.parent]++ == 0) set_working(p.parent, false);
    } else {
      alive[ch.span] = false;
      --alive_count;
      if (live_children[ch.span] == 0) set_working(ch.span, false);
      if (parent_alive && --live_children[p.parent] == 0) set_working(p.parent, true);
    }
    c.peak = std::max<std::uint32_t>(c.peak, static_cast<std::uint32_t>(working));
    if (working == 1 && !in_stretch) {
      in_stretch = true;
      stretch = {ch.at, ch.at, kNoSpan};
      holders.clear();
      best_held = 0;
    } else if (working != 1) {
      close_stretch(ch.at);
    }
    if (keep_steps) {
      if (!c.at.empty() && c.at.back() == ch.at) c.working.back() = static_cast<std::uint32_t>(working);
      else if (c.working.empty() || c.working.back() != working) {
        c.at.push_back(ch.at);
        c.working.push_back(static_cast<std::uint32_t>(working));
      }
    }
  }
  close_stretch(prev);
  if (c.time_at.size() <= c.peak) c.time_at.resize(c.peak + 1, 0);
  return c;
}

std::vector<double> concurrency_series(const Concurrency& c, Nanos first, Nanos last, std::size_t buckets) {
  std::vector<double> out(buckets, 0.0);
  if (buckets == 0 || last <= first || c.at.empty()) return out;
  double width = static_cast<double>(last - first) / static_cast<double>(buckets);
  for (std::size_t i = 0; i < c.at.size(); ++i) {
    Nanos from = std::max(c.at[i], first);
    Nanos to = i + 1 < c.at.size() ? std::min(c.at[i + 1], last) : last;
    if (to <= from || c.working[i] == 0) continue;
    // Spread the step over the buckets it covers.
    double a = static_cast<double>(from - first), b = static_cast<double>(to - first);
    auto k = static_cast<std::size_t>(a / width);
    while (k < buckets && a < b) {
      double edge = std::min(b, static_cast<double>(k + 1) * width);
      out[k] += (edge - a) * c.working[i] / width;
      a = edge;
      ++k;
    }
  }
  return out;
}

}  // namespace proctrace
