#include <cstdlib>
#include <map>

#include <spdlog/spdlog.h>

#include "deliver/record_exports.h"
#include "deliver/report_dir.h"
#include "export/export_error.h"
#include "export/otlp_environment.h"
#include "export/http_checks.h"
#include "io/diagnostics.h"
#include "record/record.h"
#include "record/tree_timeout.h"
#include "tools/commands.h"

namespace proctrace::cli {

namespace {

CLI::Validator duration_check() {
  return CLI::Validator(
      [](std::string& text) {
        return parse_duration(text) ? std::string() : "expected a duration like 1.5, 30s, 5m or 2h, got '" + text + "'";
      },
      "DURATION");
}

}  // namespace

void add_record_command(CLI::App& app, ExitCodeSlot& exit) {
  auto options = std::make_shared<RecordOptions>();
  auto* cmd = app.add_subcommand("record", "Run a command and record its process subtree");
  cmd->add_option("-o,--output", options->output,
                  "Recording file; - for stdout, and the command's stdout then goes to stderr. A name ending in .zst "
                  "or .gz is written compressed (zstd/gzip, streaming, one frame per write so a killed recorder "
                  "leaves a readable file). Default: a new proctrace-YYYYMMDD-HHMMSS.jsonl in the current "
                  "directory, named on stderr");
  const std::map<std::string, RecordBackend> backends{
      {"auto", RecordBackend::Auto}, {"bpf", RecordBackend::Bpf}, {"strace", RecordBackend::Strace}};
  cmd->add_option("--backend", options->backend,
                  "auto: eBPF when permitted, else strace; bpf: eBPF only; strace: strace -f")
      ->transform(CLI::CheckedTransformer(backends, CLI::ignore_case))
      ->default_str("auto");
  cmd->add_flag("--all", options->all_syscalls,
                "Trace every syscall with strace (implies --backend strace) and keep strace's whole log beside the "
                "recording, as NAME.strace.log for -o NAME.jsonl: summary, files, io, why... read it");
  cmd->add_option("--wait-descendants", options->wait_descendants_seconds,
                  "After the command exits, keep recording up to SECONDS (0 to 604800, 7 days) for processes it left "
                  "running")
      ->capture_default_str();
  cmd->add_option("--argv-cap", options->argv_cap_bytes,
                  "Record at most this much of each argv (e.g. 256K); longer ones are marked truncated")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option("--ringbuf-size", options->ringbuf_bytes, "Kernel-to-recorder buffer, a power of two (e.g. 8M)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--timeout",
         [options](const std::string& text) { options->timeout_seconds = parse_duration(text).value_or(0); },
         "Stop after DURATION (1.5, 30s, 5m, 2h): snapshot the live processes for `proctrace why`, signal the "
         "whole tree, exit 124")
      ->check(duration_check());
  cmd->add_option_function<std::string>(
         "--timeout-signal", [options](const std::string& text) { options->timeout_signal = *parse_signal(text); },
         "Signal sent to the tree at the timeout (default TERM)")
      ->check(CLI::Validator(
          [](std::string& text) { return parse_signal(text) ? std::string() : "unknown signal '" + text + "'"; },
          "SIGNAL"));
  cmd->add_option_function<std::string>(
         "--kill-after",
         [options](const std::string& text) { options->kill_after_seconds = parse_duration(text).value_or(0); },
         "After the timeout signal, KILL what is left after DURATION (default 5s; exit 137 then)")
      ->check(duration_check());
  // The original proctrace's flag; the same as PROCTRACE_LOG=debug, for this command.
  auto debug = std::make_shared<bool>(false);
  cmd->add_flag("--debug", *debug,
                "Show the recorder's own diagnostics on stderr: how the eBPF program loaded and attached (libbpf's "
                "log), which probes it chose, its CPU time");
  // The original proctrace ran bpftrace from this path; scripts written for it
  // keep working, told once that the option no longer does anything.
  auto bpftrace_path = std::make_shared<std::string>();
  cmd->add_option("-b,--bpftrace-path", *bpftrace_path,
                  "Accepted for the original proctrace's command lines and ignored: the recorder is built in");
  auto report = std::make_shared<ReportDirOptions>();
  cmd->add_option("--report-dir", report->dir,
                  "After the command: write recording.jsonl, report.html, chart.mmd and summary.md (GitHub Markdown "
                  "with Mermaid) into DIR, and append summary.md to $GITHUB_STEP_SUMMARY when set");
  const std::map<std::string, ReportWhen> whens{{"failure", ReportWhen::Failure}, {"always", ReportWhen::Always}};
  cmd->add_option("--report-on", report->when,
                  "failure: only when the command failed, was killed, timed out or left work alive; always")
      ->transform(CLI::CheckedTransformer(whens, CLI::ignore_case))
      ->default_str("failure");
  cmd->add_flag("--redact,!--no-redact", report->redact,
                "--report-dir: mask secrets in command lines (--password=X, TOKEN=X, user:pass@ URLs, "
                "Authorization headers, GitHub/AWS/... tokens) as *** in every file of DIR; on by default. The "
                "recording itself (-o) stays as recorded");
  auto redact_patterns = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--redact-pattern", *redact_patterns,
                  "--report-dir: also mask every match of this regular expression (RE2 syntax, e.g. "
                  "'corp-[0-9a-f]{32}') in command lines as ***; repeatable. Matching takes linear time, however "
                  "long the command line")
      ->type_name("REGEX")
      ->allow_extra_args(false);
  // systrument's one-step form: export as soon as the command has ended.
  auto exports = std::make_shared<RecordExports>();
  auto otlp = std::make_shared<bool>(false);
  auto otlp_endpoint = std::make_shared<std::string>();
  cmd->add_option("--perfetto", exports->perfetto,
                  "After the command: also write the recording as a Perfetto trace (.pftrace) for ui.perfetto.dev, "
                  "as `proctrace export --perfetto` does");
  cmd->add_flag("--otlp", *otlp,
                "After the command: also send the recording's spans over OTLP/HTTP, as `proctrace export --otlp` "
                "does (endpoint, protocol, TRACEPARENT and resource from the OTEL_* environment)");
  cmd->add_option("--otlp-endpoint", *otlp_endpoint, "OTLP traces URL for --otlp (implies --otlp)");
  cmd->add_flag("--logs", exports->logs,
                "With --all and --otlp/--perfetto: export strace's log, so every syscall line goes out too, as OTLP "
                "log records or Perfetto log entries (see export --logs)");
  cmd->add_option("--attach", options->attach_pid,
                  "Record a process that is already running, and every descendant it has now or forks later, "
                  "until they have all exited or Ctrl-C (instead of a command; eBPF only; under sudo, your own "
                  "processes only). Their history before the attach is not in the recording")
      ->type_name("PID");
  cmd->add_option("command", options->command, "The command to record and its arguments (after --)");
  cmd->callback([options, report, debug, bpftrace_path, redact_patterns, exports, otlp, otlp_endpoint, &exit] {
    if (*debug && !spdlog::should_log(spdlog::level::debug)) spdlog::set_level(spdlog::level::debug);
    // Checked before anything runs: a pattern that does not compile would
    // otherwise surface only after the job, with its secrets unmasked.
    if (!redact_patterns->empty() && (report->dir.empty() || !report->redact)) {
      spdlog::error("--redact-pattern masks the files of --report-dir: give --report-dir DIR, without --no-redact");
      exit.code = kExitUsage;
      return;
    }
    for (const std::string& pattern : *redact_patterns) {
      std::string error;
      if (!report->redact_patterns.add(pattern, error)) {
        spdlog::error("--redact-pattern \"{}\": {}", printable_excerpt(pattern, 80), printable_excerpt(error, 200));
        exit.code = kExitUsage;
        return;
      }
    }
    if (!bpftrace_path->empty())
      spdlog::warn("-b/--bpftrace-path is ignored: this proctrace records with its own eBPF program, not bpftrace");
    // Where the OTLP spans go is settled before the command runs: a bad
    // URL or environment must not surface only after a long job.
    if (*otlp || !otlp_endpoint->empty()) {
      std::vector<std::string> ignored;
      try {
        exports->otlp = otlp_options_from_environment(ignored);
      } catch (const ExportError& e) {
        spdlog::error("record --otlp: {}", e.what());
        exit.code = kExitUsage;
        return;
      }
      for (const std::string& why : ignored) spdlog::warn("record --otlp: {}", why);
      if (!otlp_endpoint->empty()) {
        if (!is_http_url(*otlp_endpoint)) {
          spdlog::error("record: \"{}\": only http:// and https:// URLs are accepted", printable_excerpt(*otlp_endpoint));
          exit.code = kExitUsage;
          return;
        }
        exports->otlp->endpoint = *otlp_endpoint;
      }
    }
    if (exports->logs && (!options->all_syscalls || !exports->any())) {
      spdlog::error("record --logs sends the syscall lines of --all's strace log: give --all and --otlp or --perfetto");
      exit.code = kExitUsage;
      return;
    }
    if (exports->logs && exports->otlp) {
      exports->otlp->logs = true;
      if (!otlp_endpoint->empty()) exports->otlp->logs_endpoint = logs_endpoint_for(*otlp_endpoint);
      if (!is_http_url(exports->otlp->logs_endpoint)) {
        spdlog::error("record --logs: \"{}\": only http:// and https:// URLs are accepted",
                      printable_excerpt(exports->otlp->logs_endpoint));
        exit.code = kExitUsage;
        return;
      }
    }
    if (report->dir.empty() && !exports->any()) {
      exit.code = record(*options);
      return;
    }
    if (options->output == "-") {
      spdlog::error("--report-dir, --perfetto and --otlp read the recording back: give it a file (-o FILE), not stdout");
      exit.code = kExitUsage;
      return;
    }
    std::string recorded;
    options->recorded_path = &recorded;
    exit.code = record(*options);
    options->recorded_path = nullptr;
    if (recorded.empty()) return;  // nothing was recorded; record() said why
    // The command's status passes through whatever happens to the report
    // and the exports; their failures are logged.
    const auto user = sudo_invoking_user().user;
    if (!report->dir.empty()) {
      if (const char* step = std::getenv("GITHUB_STEP_SUMMARY")) report->step_summary = step;
      (void)deliver_report(*report, recorded, exit.code, user);
    }
    if (exports->any()) (void)deliver_exports(*exports, recorded, user);
  });
}

}  // namespace proctrace::cli
