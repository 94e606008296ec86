#include "export/table_rows.h"

#include <array>
#include <chrono>
#include <iterator>

#include "import/syscall_table.h"
#include "io/json_text.h"
#include "model/thread_grouping.h"

namespace proctrace {

namespace {

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

std::optional<std::int64_t> duration(Nanos start, const std::optional<Nanos>& end) {
  if (!end || *end < start) return std::nullopt;
  return i64(*end - start);
}

// argv from the model (Argv) or from Meta (a std::vector).
template <class Args>
void argv_json(std::string& out, const Args& argv) {
  out.clear();
  out += '[';
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) out += ',';
    json::append_string(out, argv[i]);
  }
  out += ']';
}

template <class Args>
void join(std::string& out, const Args& argv) {
  out.clear();
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i) out += ' ';
    out += argv[i];
  }
}

}  // namespace

void TableRowExport::begin(const RecordingHeader& header) {
  header_ = header;
  id_ = header.hash.id();
  seq_ = 0;
  syscalls_ = 0;
  writer_.begin_recording(id_);
}

void TableRowExport::process_started(const Process& p, const Process* parent) {
  if (parent_serial_.size() <= p.index) parent_serial_.resize(p.index + 1, -1);
  parent_serial_[p.index] = parent ? static_cast<std::int64_t>(parent->serial) : -1;
}

void TableRowExport::segment_ended(const Process& p, std::size_t n) {
  const ExecSegment& s = p.segments[n];
  argv_json(argv_json_, s.argv);
  join(command_, s.argv);
  const Value row[] = {id_,
                       static_cast<std::int64_t>(p.serial),
                       static_cast<std::int64_t>(n),
                       p.pid,
                       i64(s.start),
                       Value::optional(p.segment_end(n)),
                       Value::optional(duration(s.start, p.segment_end(n))),
                       program_name(s),
                       std::string_view(s.filename),
                       std::string_view(argv_json_),
                       std::string_view(command_),
                       std::int64_t{s.inherited},
                       std::int64_t{s.truncated}};
  insert(TableId::ExecSegments, row);
}

void TableRowExport::event(const Event& e, std::string_view line, const Process& p) {
  const Value row[] = {id_,
                       seq_++,
                       i64(e.timestamp),
                       event_kind_name(e.kind),
                       e.pid,
                       static_cast<std::int64_t>(p.serial),
                       line};
  insert(TableId::Events, row);
}

void TableRowExport::process_ended(const Process& p) {
  const Argv* argv = p.command();
  if (argv) join(command_, *argv);
  else command_.clear();
  std::string_view program = p.segments.empty() ? std::string_view() : program_name(p.segments.back());
  std::int64_t execs = 0;
  for (auto& s : p.segments) execs += !s.inherited;
  std::optional<int> status;
  if (p.exit.known()) status = p.exit.shell_status();
  // The columns of export_tables(): 21 of the process, then its usage.
  constexpr std::size_t kOwn = 21;
  std::array<Value, kOwn + kResourceUsageFields.size()> row{id_,
                       static_cast<std::int64_t>(p.serial),
                       p.pid,
                       p.ppid,
                       parent_serial_[p.index] < 0 ? Value() : Value(parent_serial_[p.index]),
                       i64(p.start),
                       Value::optional(p.end),
                       Value::optional(duration(p.start, p.end)),
                       Value::optional(p.exit.code),
                       Value::optional(p.exit.signal),
                       std::int64_t{p.exit.core_dumped},
                       Value::optional(status),
                       p.pgid(),
                       p.sid(),
                       program,
                       std::string_view(command_),
                       execs,
                       static_cast<std::int64_t>(p.failed_execs),
                       std::int64_t{p.forked_in_recording},
                       static_cast<std::int64_t>(p.threads.size()),
                       // Only a process found running can be one: no Meta lookup otherwise.
                       std::int64_t{p.attached && InferredThreadGroups(*header_.meta).has(p)}};
  if (p.usage)
    for (std::size_t i = 0; i < kResourceUsageFields.size(); ++i)
      row[kOwn + i] = Value::optional((*p.usage).*kResourceUsageFields[i].value);
  insert(TableId::Processes, row.data());
}

void TableRowExport::end(const RecordingSummary& s) {
  if (s.syscalls) write_syscalls(*s.syscalls);
  const Meta& meta = *header_.meta;
  std::string source;
  for (auto& p : header_.paths) source += (source.empty() ? "" : ",") + p;
  join(command_, meta.command);
  const std::string hash = header_.hash.hex();
  const Nanos start = meta.start_timestamp ? meta.start_timestamp : s.first_timestamp;
  const Nanos end = s.has_stats && s.stats->end_timestamp ? s.stats->end_timestamp : s.last_timestamp;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const Value row[] = {id_,
                       std::string_view(hash),
                       std::string_view(options_.label),
                       std::string_view(source),
                       std::string_view(meta.backend),
                       std::string_view(meta.host),
                       std::string_view(meta.kernel),
                       std::string_view(command_),
                       std::string_view(meta.clock),
                       meta.clock_offset_ns,
                       meta.wall_clock_ns(start),
                       i64(start),
                       i64(end),
                       end >= start ? i64(end - start) : 0,
                       s.has_stats ? Value::optional(s.stats->root_status) : Value(),
                       i64(s.processes),
                       i64(s.segments),
                       i64(s.events),
                       i64(syscalls_),
                       s.has_stats ? i64(s.stats->total_lost()) : 0,
                       static_cast<std::int64_t>(now.count())};
  insert(TableId::Recordings, row);
  writer_.commit_recording();
}

void TableRowExport::write_syscalls(const SyscallTable& table) {
  std::int64_t seq = 0;
  for (const SyscallRecord& r : table) {
    const bool timed = r.has_duration();
    const Value row[] = {id_,
                         seq++,
                         r.process == kNoProcess ? Value() : Value(static_cast<std::int64_t>(r.process)),
                         r.tgid,
                         r.tid,
                         table.name(r.name),
                         i64(r.start),
                         timed ? Value(i64(r.start + r.duration)) : Value(),
                         timed ? Value(i64(r.duration)) : Value(),
                         r.has(SyscallRecord::kRetUnknown) ? Value() : Value(r.ret),
                         r.err ? table.errno_name(r.err) : std::string_view(),
                         r.args()};
    insert(TableId::Syscalls, row);
  }
  syscalls_ = static_cast<std::uint64_t>(seq);
}

}  // namespace proctrace
