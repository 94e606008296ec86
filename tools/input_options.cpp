#include "tools/input_options.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "io/output_file.h"

namespace proctrace::cli {

namespace {

// Runs body and maps errors to exit codes.
int guarded(const std::function<void(Diagnostics&)>& body) {
  Diagnostics diag;
  try {
    body(diag);
  } catch (const InputError& e) {
    diag.finish();
    spdlog::error("{}", e.what());
    return kExitFailure;
  } catch (const WriteError& e) {
    spdlog::error("{}", e.what());
    return kExitFailure;
  }
  diag.finish();
  return diag.errors() ? kExitInputErrors : kExitOk;
}

// run_on_trace's models, left for the exit to reclaim. The list is never
// freed, so each model stays reachable (kept, not leaked, to
// LeakSanitizer) however many a command loads.
std::vector<const Trace*>& kept_until_exit() {
  static auto* kept = new std::vector<const Trace*>;
  return *kept;
}

std::vector<std::string> or_stdin(const std::vector<std::string>& inputs) {
  return inputs.empty() ? std::vector<std::string>{"-"} : inputs;
}

}  // namespace

int run_guarded(const std::function<void(Diagnostics&)>& body) { return guarded(body); }

void add_load_options(CLI::App& cmd, LoadOptions& load) {
  cmd.add_option("--attach-pid", load.attach_pid,
                 "strace logs without pid prefixes (strace -p PID, no -f): the pid of the traced process, "
                 "when the log does not name it")
      ->check(CLI::Range(1, 0x3fffffff));
  cmd.add_option("--date", load.date,
                 "strace -t/-tt logs print no date: the day their first line was written, YYYY-MM-DD (default: "
                 "the day the log file was last written)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            int y = 0, m = 0, d = 0;
            char end = 0;
            if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
                text[4] != '-' || text[7] != '-')
              return "expected YYYY-MM-DD";
            static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap))
              return "no such day: " + text;
            return {};
          },
          "YYYY-MM-DD"));
}

std::size_t terminal_width(const std::string& output) {
  if (output != "-" || !::isatty(STDOUT_FILENO)) return 0;
  struct winsize size {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

int run_on_trace(const std::vector<std::string>& inputs, const LoadOptions& options,
                 const std::function<void(const Trace&)>& body) {
  return guarded([&](Diagnostics& diag) {
    std::unique_ptr<Trace> trace = load_trace(or_stdin(inputs), diag, options);
    body(*trace);
    // The command ends right after its view, and the kernel takes the
    // model's pages back at once, where freeing it block by block (300k
    // processes, their segments and argvs) was a tenth of the CPU time of
    // a million-event run. Still reachable, so not a leak to LeakSanitizer.
    // The input files still close (and unmap) here as before.
    auto inputs = std::move(trace->inputs);
    kept_until_exit().push_back(trace.release());
  });
}

int run_on_stream(const std::vector<std::string>& inputs, const LoadOptions& options, TraceStreamSink& sink) {
  return guarded([&](Diagnostics& diag) { stream_trace(open_inputs(or_stdin(inputs)), sink, diag, options); });
}

}  // namespace proctrace::cli
