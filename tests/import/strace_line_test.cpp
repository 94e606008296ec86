// Every line shape strace prints, one at a time (see
// /docs/strace-import.md for where each comes from).
#include "import/strace_line.h"

#include <gtest/gtest.h>

#include "import/strace_args.h"
#include "import/summary_table.h"

namespace proctrace::strace {
namespace {

Line parse(std::string_view text) {
  Line l;
  bool ok = parse_line(text, l);
  EXPECT_EQ(ok, l.kind != LineKind::Bad) << text;
  return l;
}

constexpr Nanos kS = 1'000'000'000ULL;

TEST(StraceLine, PidPrefixes) {
  EXPECT_EQ(parse("[pid  1234] close(3) = 0").pid, 1234);
  EXPECT_EQ(parse("[pid 99] close(3) = 0").pid, 99);
  EXPECT_EQ(parse("4     close(3) = 0").pid, 4);       // -o pads to 5 columns
  EXPECT_EQ(parse("123456 close(3) = 0").pid, 123456);  // wider than the padding
  EXPECT_EQ(parse("1234<bash> close(3) = 0").pid, 1234);  // --decode-pids=comm
  EXPECT_EQ(parse("[pid 1234<make>] close(3) = 0").pid, 1234);
  Line none = parse("close(3) = 0");
  EXPECT_EQ(none.pid, 0);
  EXPECT_EQ(none.name, "close");
}

// Numbers no pid can be are refused, not wrapped into some other pid.
TEST(StraceLine, PidsBeyondPidMaxAreBadLines) {
  EXPECT_EQ(parse("[pid 4194304] close(3) = 0").pid, 4194304);
  EXPECT_EQ(parse("[pid 4194305] close(3) = 0").kind, LineKind::Bad);
  EXPECT_EQ(parse("[pid 99999999999999999999] close(3) = 0").kind, LineKind::Bad);
  EXPECT_EQ(parse("+++ superseded by execve in pid 2520300029 +++").kind, LineKind::Bad);
  EXPECT_EQ(parse("execve(\"/bin/true\", [\"true\"], 0x7ffd /* 3 vars */ <pid changed to 9999999999 ...>").kind,
            LineKind::Bad);
}

// Numbers too large for their field are bad lines, never wrapped or clamped
// into some other value (issue 10).
TEST(StraceLine, NumbersOutOfRangeAreBadLines) {
  auto bad = [](std::string_view text, std::string_view why) {
    Line l = parse(text);
    EXPECT_EQ(l.kind, LineKind::Bad) << text;
    if (l.kind == LineKind::Bad) EXPECT_NE(std::string_view(l.error).find(why), std::string_view::npos) << l.error;
  };
  bad("clone(child_stack=NULL, flags=SIGCHLD) = 99999999999999999999", "return value out of range");
  bad("read(3, \"\", 4) = 18446744073709551616", "return value out of range");
  bad("read(3, \"\", 4) = 9223372036854775808", "return value out of range");
  bad("read(3, \"\", 4) = -9223372036854775809", "return value out of range");
  bad("mmap(NULL, 4096) = 0x10000000000000000", "return value out of range");
  bad("clone(child_stack=NULL, flags=SIGCHLD) = 99999999999", "pid out of range");
  bad("[pid 1] <... vfork resumed>) = 4194305", "pid out of range");
  bad("+++ exited with 999999999999 +++", "exit code out of range");
  bad("+++ exited with 256 +++", "exit code out of range");
  bad("1234567890123456789012345678901234567890.5 close(3) = 0", "timestamp out of range");
  bad("18446744073.000001 close(3) = 0", "timestamp out of range");
  bad("99999999999999999999:00:00 close(3) = 0", "timestamp out of range");
  bad("12:18446744073709551617:00 close(3) = 0", "expected a timestamp");
  bad("12:00:99 close(3) = 0", "time of day out of range");
  bad("close(3) = 0 <99999999999999999999.000001>", "expected a duration");
  bad("close(3) = 0 <18446744073.0>", "expected a duration");
  // The largest values that fit are kept as they are.
  EXPECT_EQ(parse("read(3, \"\", 4) = 9223372036854775807").ret, INT64_MAX);
  EXPECT_EQ(parse("read(3, \"\", 4) = -9223372036854775808").ret, INT64_MIN);
  EXPECT_EQ(parse("mmap(NULL, 4096) = 0xffffffffffffffff").ret, -1);
  EXPECT_EQ(parse("clone(child_stack=NULL, flags=SIGCHLD) = 4194304").ret, 4194304);
  EXPECT_EQ(parse("+++ exited with 255 +++").exit_code, 255);
  EXPECT_EQ(parse("18446744072.999999999 close(3) = 0").time, 18446744072 * kS + 999'999'999);
  EXPECT_EQ(signal_number("SIGRT_18446744073709551617"), 0);
  EXPECT_EQ(signal_number("SIG18446744073709551625"), 0);
  EXPECT_EQ(parse_int("18446744073709551617"), std::nullopt);
  EXPECT_EQ(parse_int("0x10000000000000001"), std::nullopt);
  EXPECT_EQ(parse_int("-9223372036854775808"), INT64_MIN);
}

TEST(StraceLine, Timestamps) {
  Line t = parse("12:00:01 close(3) = 0");  // -t
  EXPECT_EQ(t.time_format, TimeFormat::TimeOfDay);
  EXPECT_EQ(t.time, (12 * 3600 + 1) * kS);
  Line tt = parse("4     23:59:59.999999 close(3) = 0");  // -o -tt
  EXPECT_EQ(tt.pid, 4);
  EXPECT_EQ(tt.time, (23 * 3600 + 59 * 60 + 59) * kS + 999'999'000);
  Line ttt = parse("[pid  7] 1700000000.123456 close(3) = 0");
  EXPECT_EQ(ttt.time_format, TimeFormat::Epoch);
  EXPECT_EQ(ttt.time, 1700000000 * kS + 123'456'000);
  EXPECT_EQ(parse("1700000000.123456789 close(3) = 0").time, 1700000000 * kS + 123'456'789);  // precision:ns
  EXPECT_EQ(parse("1700000000.123 close(3) = 0").time, 1700000000 * kS + 123'000'000);        // precision:ms
  Line secs = parse("1700000000 close(3) = 0");  // precision:s, not a pid: 10 digits
  EXPECT_EQ(secs.pid, 0);
  EXPECT_EQ(secs.time, 1700000000 * kS);
  Line both = parse("123   1700000000 close(3) = 0");
  EXPECT_EQ(both.pid, 123);
  EXPECT_EQ(both.time, 1700000000 * kS);
  EXPECT_EQ(parse("close(3) = 0").time_format, TimeFormat::None);
}

TEST(StraceLine, Durations) {
  EXPECT_EQ(parse("close(3) = 0 <0.000123>").duration, 123'000u);
  EXPECT_EQ(parse("close(3) = 0 <0.000000123>").duration, 123u);  // --syscall-times=ns
  EXPECT_EQ(parse("close(3) = 0").duration, kUnknownDuration);
  Line q = parse("exit_group(0) = ? <unavailable>");
  EXPECT_FALSE(q.ret_known);
  EXPECT_EQ(q.duration, kUnknownDuration);
}

TEST(StraceLine, ReturnValues) {
  Line ok = parse("openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3");
  EXPECT_EQ(ok.kind, LineKind::Syscall);
  EXPECT_EQ(ok.args, "AT_FDCWD, \"/etc/passwd\", O_RDONLY");
  EXPECT_TRUE(ok.ret_known);
  EXPECT_EQ(ok.ret, 3);
  Line err = parse("openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000010>");
  EXPECT_EQ(err.ret, -1);
  EXPECT_EQ(err.errno_name, "ENOENT");
  EXPECT_EQ(err.duration, 10'000u);
  EXPECT_EQ(parse("mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f5a1eaf4000").ret, 0x7f5a1eaf4000);
  Line restart = parse("rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler) <0.199737>");
  EXPECT_FALSE(restart.ret_known);
  EXPECT_EQ(restart.errno_name, "ERESTARTNOHAND");
  EXPECT_EQ(restart.duration, 199'737'000u);
  EXPECT_EQ(parse("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=803460897}) = ? "
                  "ERESTART_RESTARTBLOCK (Interrupted by signal)")
                .errno_name,
            "ERESTART_RESTARTBLOCK");
  Line injected = parse("openat(AT_FDCWD, \"x\", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED) <0.000003>");
  EXPECT_TRUE(injected.injected);
  EXPECT_EQ(injected.errno_name, "ENOENT");
  EXPECT_EQ(injected.duration, 3'000u);
  EXPECT_EQ(parse("poll([{fd=3, events=POLLIN}], 1, 100) = 0 (Timeout)").ret, 0);
  Line poll = parse("poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}]) <0.5>");
  EXPECT_EQ(poll.ret, 1);
  EXPECT_EQ(poll.duration, kS / 2);
  EXPECT_EQ(parse("fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)").ret, 0x8002);
  Line exit_group = parse("exit_group(0)                     = ?");
  EXPECT_FALSE(exit_group.ret_known);
  EXPECT_TRUE(exit_group.errno_name.empty());
}

TEST(StraceLine, ArgsWithParenthesesAndEqualSigns) {
  // Split at the " = " after the closing parenthesis at depth 0.
  Line w = parse("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 2}], 0, NULL) = 26185");
  EXPECT_EQ(w.args, "-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 2}], 0, NULL");
  EXPECT_EQ(w.ret, 26185);
  Line s = parse("write(1, \"a) = 5 (\\\"x\\\")\\n\", 12) = 12");
  EXPECT_EQ(s.args, "1, \"a) = 5 (\\\"x\\\")\\n\", 12");
  EXPECT_EQ(s.ret, 12);
  Line bs = parse("write(1, \"\\\\\", 1) = 1");  // a string ending in an escaped backslash
  EXPECT_EQ(bs.args, "1, \"\\\\\", 1");
  Line calls = parse("connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
  EXPECT_EQ(calls.ret, 0);
  Line dev = parse("newfstatat(3, \"\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0");
  EXPECT_EQ(dev.ret, 0);
  Line arrow = parse("accept4(3, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) = 4");
  EXPECT_EQ(arrow.ret, 4);
  Line sets = parse("rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [CHLD], 8) = 0");
  EXPECT_EQ(sets.args, "SIG_BLOCK, ~[RTMIN RT_1], [CHLD], 8");
  Line env = parse("execve(\"/bin/true\", [\"true\"], 0x7ffd1c0 /* 41 vars */) = 0");
  EXPECT_EQ(env.args, "\"/bin/true\", [\"true\"], 0x7ffd1c0 /* 41 vars */");
  Line trunc = parse("read(3, \"\\177ELF\\2\\1\\1\"..., 832) = 832");
  EXPECT_EQ(trunc.ret, 832);
  Line hex = parse("write(1, \"\\x68\\x69\\x29\", 3) = 3");  // -x: ")" as \x29
  EXPECT_EQ(hex.ret, 3);
}

TEST(StraceLine, FdDecorations) {
  Line open = parse("openat(AT_FDCWD</tmp>, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache> <0.000011>");
  EXPECT_EQ(open.ret, 3);
  EXPECT_EQ(open.ret_path, "/etc/ld.so.cache");
  EXPECT_EQ(open.duration, 11'000u);
  Line nested = parse("openat(AT_FDCWD, \"/dev/urandom\", O_RDONLY) = 4</dev/urandom<char 1:9>>");
  EXPECT_EQ(nested.ret_path, "/dev/urandom");
  Line paren = parse("read(3</tmp/a)b (deleted)>, \"x\", 1) = 1");  // ')' inside a decoration
  EXPECT_EQ(paren.args, "3</tmp/a)b (deleted)>, \"x\", 1");
  EXPECT_EQ(leading_fd_path(paren.args), "/tmp/a)b (deleted)");
  Line unix_sock = parse("sendmsg(5<UNIX-STREAM:[123->456]>, {msg_name=NULL}, 0) = 10");
  EXPECT_EQ(leading_fd_path(unix_sock.args), "UNIX-STREAM:[123->456]");
  Line tcp = parse("write(7<TCP:[127.0.0.1:80->127.0.0.1:5000]>, \"x\", 1) = 1");
  EXPECT_EQ(leading_fd_path(tcp.args), "TCP:[127.0.0.1:80->127.0.0.1:5000]");
  Line v6 = parse("read(7<TCPv6:[[::1]:80->[::1]:5000]>, \"x\", 1) = 1");
  EXPECT_EQ(leading_fd_path(v6.args), "TCPv6:[[::1]:80->[::1]:5000]");
  EXPECT_EQ(leading_fd_path("3</dev/null<char 1:3>>, 1"), "/dev/null");
  EXPECT_EQ(leading_fd_path("AT_FDCWD, \"x\""), "");
  Line sock = parse("socket(AF_UNIX, SOCK_STREAM, 0) = 3<UNIX-STREAM:[5512]>");
  EXPECT_EQ(sock.ret_path, "UNIX-STREAM:[5512]");
}

TEST(StraceLine, UnfinishedAndResumed) {
  Line u = parse("[pid 10311] rt_sigprocmask(SIG_SETMASK, [],  <unfinished ...>");
  EXPECT_EQ(u.kind, LineKind::Unfinished);
  EXPECT_EQ(u.name, "rt_sigprocmask");
  EXPECT_EQ(u.args, "SIG_SETMASK, [], ");
  Line r = parse("[pid 10311] <... rt_sigprocmask resumed>NULL, 8) = 0 <0.000022>");
  EXPECT_EQ(r.kind, LineKind::Resumed);
  EXPECT_EQ(r.name, "rt_sigprocmask");
  EXPECT_EQ(r.args, "NULL, 8");
  EXPECT_EQ(r.ret, 0);
  EXPECT_EQ(r.duration, 22'000u);
  Line old = parse("<... read resumed> \"abc\", 3) = 3");  // before strace 5.0
  EXPECT_EQ(old.args, " \"abc\", 3");
  EXPECT_EQ(old.ret, 3);
  Line clone3 = parse("<... clone3 resumed> => {parent_tid=[11220]}, 88) = 11220 <0.000079>");
  EXPECT_EQ(clone3.ret, 11220);
  Line empty = parse("getpid( <unfinished ...>");
  EXPECT_EQ(empty.kind, LineKind::Unfinished);
  EXPECT_EQ(empty.args, "");
  Line unknown = parse("???( <unfinished ...>");
  EXPECT_EQ(unknown.name, "???");
  Line numbered = parse("read(3, <unfinished #3 ...>");  // proposed numbered form
  EXPECT_EQ(numbered.kind, LineKind::Unfinished);
  Line numbered_r = parse("<... read resumed #3>\"x\", 1) = 1");
  EXPECT_EQ(numbered_r.kind, LineKind::Resumed);
  EXPECT_EQ(numbered_r.args, "\"x\", 1");
  Line path = parse("close(4</tmp/ccby3R9X.s> <unfinished ...>");
  EXPECT_EQ(path.args, "4</tmp/ccby3R9X.s>");
}

TEST(StraceLine, CutShortCalls) {
  // The process died inside the call: two markers on one line.
  Line both = parse("11830 17:16:32.100897 <... read resumed> <unfinished ...>) = ?");
  EXPECT_EQ(both.kind, LineKind::Resumed);
  EXPECT_TRUE(both.cut_short);
  EXPECT_FALSE(both.ret_known);
  Line inner = parse("nanosleep({tv_sec=1, tv_nsec=0} <unfinished ...>) = ?");
  EXPECT_EQ(inner.kind, LineKind::Syscall);
  EXPECT_TRUE(inner.cut_short);
  EXPECT_EQ(inner.args, "{tv_sec=1, tv_nsec=0}");
  Line pid_changed = parse("[pid 125] execve(\"/bin/true\", [\"true\"], 0x7ffd /* 3 vars */ <pid changed to 123 ...>");
  EXPECT_EQ(pid_changed.kind, LineKind::Unfinished);
  EXPECT_EQ(pid_changed.pid_changed_to, 123);
  EXPECT_EQ(pid_changed.args, "\"/bin/true\", [\"true\"], 0x7ffd /* 3 vars */");
  Line detached = parse("[pid 7] wait4(-1,  <detached ...>");
  EXPECT_EQ(detached.kind, LineKind::Unfinished);
  EXPECT_TRUE(detached.detached);
}

TEST(StraceLine, BareContinuation) {
  Line l;
  ASSERT_FALSE(parse_line("[], 8)                                  = 0 <0.000022>", l));
  ASSERT_TRUE(parse_continuation("[], 8)                                  = 0 <0.000022>", "rt_sigprocmask", l));
  EXPECT_EQ(l.kind, LineKind::Resumed);
  EXPECT_EQ(l.name, "rt_sigprocmask");
  EXPECT_EQ(l.args, "[], 8");
  EXPECT_EQ(l.duration, 22'000u);
}

TEST(StraceLine, SignalsAndExits) {
  Line sig = parse("[pid 1] 12:00:00.1 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2, si_status=0} ---");
  EXPECT_EQ(sig.kind, LineKind::Signal);
  EXPECT_EQ(sig.signal, 17);
  EXPECT_EQ(parse("--- stopped by SIGSTOP ---").signal, 19);
  Line exited = parse("10311 +++ exited with 3 +++");
  EXPECT_EQ(exited.kind, LineKind::Exited);
  EXPECT_EQ(exited.exit_code, 3);
  Line killed = parse("+++ killed by SIGKILL +++");
  EXPECT_EQ(killed.kind, LineKind::Killed);
  EXPECT_EQ(killed.signal, 9);
  EXPECT_FALSE(killed.core_dumped);
  Line core = parse("+++ killed by SIGSEGV (core dumped) +++");
  EXPECT_EQ(core.signal, 11);
  EXPECT_TRUE(core.core_dumped);
  EXPECT_EQ(parse("+++ killed by SIGRT_3 +++").signal, 35);
  Line sup = parse("11829 17:16:32.122585 +++ superseded by execve in pid 11832 +++");
  EXPECT_EQ(sup.kind, LineKind::Superseded);
  EXPECT_EQ(sup.superseded_by, 11832);
}

TEST(StraceLine, StraceNoise) {
  EXPECT_EQ(parse("strace: Process 11330 attached").kind, LineKind::StraceMessage);
  EXPECT_EQ(parse("[ Process PID=1234 runs in 32 bit mode. ]").kind, LineKind::Ignored);
  EXPECT_EQ(parse(" > /usr/lib/libc.so.6(read+0x12) [0x10f2]").kind, LineKind::Ignored);  // -k
  EXPECT_EQ(parse(" | 00000  68 65 6c 6c 6f  hello |").kind, LineKind::Ignored);        // -e write=
  EXPECT_EQ(parse("").kind, LineKind::Empty);
  // Printed into the middle of a trace line on stderr:
  std::string_view mid = "17:16:03.030646 clone(child_stack=NULL, flags=SIGCHLDstrace: Process 11398 attached";
  std::size_t pos = embedded_strace_message(mid);
  ASSERT_NE(pos, std::string_view::npos);
  EXPECT_EQ(mid.substr(pos), "strace: Process 11398 attached");
  EXPECT_EQ(embedded_strace_message("strace: Process 1 attached"), std::string_view::npos);
  EXPECT_EQ(embedded_strace_message("close(3) = 0"), std::string_view::npos);
}

TEST(StraceLine, BadLinesSayWhatWasExpected) {
  Line l;
  EXPECT_FALSE(parse_line("hello world from the program", l));
  EXPECT_EQ(l.kind, LineKind::Bad);
  EXPECT_NE(std::string(l.error).find("expected"), std::string::npos);
  EXPECT_FALSE(parse_line("openat(AT_FDCWD, \"/etc/pas", l));  // cut off
  EXPECT_FALSE(parse_line("close(3) = zero", l));
  EXPECT_FALSE(parse_line("+++ exploded +++", l));
  EXPECT_FALSE(parse_line("12:00 close(3) = 0", l));
}

TEST(StraceArgs, DecodesExecveArguments) {
  std::string_view args = "\"/usr/bin/make\", [\"make\", \"-j2\", \"a\\\"b\\n\\x41\\101\"], 0x7ffd /* 41 vars */";
  EXPECT_EQ(nth_arg(args, 0), "\"/usr/bin/make\"");
  EXPECT_EQ(decode_string(nth_arg(args, 0)).value(), "/usr/bin/make");
  std::vector<std::string> argv;
  bool truncated = false;
  ASSERT_TRUE(decode_string_array(nth_arg(args, 1), argv, truncated));
  EXPECT_EQ(argv, (std::vector<std::string>{"make", "-j2", "a\"b\nAA"}));
  EXPECT_FALSE(truncated);
  EXPECT_EQ(nth_arg(args, 2), "0x7ffd /* 41 vars */");
  ASSERT_TRUE(decode_string_array("[\"sh\", \"-c\", \"ls /etc >/dev/null & sleep 0.1; \"...]", argv, truncated));
  EXPECT_TRUE(truncated);
  EXPECT_EQ(argv.back(), "ls /etc >/dev/null & sleep 0.1; \u2026");  // cut by strace -s: marked
  truncated = false;
  ASSERT_TRUE(decode_string_array("[\"a\", \"b\", ...]", argv, truncated));
  EXPECT_TRUE(truncated);
  EXPECT_FALSE(decode_string("NULL"));
  EXPECT_EQ(nth_arg("3</a,b>, 2", 1), "2");
  EXPECT_EQ(parse_int("-1").value(), -1);
  EXPECT_EQ(parse_int("0x10").value(), 16);
  EXPECT_FALSE(parse_int("AT_FDCWD"));
}

TEST(StraceSummary, ReadsTheCTable) {
  SummaryTableReader t;
  t.start("% time     seconds  usecs/call     calls    errors syscall");
  using R = SummaryTableReader::Result;
  EXPECT_EQ(t.feed("------ ----------- ----------- --------- --------- ----------------"), R::More);
  EXPECT_EQ(t.feed(" 63.95    0.004150        1383         3         1 wait4"), R::More);
  EXPECT_EQ(t.feed("  4.55    0.000295         147         2           clone"), R::More);
  EXPECT_EQ(t.feed("------ ----------- ----------- --------- --------- ----------------"), R::More);
  EXPECT_EQ(t.feed("100.00    0.006489          11       546        81 total"), R::Done);
  auto rows = t.take_rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "wait4");
  EXPECT_EQ(rows[0].calls, 3u);
  EXPECT_EQ(rows[0].errors, 1u);
  EXPECT_DOUBLE_EQ(rows[0].seconds, 0.004150);
  EXPECT_EQ(rows[1].name, "clone");
  EXPECT_EQ(rows[1].calls, 2u);
  EXPECT_EQ(rows[1].errors, 0u);
}

TEST(StraceSummary, ColumnsChosenWithDashU) {
  SummaryTableReader t;
  t.start("    calls    errors syscall");
  t.feed("--------- --------- ----------------");
  t.feed("       12         2 openat");
  EXPECT_EQ(t.feed("       12         2 total"), SummaryTableReader::Result::Done);
  auto rows = t.take_rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].calls, 12u);
  EXPECT_EQ(rows[0].errors, 2u);
}

}  // namespace
}  // namespace proctrace::strace
