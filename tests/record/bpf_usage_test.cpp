// What each process used, as the eBPF recorder writes it on Exit, against
// what the kernel tells the process itself (getrusage(RUSAGE_SELF) and
// /proc/self/io, printed by the helper just before it exits) and what
// wait4() tells its parent (/usr/bin/time).
#include <gtest/gtest.h>

#include <cstdio>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

#include "record/bpf_recording.h"

namespace proctrace::testing {
namespace {

struct SelfReport {
  std::uint64_t user_us, system_us, maxrss_kb, nvcsw, nivcsw, minflt, majflt;
  std::uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes;
};

SelfReport parse_report(const std::string& text) {
  std::istringstream in(text);
  SelfReport r{};
  in >> r.user_us >> r.system_us >> r.maxrss_kb >> r.nvcsw >> r.nivcsw >> r.minflt >> r.majflt >> r.rchar >>
      r.wchar >> r.syscr >> r.syscw >> r.read_bytes >> r.write_bytes;
  EXPECT_TRUE(in) << "helper output: " << text;
  return r;
}

// The helper's Exit as recorded (it is the root, or the only Exec'd child).
ResourceUsage helper_usage(const Recorded& r) {
  for (auto& exit : events_of(*r.trace, EventKind::Exit)) {
    const Process* p = nullptr;
    for (auto& q : r.trace->tree.processes())
      if (q.pid == exit.pid && q.command() && !q.command()->empty() &&
          q.command()->front() == PROCTRACE_USAGE_HELPER)
        p = &q;
    if (p) return exit.usage;
  }
  ADD_FAILURE() << "no Exit of the helper in\n" << r.text;
  return {};
}

TEST(BpfUsage, PeakRssOfAChildTouching200MiB) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string time_out = dir.file("time.txt");
  auto r = record_command({"/usr/bin/time", "-f", "%M", "-o", time_out, PROCTRACE_USAGE_HELPER, "rss", "200"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  auto self = parse_report(r.run.out);
  auto usage = helper_usage(r);
  ASSERT_TRUE(usage.max_rss_kb) << r.text;
  EXPECT_GE(*usage.max_rss_kb, 200u * 1024);
  // The process's own getrusage() reads the kernel's per-CPU RSS counters
  // without summing them (and it prints and exits after): a few hundred KiB off.
  EXPECT_NEAR(static_cast<double>(*usage.max_rss_kb), static_cast<double>(self.maxrss_kb), 1024.0);
  // What /usr/bin/time -v calls "Maximum resident set size", from wait4().
  std::uint64_t waited = std::stoull(read_file(time_out));
  EXPECT_NEAR(static_cast<double>(*usage.max_rss_kb), static_cast<double>(waited), 256.0);
  ASSERT_TRUE(usage.minor_faults);
  EXPECT_GE(*usage.minor_faults, self.minflt);
  EXPECT_LE(*usage.minor_faults, self.minflt + 64);
}

TEST(BpfUsage, CpuTimeOfAChildBurning300ms) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({PROCTRACE_USAGE_HELPER, "cpu", "300"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  auto self = parse_report(r.run.out);
  auto usage = helper_usage(r);
  ASSERT_TRUE(usage.cpu_user_ns && usage.cpu_system_ns) << r.text;
  std::uint64_t recorded_us = (*usage.cpu_user_ns + *usage.cpu_system_ns) / 1000;
  EXPECT_GE(recorded_us, 290'000u);
  // The helper measured itself a moment before its exit: a little less.
  EXPECT_GE(recorded_us + 10000, self.user_us + self.system_us);  // the last tick may be uncounted
  EXPECT_LE(recorded_us, self.user_us + self.system_us + 20'000);
  EXPECT_NEAR(static_cast<double>(*usage.cpu_user_ns / 1000), static_cast<double>(self.user_us), 20'000.0);
  ASSERT_TRUE(usage.voluntary_switches && usage.involuntary_switches);
  EXPECT_GE(*usage.voluntary_switches, self.nvcsw);
  EXPECT_LE(*usage.voluntary_switches, self.nvcsw + 8);
  EXPECT_GE(*usage.involuntary_switches, self.nivcsw);
}

TEST(BpfUsage, IoOfAChildReading50MiB) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir dir;
  std::string data = dir.file("data.bin");
  {
    int fd = ::open(data.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 50; ++i) ASSERT_EQ(::write(fd, block.data(), block.size()), static_cast<ssize_t>(block.size()));
    ::close(fd);
  }
  auto r = record_command({PROCTRACE_USAGE_HELPER, "read", data});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  auto self = parse_report(r.run.out);
  auto usage = helper_usage(r);
  ASSERT_TRUE(usage.read_chars && usage.read_syscalls && usage.write_chars) << "no I/O accounting?\n" << r.text;
  EXPECT_GE(*usage.read_chars, 50u << 20);
  // After its snapshot the helper read the rest of /proc/self/io and wrote
  // one line.
  EXPECT_GE(*usage.read_chars, self.rchar);
  EXPECT_LE(*usage.read_chars, self.rchar + 4096);
  EXPECT_GE(*usage.read_syscalls, self.syscr);
  EXPECT_LE(*usage.read_syscalls, self.syscr + 4);
  EXPECT_GE(*usage.write_chars, self.wchar);
  EXPECT_LE(*usage.write_chars, self.wchar + 4096);
  ASSERT_TRUE(usage.storage_read_bytes && usage.storage_write_bytes);
  EXPECT_GE(*usage.storage_read_bytes, self.read_bytes);
}

TEST(BpfUsage, RecordingRoundTripsUsageAndLeavesAbsentFieldsOut) {
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  auto r = record_command({"sh", "-c", "true"});
  ASSERT_EQ(r.run.exit_code, 0);
  EXPECT_NE(r.text.find("\"max_rss_kb\":"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("\"cpu_user_ns\":"), std::string::npos) << r.text;
  ASSERT_EQ(r.trace->tree.size(), 1u);
  ASSERT_TRUE(r.trace->tree[0].usage);
  EXPECT_TRUE(r.trace->tree[0].usage->max_rss_kb.has_value());
  // Fork/Exec lines carry none of it.
  for (auto& e : events_of(*r.trace, EventKind::Exec)) EXPECT_FALSE(e.usage.any());
}

}  // namespace
}  // namespace proctrace::testing
