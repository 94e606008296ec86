#include "export/perfetto_export.h"

#include "export/proto_writer.h"
#include "import/syscall_table.h"
#include "io/json_text.h"

namespace proctrace {

namespace {

// Field numbers of Perfetto's published protos (protos/perfetto/trace/...).
namespace trace {
constexpr std::uint32_t kPacket = 1;
}
namespace packet {
constexpr std::uint32_t kTimestamp = 8;
constexpr std::uint32_t kTrustedPacketSequenceId = 10;
constexpr std::uint32_t kTrackEvent = 11;
constexpr std::uint32_t kSequenceFlags = 13;
constexpr std::uint32_t kTrackDescriptor = 60;
constexpr std::uint32_t kAndroidLog = 39;
constexpr std::uint64_t kSeqIncrementalStateCleared = 1;
}  // namespace packet
namespace android_log {  // AndroidLogPacket and its LogEvent
constexpr std::uint32_t kEvents = 1;
constexpr std::uint32_t kPid = 2, kTid = 3, kTimestamp = 5, kTag = 6, kPrio = 7, kMessage = 8;
constexpr std::uint64_t kPrioInfo = 4, kPrioWarn = 5;
constexpr std::size_t kEventsPerPacket = 512;
}  // namespace android_log
namespace track_descriptor {
constexpr std::uint32_t kUuid = 1;
constexpr std::uint32_t kName = 2;
constexpr std::uint32_t kProcess = 3;
constexpr std::uint32_t kThread = 4;
constexpr std::uint32_t kParentUuid = 5;
constexpr std::uint32_t kCounter = 8;
}  // namespace track_descriptor
namespace process_descriptor {
constexpr std::uint32_t kPid = 1;
constexpr std::uint32_t kCmdline = 2;
constexpr std::uint32_t kProcessName = 6;
}  // namespace process_descriptor
namespace thread_descriptor {
constexpr std::uint32_t kPid = 1;
constexpr std::uint32_t kTid = 2;
constexpr std::uint32_t kThreadName = 5;
}  // namespace thread_descriptor
namespace track_event {
constexpr std::uint32_t kDebugAnnotations = 4;
constexpr std::uint32_t kType = 9;
constexpr std::uint32_t kTrackUuid = 11;
constexpr std::uint32_t kCategories = 22;
constexpr std::uint32_t kName = 23;
constexpr std::uint64_t kSliceBegin = 1;
constexpr std::uint64_t kSliceEnd = 2;
constexpr std::uint64_t kInstant = 3;
constexpr std::uint64_t kCounter = 4;
constexpr std::uint32_t kCounterValue = 30;
}  // namespace track_event
namespace debug_annotation {
constexpr std::uint32_t kIntValue = 4;
constexpr std::uint32_t kStringValue = 6;
constexpr std::uint32_t kName = 10;
}  // namespace debug_annotation

// All packets share one sequence: one writer, in timestamp order.
constexpr std::uint64_t kSequenceId = 1;

void annotate(proto::Writer& w, std::string_view name, std::int64_t value) {
  auto a = w.begin(track_event::kDebugAnnotations);
  w.bytes(debug_annotation::kName, name);
  w.int64(debug_annotation::kIntValue, value);
  w.end(a);
}

void annotate(proto::Writer& w, std::string_view name, std::string_view value) {
  auto a = w.begin(track_event::kDebugAnnotations);
  w.bytes(debug_annotation::kName, name);
  w.bytes(debug_annotation::kStringValue, value);
  w.end(a);
}

}  // namespace

void PerfettoExport::start_packet(Nanos ts) {
  packet_.clear();
  proto::Writer w(packet_);
  if (ts) w.varint(packet::kTimestamp, ts);
  w.varint(packet::kTrustedPacketSequenceId, kSequenceId);
  if (packets_ == 0) w.varint(packet::kSequenceFlags, packet::kSeqIncrementalStateCleared);
}

void PerfettoExport::finish_packet() {
  // Trace is `repeated TracePacket packet = 1`: a file of packets is a Trace.
  std::string& buf = out_.buffer();
  proto::Writer w(buf);
  w.bytes(trace::kPacket, packet_);
  packets_++;
  out_.maybe_flush();
}

void PerfettoExport::begin(const RecordingHeader& header) {
  inferred_.emplace(*header.meta);
  packets_ = 0;
  working_ = WorkingCount();
  working_written_ = ~std::uint64_t{0};
}

void PerfettoExport::write_working(Nanos ts) {
  if (working_.working() == working_written_) return;
  if (working_written_ == ~std::uint64_t{0}) {
    // Declared at its first value: a counter track of the whole recording.
    start_packet(ts);
    proto::Writer w(packet_);
    auto td = w.begin(packet::kTrackDescriptor);
    w.varint(track_descriptor::kUuid, kWorkingTrack);
    w.bytes(track_descriptor::kName, "processes working");
    auto counter = w.begin(track_descriptor::kCounter);
    w.end(counter);
    w.end(td);
    finish_packet();
  }
  working_written_ = working_.working();
  start_packet(ts);
  proto::Writer w(packet_);
  auto te = w.begin(packet::kTrackEvent);
  w.varint(track_event::kType, track_event::kCounter);
  w.varint(track_event::kTrackUuid, kWorkingTrack);
  w.int64(track_event::kCounterValue, static_cast<std::int64_t>(working_written_));
  w.end(te);
  finish_packet();
}

void PerfettoExport::process_ended(const Process& p) {
  // Without an exit the process ran to the end of the recording: the
  // counter keeps counting it.
  if (!p.end) return;
  working_.ended(p.serial);
  write_working(*p.end);
}

void PerfettoExport::process_started(const Process& p, const Process* parent) {
  if (parent_track_.size() <= p.index) parent_track_.resize(p.index + 1);
  parent_track_[p.index] = parent ? process_track(parent->serial) : 0;
  start_packet(p.start);
  proto::Writer w(packet_);
  auto td = w.begin(packet::kTrackDescriptor);
  w.varint(track_descriptor::kUuid, process_track(p.serial));
  std::string name = "pid " + std::to_string(p.pid);
  if (p.attached) name += " (" + std::string(Process::kAttachedLabel) + ")";
  name += inferred_->label(p);  // strace -f -p: its threads grouped by inference
  w.bytes(track_descriptor::kName, name);
  if (parent) {
    // A child track under the parent's: the UI shows the process tree as
    // nested tracks.
    w.varint(track_descriptor::kParentUuid, process_track(parent->serial));
  } else {
    // A root of the recording becomes the process the trace is about.
    auto pd = w.begin(track_descriptor::kProcess);
    w.int64(process_descriptor::kPid, p.pid);
    if (!p.segments.empty()) {
      for (std::string_view arg : p.segments.back().argv) w.bytes(process_descriptor::kCmdline, arg);
      w.bytes(process_descriptor::kProcessName, program_name(p.segments.back()));
    }
    w.end(pd);
  }
  w.end(td);
  finish_packet();
  working_.started(p.serial, parent ? parent->serial : WorkingCount::kNoParent);
  write_working(p.start);
}

void PerfettoExport::segment_started(const Process& p, std::size_t n) {
  const ExecSegment& s = p.segments[n];
  start_packet(s.start);
  proto::Writer w(packet_);
  auto te = w.begin(packet::kTrackEvent);
  w.varint(track_event::kType, track_event::kSliceBegin);
  w.varint(track_event::kTrackUuid, process_track(p.serial));
  w.bytes(track_event::kCategories, s.inherited ? "fork" : "exec");
  w.bytes(track_event::kName, program_name(s));
  annotate(w, "pid", p.pid);
  annotate(w, "ppid", p.ppid);
  scratch_.clear();
  scratch_ += '[';
  for (std::size_t i = 0; i < s.argv.size(); ++i) {
    if (i) scratch_ += ',';
    json::append_string(scratch_, s.argv[i]);
  }
  scratch_ += ']';
  annotate(w, "argv", scratch_);
  if (!s.filename.empty()) annotate(w, "filename", s.filename);
  if (s.inherited) annotate(w, "inherited", "forked, running the parent's program");
  w.end(te);
  finish_packet();
}

void PerfettoExport::segment_ended(const Process& p, std::size_t n) {
  const std::optional<Nanos> end = p.segment_end(n);
  // Still running when recording stopped: left open, which Perfetto shows
  // as a slice that did not end.
  if (!end) return;
  start_packet(*end);
  proto::Writer w(packet_);
  auto te = w.begin(packet::kTrackEvent);
  w.varint(track_event::kType, track_event::kSliceEnd);
  w.varint(track_event::kTrackUuid, process_track(p.serial));
  const bool last = n + 1 == p.segments.size();
  if (last && p.end) {
    if (p.exit.code) annotate(w, "exit_code", *p.exit.code);
    if (p.exit.signal) annotate(w, "exit_signal", *p.exit.signal);
    if (p.exit.core_dumped) annotate(w, "core_dumped", 1);
    if (p.failed_execs) annotate(w, "failed_execs", p.failed_execs);
    if (p.usage)
      for (auto& f : kResourceUsageFields)
        if (auto& v = (*p.usage).*f.value) annotate(w, f.name, static_cast<std::int64_t>(*v));
  } else if (!last) {
    annotate(w, "replaced_by", "exec");
  }
  w.end(te);
  finish_packet();
}

void PerfettoExport::instant(Nanos ts, std::uint64_t track, std::string_view name, std::string_view key,
                             std::int64_t value) {
  start_packet(ts);
  proto::Writer w(packet_);
  auto te = w.begin(packet::kTrackEvent);
  w.varint(track_event::kType, track_event::kInstant);
  w.varint(track_event::kTrackUuid, track);
  w.bytes(track_event::kCategories, "lifecycle");
  w.bytes(track_event::kName, name);
  annotate(w, key, value);
  w.end(te);
  finish_packet();
}

void PerfettoExport::event(const Event& e, std::string_view, const Process& p) {
  switch (e.kind) {
    case EventKind::Fork:
      // On the parent's track, where the fork happened.
      if (parent_track_[p.index]) instant(e.timestamp, parent_track_[p.index], "fork", "child_pid", p.pid);
      break;
    case EventKind::SetSid:
      instant(e.timestamp, process_track(p.serial), "setsid", "sid", e.sid.value_or(e.pid));
      break;
    case EventKind::SetPgid:
      instant(e.timestamp, process_track(p.serial), "setpgid", "pgid", e.pgid ? e.pgid : e.pid);
      break;
    default:
      break;
  }
}

void PerfettoExport::end(const RecordingSummary& summary) {
  if (summary.syscalls) write_syscalls(*summary.syscalls);
  out_.flush();
}

std::uint64_t PerfettoExport::declare_thread(const SyscallRecord& r) {
  const std::uint64_t uuid = thread_track(r.process, r.tid);
  if (!thread_tracks_.insert(uuid).second) return uuid;
  start_packet(r.start);
  proto::Writer w(packet_);
  auto td = w.begin(packet::kTrackDescriptor);
  w.varint(track_descriptor::kUuid, uuid);
  w.bytes(track_descriptor::kName, "tid " + std::to_string(r.tid));
  w.varint(track_descriptor::kParentUuid, process_track(r.process));
  auto th = w.begin(track_descriptor::kThread);
  w.int64(thread_descriptor::kPid, r.tgid);
  w.int64(thread_descriptor::kTid, r.tid);
  w.bytes(thread_descriptor::kThreadName, "tid " + std::to_string(r.tid));
  w.end(th);
  w.end(td);
  finish_packet();
  return uuid;
}

void PerfettoExport::write_log_events(Nanos first, const std::string& events) {
  start_packet(first);
  proto::Writer w(packet_);
  w.bytes(packet::kAndroidLog, events);
  finish_packet();
}

void PerfettoExport::write_syscalls(const SyscallTable& table) {
  // strace imports are loaded whole, so these come after the lifecycle
  // packets; each thread's calls are in start order, as slices must be.
  std::string log_events;
  std::size_t logged = 0;
  Nanos log_first = 0;
  for (std::uint32_t i : table.order_by_start()) {
    const SyscallRecord& r = table.at(i);
    if (r.process == kNoProcess) continue;  // a thread of no known process
    if (logs_) {
      if (!logged) log_first = r.start;
      proto::Writer l(log_events);
      auto event = l.begin(android_log::kEvents);
      l.int64(android_log::kPid, r.tgid);
      l.int64(android_log::kTid, r.tid);
      l.varint(android_log::kTimestamp, r.start);
      l.bytes(android_log::kTag, table.name(r.name));
      l.varint(android_log::kPrio, r.err ? android_log::kPrioWarn : android_log::kPrioInfo);
      l.bytes(android_log::kMessage, table.call_text(r));
      l.end(event);
      if (++logged == android_log::kEventsPerPacket) {
        write_log_events(log_first, log_events);
        log_events.clear();
        logged = 0;
      }
    }
    const std::uint64_t track = declare_thread(r);
    const bool returned = r.returned() && r.has_duration();
    start_packet(r.start);
    proto::Writer w(packet_);
    auto te = w.begin(packet::kTrackEvent);
    w.varint(track_event::kType, returned ? track_event::kSliceBegin : track_event::kInstant);
    w.varint(track_event::kTrackUuid, track);
    w.bytes(track_event::kCategories, "syscall");
    w.bytes(track_event::kName, table.name(r.name));
    annotate(w, "args", r.args());
    if (!r.has(SyscallRecord::kRetUnknown)) annotate(w, "result", r.ret);
    if (r.err) annotate(w, "errno", table.errno_name(r.err));
    w.end(te);
    finish_packet();
    if (!returned) continue;
    start_packet(r.start + r.duration);
    proto::Writer end(packet_);
    auto ee = end.begin(packet::kTrackEvent);
    end.varint(track_event::kType, track_event::kSliceEnd);
    end.varint(track_event::kTrackUuid, track);
    end.end(ee);
    finish_packet();
  }
  if (logged) write_log_events(log_first, log_events);
}

}  // namespace proctrace
