#include "record/tree_timeout.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <csignal>
#include <string>

namespace proctrace {

namespace {

struct NamedSignal {
  std::string_view name;
  int number;
};
constexpr NamedSignal kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
};

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double unit = 1;
  switch (text.back()) {
    case 's': unit = 1; text.remove_suffix(1); break;
    case 'm': unit = 60; text.remove_suffix(1); break;
    case 'h': unit = 3600; text.remove_suffix(1); break;
    case 'd': unit = 86400; text.remove_suffix(1); break;
    default: break;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  value *= unit;
  // A year is longer than any CI job; beyond it the clock arithmetic overflows.
  if (!std::isfinite(value) || value < 0 || value > 366 * 86400.0) return std::nullopt;
  return value;
}

std::optional<int> parse_signal(std::string_view text) {
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size())
    return number > 0 && number < NSIG ? std::optional<int>(number) : std::nullopt;
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string_view name = upper;
  if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
  for (const auto& s : kSignals)
    if (s.name == name) return s.number;
  return std::nullopt;
}

TreeTimeout::TreeTimeout(double timeout_seconds, int signal, double kill_after_seconds)
    : grace_(seconds(kill_after_seconds)), signal_(signal) {
  if (timeout_seconds > 0) expire_at_ = Clock::now() + seconds(timeout_seconds);
}

TreeTimeout::Step TreeTimeout::due(Clock::time_point now) {
  if (!expire_at_) return Step::None;
  if (!fired_) {
    if (now < *expire_at_) return Step::None;
    fired_ = true;
    kill_at_ = now + grace_;
    return Step::Expire;
  }
  if (!killed_ && now >= kill_at_) {
    killed_ = true;
    return Step::Kill;
  }
  return Step::None;
}

void signal_tree(const std::vector<Pid>& pids, int sig) {
  for (Pid pid : pids)
    if (pid > 0) ::kill(pid, sig);  // gone already: ESRCH, nothing to do
}

}  // namespace proctrace
