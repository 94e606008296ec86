#include <algorithm>
#include <chrono>
#include <map>
#include <cstdlib>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "export/clickhouse_export.h"
#include "export/export_error.h"
#include "export/http_checks.h"
#include "export/otlp_environment.h"
#include "export/otlp_export.h"
#include "export/perfetto_export.h"
#include "export/recording_source.h"
#include "export/sqlite_export.h"
#include "io/input_file.h"
#include "io/output_file.h"
#include "tools/commands.h"
#include "tools/input_options.h"

namespace proctrace::cli {

namespace {

struct ExportArgs {
  std::string sqlite;
  std::string clickhouse;
  std::string perfetto;
  bool otlp = false;
  std::string otlp_endpoint;
  std::size_t otlp_batch = 512;
  bool logs = false;
  bool relative_to_now = false;
  std::optional<OtlpProtocol> otlp_protocol;  // unset: the environment's, else http/protobuf
  std::string label;
  // Per HTTP request; unset: the default (HttpLimits, or $OTEL_EXPORTER_OTLP_TIMEOUT).
  std::optional<double> connect_timeout_s;
  std::optional<double> timeout_s;
  std::vector<std::string> inputs;
  LoadOptions load;
};

// Checked in the callback to lie in 0.001..3600 s; libcurl reads 0 as "no timeout".
std::chrono::milliseconds seconds_to_ms(double s) {
  return std::chrono::milliseconds(std::max(1LL, static_cast<long long>(s * 1000)));
}

HttpLimits http_limits(const ExportArgs& args, HttpLimits limits = {}) {
  if (args.connect_timeout_s) limits.connect_timeout = seconds_to_ms(*args.connect_timeout_s);
  if (args.timeout_s) limits.timeout = seconds_to_ms(*args.timeout_s);
  return limits;
}

// Runs one destination over every INPUT. A bad input is reported and the
// others still go out; the exit code says the worst that happened.
class ExportRun {
 public:
  explicit ExportRun(std::string destination) : destination_(std::move(destination)) {}

  template <class Body>
  void each_input(const std::vector<std::string>& inputs, Body&& body) {
    for (const std::string& input : inputs) {
      try {
        ExportOutcome outcome = body(split_input(input));
        if (outcome == ExportOutcome::Skipped)
          spdlog::info("{}: already exported to {}, skipped", input, destination_);
        else
          exported_++;
      } catch (const InputError& e) {
        spdlog::error("{}", e.what());
        failed_ = true;
      }
    }
  }
  void fail(const std::string& message) {
    spdlog::error("{}", message);
    failed_ = true;
  }
  bool failed() const { return failed_; }
  int exit_code(const Diagnostics& diag) const {
    diag.finish();
    if (failed_) return kExitFailure;
    return diag.errors() ? kExitInputErrors : kExitOk;
  }
  Diagnostics diag;

