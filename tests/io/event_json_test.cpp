#include "io/event_json.h"

#include <gtest/gtest.h>

#include "io/json_text.h"

namespace proctrace {
namespace {

Event parse_event(std::string_view line) {
  ParsedLine p;
  EXPECT_TRUE(parse_line(line, p)) << p.error;
  EXPECT_EQ(p.kind, LineKind::Event);
  return p.event;
}

TEST(EventJson, ExecRoundTripKeepsArgvBytesAndFields) {
  Event e;
  e.kind = EventKind::Exec;
  e.timestamp = 123456789012345;
  e.pid = 42;
  e.ppid = 1;
  e.pgid = 42;
  e.sid = 7;
  e.cmdline = {"sh", "-c", "echo \"a: b\" # c; d\n\t\\x", "é", std::string(1, '\x01')};
  e.has_cmdline = true;
  e.filename = "/bin/sh";
  e.truncated = true;
  std::string line;
  append_event_json(line, e);
  Event back = parse_event(line);
  EXPECT_EQ(back.kind, EventKind::Exec);
  EXPECT_EQ(back.timestamp, e.timestamp);
  EXPECT_EQ(back.pid, 42);
  EXPECT_EQ(back.ppid, 1);
  EXPECT_EQ(back.pgid, 42);
  EXPECT_EQ(back.sid, 7);
  EXPECT_EQ(back.cmdline, e.cmdline);
  EXPECT_EQ(back.filename, "/bin/sh");
  EXPECT_TRUE(back.truncated);
}

TEST(EventJson, InheritedFdsRoundTripAndHostileOnesAreRefused) {
  Event e;
  e.kind = EventKind::Exec;
  e.timestamp = 5;
  e.pid = 9;
  e.has_cmdline = true;
  e.cmdline = {"cat"};
  e.has_fds = true;
  e.fds_cut = 3;
  OpenFd tty{0, FdKind::Tty, "/dev/pts/1", 0, 0, 'u'};
  OpenFd pipe{1, FdKind::Pipe, "pipe:[4411]", 4411, 0, 'w'};
  OpenFd fifo{7, FdKind::Fifo, "/tmp/f", 12, 2049, 'r'};
  e.fds = {tty, pipe, fifo};
  std::string line;
  append_event_json(line, e);
  EXPECT_NE(line.find(R"("fds":[{"fd":0,"kind":"tty","target":"/dev/pts/1","access":"u"},)"), std::string::npos) << line;
  Event back = parse_event(line);
  ASSERT_TRUE(back.has_fds);
  ASSERT_EQ(back.fds.size(), 3u);
  EXPECT_EQ(back.fds_cut, 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.fds[i].fd, e.fds[i].fd);
    EXPECT_EQ(back.fds[i].kind, e.fds[i].kind);
    EXPECT_EQ(back.fds[i].target, e.fds[i].target);
    EXPECT_EQ(back.fds[i].inode, e.fds[i].inode);
    EXPECT_EQ(back.fds[i].dev, e.fds[i].dev);
    EXPECT_EQ(back.fds[i].access, e.fds[i].access);
  }
  // No table: not recorded, which differs from an empty one.
  Event none = parse_event(R"({"Exec":{"timestamp":1,"pid":3,"cmdline":["x"]}})");
  EXPECT_FALSE(none.has_fds);
  Event empty = parse_event(R"({"Exec":{"timestamp":1,"pid":3,"cmdline":["x"],"fds":[]}})");
  EXPECT_TRUE(empty.has_fds);
  // A kind or key from a newer writer is kept as "other" / skipped.
  Event newer = parse_event(R"({"Exec":{"timestamp":1,"pid":3,"fds":[{"fd":4,"kind":"io_uring","x":[1]}]}})");
  ASSERT_EQ(newer.fds.size(), 1u);
  EXPECT_EQ(newer.fds[0].kind, FdKind::Other);
  for (const char* bad : {R"({"Exec":{"timestamp":1,"pid":3,"fds":[{"fd":-1}]}})",
                          R"({"Exec":{"timestamp":1,"pid":3,"fds":[{"fd":1,"access":"rw"}]}})",
                          R"({"Exec":{"timestamp":1,"pid":3,"fds":{"fd":1}}})",
                          R"({"Exec":{"timestamp":1,"pid":3,"fds":[{"fd":1}],"fds_cut":-2}})"}) {
    ParsedLine p;
    EXPECT_FALSE(parse_line(bad, p)) << bad;
    EXPECT_NE(p.error.find("fds"), std::string::npos) << p.error;
  }
}

TEST(EventJson, ForkUsesOriginalFieldNames) {
  Event e;
  e.kind = EventKind::Fork;
  e.timestamp = 5;
  e.pid = 10;
  e.child_pid = 11;
  e.pgid = 10;
  std::string line;
  append_event_json(line, e);
  EXPECT_EQ(line, R"({"Fork":{"timestamp":5,"parent_pid":10,"child_pid":11,"parent_pgid":10}})");
}

TEST(EventJson, ExitCarriesCodeAndSignal) {
  Event e;
  e.kind = EventKind::Exit;
  e.timestamp = 9;
  e.pid = 3;
  e.exit.signal = 9;
  std::string line;
  append_event_json(line, e);
  EXPECT_EQ(line,
            R"({"Exit":{"timestamp":9,"pid":3,"ppid":0,"pgid":0,"code":null,"signal":9,"core_dumped":false}})");
  Event back = parse_event(line);
  EXPECT_FALSE(back.exit.code.has_value());
  EXPECT_EQ(back.exit.signal, 9);
}

TEST(EventJson, ExitUsageRoundTripsAndWhatWasNotMeasuredStaysAbsent) {
  Event e;
  e.kind = EventKind::Exit;
  e.timestamp = 9;
  e.pid = 3;
  e.exit.code = 0;
  e.usage.cpu_user_ns = 300'000'000;
  e.usage.cpu_system_ns = 0;  // measured as zero: written
  e.usage.max_rss_kb = 205'000;
  e.usage.read_chars = std::uint64_t{1} << 40;
  std::string line;
  append_event_json(line, e);
  EXPECT_NE(line.find(R"("cpu_user_ns":300000000,"cpu_system_ns":0,"max_rss_kb":205000,"read_chars":1099511627776)"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("storage_read_bytes"), std::string::npos) << line;
  Event back = parse_event(line);
  EXPECT_EQ(back.usage.cpu_user_ns, 300'000'000u);
  EXPECT_EQ(back.usage.cpu_system_ns, 0u);
  EXPECT_EQ(back.usage.max_rss_kb, 205'000u);
  EXPECT_EQ(back.usage.read_chars, std::uint64_t{1} << 40);
  EXPECT_FALSE(back.usage.minor_faults.has_value());
  EXPECT_FALSE(back.usage.storage_read_bytes.has_value());

  // An older recording's Exit: nothing measured, nothing invented.
  Event old = parse_event(R"({"Exit":{"timestamp":9,"pid":3,"ppid":1,"pgid":3,"code":0,"signal":null}})");
  EXPECT_FALSE(old.usage.any());
  // A newer writer's field beside them is skipped, not an error.
  Event newer = parse_event(R"({"Exit":{"timestamp":9,"pid":3,"max_rss_kb":12,"gpu_ns":5,"code":0}})");
  EXPECT_EQ(newer.usage.max_rss_kb, 12u);

  ParsedLine p;
  EXPECT_FALSE(parse_line(R"({"Exit":{"timestamp":9,"pid":3,"max_rss_kb":-1}})", p));
  EXPECT_NE(p.error.find("max_rss_kb"), std::string::npos) << p.error;
}

// Our writers' field names are recognized in place, without a scan; a name
// written any other way (an escape, or too near the end of the line for the
// in-place compare) takes the general way. Both must read the same event,
// and a name that only starts like a known one is not taken for it.
TEST(EventJson, KnownFieldNamesReadInPlaceAsTheGeneralWayReadsThem) {
  Event exec;
  exec.kind = EventKind::Exec;
  exec.timestamp = 5;
  exec.seq = 2;
  exec.pid = 42;
  exec.ppid = 1;
  exec.pgid = 42;
  exec.sid = 7;
  exec.host_pid = 9042;
  exec.cmdline = {"cc", "-c", "a.c"};
  exec.has_cmdline = true;
  exec.filename = "/usr/bin/cc";
  exec.cwd = "/src";
  exec.cwd_cut = true;
  exec.ids = Event::Ids{1000, 0, 100, 0};
  exec.fds = {OpenFd{3, FdKind::Pipe, "pipe:[77]", 77, 0, 'w'}};
  exec.has_fds = true;
  exec.fds_cut = 4;
  Event exit;
  exit.kind = EventKind::Exit;
  exit.timestamp = 8;
  exit.pid = 42;
  exit.exit.signal = 9;
  exit.exit.core_dumped = true;
  for (auto& f : kResourceUsageFields) exit.usage.*f.value = 11;
  Event fork;
  fork.pid = 1;
  fork.child_pid = 42;
  fork.pgid = 1;
  Event bad;
  bad.kind = EventKind::BadExec;
  bad.pid = 42;
  bad.filename = "/bin/nope";
  bad.exec_errno = 2;

  for (const Event& e : {exec, exit, fork, bad}) {
    std::string line;
    append_event_json(line, e);
    // Every name's first letter escaped: the same names, read the general way.
    std::string escaped;
    for (std::size_t i = 0; i < line.size(); ++i) {
      escaped += line[i];
      bool name_starts = line[i] == '"' && i > 0 && (line[i - 1] == '{' || line[i - 1] == ',') &&
                         i + 1 < line.size() && line[i + 1] >= 'a' && line[i + 1] <= 'z';
      if (name_starts) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\u%04x", line[i + 1]);
        escaped += hex;
        ++i;
      }
    }
    ASSERT_NE(escaped, line);
    std::string again, again_escaped;
    append_event_json(again, parse_event(line));
    append_event_json(again_escaped, parse_event(escaped));
    EXPECT_EQ(again, line);
    EXPECT_EQ(again_escaped, line);
  }

  // Names that start like known ones are other fields, skipped.
  Event traps = parse_event(
      R"({"Exit":{"timestamp":9,"pidx":4,"pid":3,"cwd_cutting":true,"code_point":1,"code":2,"signals":[1,2,3]}})");
  EXPECT_EQ(traps.pid, 3);
  EXPECT_EQ(traps.exit.code, 2);
  EXPECT_FALSE(traps.cwd_cut);
  EXPECT_FALSE(traps.exit.signal.has_value());
}

TEST(EventJson, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  json::append_string(out, std::string("a\xff" "b\xc3\xa9", 5));
  EXPECT_EQ(out, "\"a\xEF\xBF\xBD" "b\xc3\xa9\"");
}

TEST(EventJson, ReadsOriginalProctraceVariants) {
  Event fork = parse_event(R"({"Fork":{"timestamp":1,"parent_pid":2,"child_pid":3,"parent_pgid":4}})");
  EXPECT_EQ(fork.pid, 2);
  EXPECT_EQ(fork.child_pid, 3);
  EXPECT_EQ(fork.pgid, 4);
  Event exec = parse_event(R"({"Exec":{"timestamp":1,"pid":3,"ppid":2,"pgid":3,"cmdline":null}})");
  EXPECT_FALSE(exec.has_cmdline);
  Event args = parse_event(R"({"ExecArgs":{"seq":7,"timestamp":1,"pid":3,"args":"ls -l"}})");
  EXPECT_EQ(args.kind, EventKind::ExecArgs);
  EXPECT_EQ(args.seq, 7u);
  EXPECT_TRUE(args.args_joined);
  ASSERT_EQ(args.cmdline.size(), 1u);
  EXPECT_EQ(args.cmdline[0], "ls -l");
  Event full = parse_event(
      R"({"ExecFull":{"seq":1,"timestamp":2,"pid":3,"ppid":2,"pgid":3,"filename":"/bin/ls","args":["ls","-l"]}})");
  EXPECT_EQ(full.filename, "/bin/ls");
  EXPECT_EQ(full.cmdline, (std::vector<std::string>{"ls", "-l"}));
  EXPECT_EQ(parse_event(R"({"SetSID":{"timestamp":1,"pid":3,"ppid":2,"pgid":3,"sid":3}})").kind, EventKind::SetSid);
  EXPECT_EQ(parse_event(R"({"SetPGID":{"timestamp":1,"pid":3,"ppid":2,"pgid":0}})").kind, EventKind::SetPgid);
  EXPECT_EQ(parse_event(R"({"BadExec":{"seq":1,"timestamp":1,"pid":3}})").kind, EventKind::BadExec);
}

TEST(EventJson, WrongTypesAreReportedByField) {
  ParsedLine p;
  EXPECT_FALSE(parse_line(R"({"Exec":{"timestamp":1,"pid":"x"}})", p));
  EXPECT_NE(p.error.find("pid"), std::string::npos) << p.error;
  EXPECT_FALSE(parse_line(R"({"Exec":{"timestamp":-1,"pid":1}})", p));
  EXPECT_NE(p.error.find("timestamp"), std::string::npos) << p.error;
  EXPECT_FALSE(parse_line(R"({"Exec":{"pid":1}})", p));
  EXPECT_NE(p.error.find("missing field 'timestamp'"), std::string::npos) << p.error;
  EXPECT_FALSE(parse_line(R"({"Exec":{"timestamp":1,"cmdline":[1,2]}})", p));
  EXPECT_FALSE(parse_line("not json", p));
  EXPECT_FALSE(parse_line(R"({"Exit":{"timestamp":1}} trailing)", p));
}

TEST(EventJson, UnknownVariantIsNotAnError) {
  ParsedLine p;
  EXPECT_TRUE(parse_line(R"({"Mystery":{"timestamp":1}})", p));
  EXPECT_EQ(p.kind, LineKind::UnknownVariant);
}

TEST(EventJson, MetaAndStatsRoundTrip) {
  Meta m;
  m.backend = "bpf";
  m.clock = "CLOCK_BOOTTIME";
  m.clock_offset_ns = -5;
  m.command = {"make", "-j2"};
  m.setpgid_probe = "tp_btf/sys_exit";
  ParsedLine p;
  ASSERT_TRUE(parse_line(meta_json(m), p)) << p.error;
  EXPECT_EQ(p.kind, LineKind::Meta);
  EXPECT_EQ(p.meta.command, m.command);
  EXPECT_EQ(p.meta.clock_offset_ns, -5);
  EXPECT_EQ(p.meta.setpgid_probe, "tp_btf/sys_exit");
  Stats s;
  s.events["Exec"] = 3;
  s.lost["ringbuf_full"] = 2;
  s.alive_at_end = {77};
  ASSERT_TRUE(parse_line(stats_json(s), p)) << p.error;
  EXPECT_EQ(p.kind, LineKind::Stats);
  EXPECT_EQ(p.stats.total_lost(), 2u);
  EXPECT_EQ(p.stats.alive_at_end, std::vector<Pid>{77});
}

TEST(EventJson, BadExecCarriesThePathTriedAndTheErrno) {
  Event e;
  e.kind = EventKind::BadExec;
  e.timestamp = 7;
  e.pid = 5;
  e.filename = "/nonexistent/cc";
  e.exec_errno = 2;
  std::string line;
  append_event_json(line, e);
  EXPECT_EQ(line, R"({"BadExec":{"timestamp":7,"pid":5,"filename":"/nonexistent/cc","errno":2,"error":"ENOENT"}})");
  Event back = parse_event(line);
  EXPECT_EQ(back.kind, EventKind::BadExec);
  EXPECT_EQ(back.filename, "/nonexistent/cc");
  EXPECT_EQ(back.exec_errno, 2);

  // The original proctrace's BadExec has the pid alone, and is written back so.
  Event original = parse_event(R"({"BadExec":{"timestamp":7,"pid":5}})");
  EXPECT_EQ(original.exec_errno, 0);
  line.clear();
  append_event_json(line, original);
  EXPECT_EQ(line, R"({"BadExec":{"timestamp":7,"pid":5}})");

  ParsedLine p;
  EXPECT_FALSE(parse_line(R"({"BadExec":{"timestamp":7,"pid":5,"errno":-2}})", p));
  EXPECT_NE(p.error.find("errno"), std::string::npos) << p.error;
  EXPECT_FALSE(parse_line(R"({"BadExec":{"timestamp":7,"pid":5,"errno":99999}})", p));
}

}  // namespace
}  // namespace proctrace
