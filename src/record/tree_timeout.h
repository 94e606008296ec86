// `record --timeout`: coreutils timeout(1) semantics applied to the whole
// recorded tree. When time is up the recorder snapshots the tree, sends
// --timeout-signal (TERM) to every live process of it, and after --kill-after
// sends KILL to what is left. The exit status is then 124 (137 if KILL was
// needed), as timeout(1) reports it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"

namespace proctrace {

inline constexpr int kExitTimedOut = 124;  // timeout(1)'s status
inline constexpr double kDefaultKillAfterSeconds = 5;

// "1.5", "2s", "3m", "1h", "1d" (timeout(1)'s DURATION). nullopt on anything
// else, negative or not finite.
std::optional<double> parse_duration(std::string_view text);
// "TERM", "SIGTERM", "term", "15" -> 15; nullopt when unknown.
std::optional<int> parse_signal(std::string_view text);

class TreeTimeout {
 public:
  using Clock = std::chrono::steady_clock;
  // timeout_seconds 0: never fires.
  TreeTimeout(double timeout_seconds, int signal, double kill_after_seconds);

  enum class Step { None, Expire, Kill };
  // What is due now: Expire once (snapshot, then signal_tree(signal())),
  // Kill once after the grace period (signal_tree(SIGKILL)).
  Step due(Clock::time_point now);
  bool fired() const { return fired_; }
  bool killed() const { return killed_; }
  int signal() const { return signal_; }
  // After the KILL, how long to wait for the kernel to finish the tree off.
  bool given_up(Clock::time_point now) const { return killed_ && now >= kill_at_ + std::chrono::seconds(1); }
  // The status the recorder reports after firing.
  int exit_status() const { return killed_ ? 128 + 9 : kExitTimedOut; }

 private:
  std::optional<Clock::time_point> expire_at_;
  Clock::time_point kill_at_;
  Clock::duration grace_;
  int signal_;
  bool fired_ = false;
  bool killed_ = false;
};

// Sends sig to every pid (a tracked set: the root and its descendants).
void signal_tree(const std::vector<Pid>& pids, int sig);

}  // namespace proctrace