 private:
  std::string destination_;
  std::uint64_t exported_ = 0;
  bool failed_ = false;
};

// Both databases take the same rows; only the writer differs.
template <class Writer, class... WriterArgs>
int export_rows(const std::string& destination, const ExportArgs& args, WriterArgs&&... writer_args) {
  ExportRun run(destination);
  try {
    Writer db(destination, std::forward<WriterArgs>(writer_args)...);
    run.each_input(args.inputs, [&](const std::vector<std::string>& paths) {
      TableRowExport rows(db, {args.label});
      try {
        return export_recording(paths, rows, run.diag, args.load);
      } catch (...) {
        db.abort_recording();
        throw;
      }
    });
  } catch (const ExportError& e) {
    run.fail(e.what());
  }
  return run.exit_code(run.diag);
}

int export_perfetto(const ExportArgs& args) {
  if (args.inputs.size() != 1) {
    spdlog::error("export --perfetto writes one recording per file; got {} inputs", args.inputs.size());
    return kExitUsage;
  }
  // The inputs are opened (and closed) inside the export, after the output:
  // compare them with it here, before anything is read or written.
  struct stat out_st{};
  if (::stat(args.perfetto.c_str(), &out_st) == 0 && S_ISREG(out_st.st_mode)) {
    for (const std::string& path : split_input(args.inputs.front())) {
      struct stat in_st{};
      bool known = path == "-" ? ::fstat(STDIN_FILENO, &in_st) == 0 : ::stat(path.c_str(), &in_st) == 0;
      if (known && in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
        spdlog::error("{}: is also an input of this command; write to another file (nothing was changed)",
                      args.perfetto);
        return kExitFailure;
      }
    }
  }
  ExportRun run(args.perfetto);
  try {
    OutputFile out(args.perfetto);
    run.each_input(args.inputs, [&](const std::vector<std::string>& paths) {
      PerfettoExport trace(out, args.logs);
      return export_recording(paths, trace, run.diag, args.load);
    });
    if (!run.failed()) out.commit();  // else no file: nothing usable was read
  } catch (const WriteError& e) {
    run.fail(e.what());
  }
  return run.exit_code(run.diag);
}

int export_otlp(const ExportArgs& args) {
  OtlpOptions options;
  std::vector<std::string> ignored;
  try {
    options = otlp_options_from_environment(ignored);
    for (const std::string& why : ignored) spdlog::warn("export --otlp: {}", why);
  } catch (const ExportError& e) {
    spdlog::error("export --otlp: {}", e.what());
    return kExitUsage;
  }
  if (!args.otlp_endpoint.empty()) {
    options.endpoint = args.otlp_endpoint;
    options.logs_endpoint = logs_endpoint_for(args.otlp_endpoint);
  }
  options.logs = args.logs;
  options.relative_to_now = args.relative_to_now;
  options.now_unix_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  if (options.logs && !is_http_url(options.logs_endpoint)) {
    spdlog::error("export --logs: \"{}\": only http:// and https:// URLs are accepted", printable_excerpt(options.logs_endpoint));
    return kExitUsage;
  }
  if (args.otlp_protocol) options.protocol = *args.otlp_protocol;
  options.http = http_limits(args, options.http);
  options.batch_spans = std::max<std::size_t>(1, args.otlp_batch);
  const std::string endpoint = printable_excerpt(options.endpoint);
  ExportRun run(endpoint);
  try {
    run.each_input(args.inputs, [&](const std::vector<std::string>& paths) {
      OtlpExport spans(options);
      ExportOutcome outcome = export_recording(paths, spans, run.diag, args.load);
      spdlog::info("{}: {} spans sent to {} in {} requests", paths.front(), spans.spans_sent(), endpoint,
                   spans.requests());
      if (options.logs)
        spdlog::info("{}: {} syscalls sent as log records to {}", paths.front(), spans.logs_sent(),
                     printable_excerpt(options.logs_endpoint));
      return outcome;
    });
  } catch (const ExportError& e) {
    run.fail(e.what());
  }
  return run.exit_code(run.diag);
}

}  // namespace

// Exports to Perfetto, OpenTelemetry, SQLite and ClickHouse.
void add_export_command(CLI::App& app, ExitCodeSlot& exit) {
  auto* cmd = app.add_subcommand("export", "Send recordings to a database or trace viewer");
  auto args = std::make_shared<ExportArgs>();
  cmd->add_option("--sqlite", args->sqlite, "append to this SQLite database (created if absent)");
  cmd->add_option("--clickhouse", args->clickhouse,
                  "append to ClickHouse over HTTP, e.g. http://127.0.0.1:8123/?database=ci (tables created if absent)");
  cmd->add_option("--perfetto", args->perfetto, "write a Perfetto trace (.pftrace) for ui.perfetto.dev");
  cmd->add_flag("--otlp", args->otlp,
                "send spans over OTLP/HTTP to $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "
                "$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, or http://localhost:4318/v1/traces. The spans join the "
                "trace of $TRACEPARENT (W3C trace context) when set; $OTEL_SERVICE_NAME and "
                "$OTEL_RESOURCE_ATTRIBUTES describe the resource");
  cmd->add_option("--otlp-endpoint", args->otlp_endpoint, "OTLP traces URL (implies --otlp)");
  const std::map<std::string, OtlpProtocol> protocols{{"http/protobuf", OtlpProtocol::HttpProtobuf},
                                                      {"http/json", OtlpProtocol::HttpJson}};
  cmd->add_option("--otlp-protocol", args->otlp_protocol,
                  "OTLP body encoding: http/protobuf (the OTel spec's default, which every collector reads) or "
                  "http/json (what proctrace sent before it had protobuf). Else $OTEL_EXPORTER_OTLP_TRACES_PROTOCOL "
                  "or $OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf")
      ->transform(CLI::CheckedTransformer(protocols));
  cmd->add_option("--otlp-batch", args->otlp_batch, "spans (and log records) per OTLP request (default 512)");
  cmd->add_flag("--relative-to-now", args->relative_to_now,
                "--otlp: move the spans (and log records) in time so the recording's first event is now: trace "
                "backends such as Tempo drop spans older than their window, and an strace log may be days old");
  cmd->add_flag("--logs", args->logs,
                "strace logs: also send every syscall line as an OTLP log record (severity WARN when it failed) in "
                "the spans' trace, tied to its process's span, to $OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, or the traces "
                "endpoint with /v1/logs for /v1/traces; with --perfetto, write them as log entries (the UI's "
                "Android logs panel)");
  cmd->add_option("--connect-timeout", args->connect_timeout_s,
                  "seconds to wait for an HTTP endpoint to accept a connection (default 5)");
  cmd->add_option("--timeout", args->timeout_s,
                  "seconds one HTTP request may take in all (default 30; for OTLP also $OTEL_EXPORTER_OTLP_TIMEOUT "
                  "in ms). A refused connection or HTTP 429/502/503/504 is retried up to 5 times with back-off; "
                  "a timeout is not retried. Only http:// and https:// URLs are accepted, redirects are not "
                  "followed, and at most 64 KiB of each answer is read");
  cmd->add_option("--label", args->label, "free text stored with each recording (a CI run id, a branch)");
  cmd->add_option("-i,--input,input", args->inputs,
                  "recordings or strace logs (plain or .zst/.gz), one export each; the files of one strace -ff log: their prefix, or "
                  "joined with ','")
      ->required();
  add_load_options(*cmd, args->load);
  cmd->callback([args, &exit] {
    if (!args->otlp_endpoint.empty()) args->otlp = true;
    if (args->logs && !args->otlp && args->perfetto.empty()) {
      spdlog::error("export --logs adds the syscall lines to --otlp (log records) or --perfetto (log entries): give one");
      exit.code = kExitUsage;
      return;
    }
    if (args->sqlite.empty() && args->clickhouse.empty() && args->perfetto.empty() && !args->otlp) {
      spdlog::error("export: say where to: --sqlite FILE.db, --clickhouse URL, --perfetto FILE.pftrace or --otlp");
      exit.code = kExitUsage;
      return;
    }
    for (const std::optional<double>& seconds : {args->connect_timeout_s, args->timeout_s}) {
      // Written so that NaN fails too.
      if (seconds && !(*seconds >= 0.001 && *seconds <= 3600)) {
        spdlog::error("export: --connect-timeout and --timeout take 0.001 to 3600 seconds; got {}", *seconds);
        exit.code = kExitUsage;
        return;
      }
    }
    for (const std::string* url : {&args->clickhouse, &args->otlp_endpoint}) {
      if (!url->empty() && !is_http_url(*url)) {
        spdlog::error("export: \"{}\": only http:// and https:// URLs are accepted", printable_excerpt(*url));
        exit.code = kExitUsage;
        return;
      }
    }
    // Several destinations may be given; each reads every input again,
    // which stdin cannot do.
    const int destinations = !args->sqlite.empty() + !args->clickhouse.empty() + !args->perfetto.empty() + args->otlp;
    if (destinations > 1 && std::find(args->inputs.begin(), args->inputs.end(), "-") != args->inputs.end()) {
      spdlog::error("export: stdin (-) can go to one destination at a time; save it to a file first");
      exit.code = kExitUsage;
      return;
    }
    int worst = kExitOk;
    auto rank = [](int code) {
      return code == kExitUsage ? 3 : code == kExitFailure ? 2 : code == kExitInputErrors ? 1 : 0;
    };
    auto note = [&](int code) {
      if (rank(code) > rank(worst)) worst = code;
    };
    if (!args->sqlite.empty()) note(export_rows<SqliteWriter>(args->sqlite, *args));
    if (!args->clickhouse.empty()) note(export_rows<ClickHouseWriter>(args->clickhouse, *args, http_limits(*args)));
    if (!args->perfetto.empty()) note(export_perfetto(*args));
    if (args->otlp) note(export_otlp(*args));
    exit.code = worst;
  });
}

}  // namespace proctrace::cli
