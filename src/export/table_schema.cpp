#include "export/table_schema.h"

#include "model/resource_usage.h"

namespace proctrace {

namespace {
constexpr auto Int = ColumnType::Int;
constexpr auto NInt = ColumnType::NullableInt;
constexpr auto Text = ColumnType::Text;
constexpr auto Bool = ColumnType::Bool;
// The processes table ends with one nullable column per field of what the
// process used (kResourceUsageFields, in order): null when not measured
// (strace imports, older recordings).
std::vector<TableSchema> with_usage_columns(std::vector<TableSchema> tables) {
  for (TableSchema& t : tables)
    if (t.id == TableId::Processes)
      for (const ResourceUsageField& f : kResourceUsageFields) t.columns.push_back({f.name, NInt});
  return tables;
}

}  // namespace

// Timestamps (*_ns) are on the recording's clock, as in the file; add
// recordings.clock_offset_ns for nanoseconds since the Unix epoch.
const std::vector<TableSchema>& export_tables() {
  static const std::vector<TableSchema> tables = with_usage_columns({
      {TableId::Recordings,
       "recordings",
       {{"id", Int}, {"content_hash", Text}, {"label", Text}, {"source", Text}, {"backend", Text},
        {"host", Text}, {"kernel", Text}, {"command", Text}, {"clock", Text}, {"clock_offset_ns", Int},
        {"started_at_ns", Int}, {"start_ns", Int}, {"end_ns", Int}, {"duration_ns", Int},
        {"root_status", NInt}, {"processes", Int}, {"exec_segments", Int}, {"events", Int},
        {"syscalls", Int}, {"lost_events", Int}, {"exported_at", Int}},
       "id",
       {"started_at_ns", "label"}},
      {TableId::Processes,
       "processes",
       {{"recording_id", Int}, {"process_id", Int}, {"pid", Int}, {"ppid", Int}, {"parent_id", NInt},
        {"start_ns", Int}, {"end_ns", NInt}, {"duration_ns", NInt}, {"exit_code", NInt},
        {"exit_signal", NInt}, {"core_dumped", Bool}, {"status", NInt}, {"pgid", Int}, {"sid", Int},
        {"program", Text}, {"command", Text}, {"execs", Int}, {"failed_execs", Int},
        {"forked_in_recording", Bool}, {"threads", Int}, {"threads_inferred", Bool}},  // + what the process used: below
       "recording_id, process_id",
       {"program", "duration_ns", "exit_code", "recording_id, pid"}},
      {TableId::ExecSegments,
       "exec_segments",
       {{"recording_id", Int}, {"process_id", Int}, {"segment", Int}, {"pid", Int}, {"start_ns", Int},
        {"end_ns", NInt}, {"duration_ns", NInt}, {"program", Text}, {"filename", Text}, {"argv", Text},
        {"command", Text}, {"inherited", Bool}, {"truncated", Bool}},
       "recording_id, process_id, segment",
       {"program", "duration_ns"}},
      {TableId::Events,
       "events",
       {{"recording_id", Int}, {"seq", Int}, {"timestamp_ns", Int}, {"kind", Text}, {"pid", Int},
        {"process_id", Int}, {"data", Text}},
       "recording_id, seq",
       {"recording_id, process_id", "kind"}},
      {TableId::Syscalls,
       "syscalls",
       {{"recording_id", Int}, {"seq", Int}, {"process_id", NInt}, {"pid", Int}, {"tid", Int},
        {"name", Text}, {"start_ns", Int}, {"end_ns", NInt}, {"duration_ns", NInt}, {"result", NInt},
        {"error", Text}, {"args", Text}},
       "recording_id, seq",
       {"name", "recording_id, process_id"}},
  });
  return tables;
}

const TableSchema& table(TableId id) { return export_tables()[static_cast<std::size_t>(id)]; }

}  // namespace proctrace
