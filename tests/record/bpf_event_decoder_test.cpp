// Ring-buffer records (as bpf/proctrace.bpf.c writes them) to Events.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "bpf/proctrace_events.h"
#include "record/bpf_event_decoder.h"

namespace proctrace {
namespace {

std::vector<unsigned char> record(pt_event header, const std::string& argv = "", const std::string& filename = "") {
  header.argv_len = static_cast<__u32>(argv.size());
  header.filename_len = static_cast<__u32>(filename.size());
  std::vector<unsigned char> bytes(sizeof header + argv.size() + filename.size());
  std::memcpy(bytes.data(), &header, sizeof header);
  std::memcpy(bytes.data() + sizeof header, argv.data(), argv.size());
  std::memcpy(bytes.data() + sizeof header + argv.size(), filename.data(), filename.size());
  return bytes;
}

pt_event header(pt_kind kind) {
  pt_event e{};
  e.timestamp = 123456789;
  e.kind = kind;
  e.pid = 100;
  e.ppid = 10;
  e.pgid = 90;
  e.sid = 80;
  return e;
}

TEST(BpfEventDecoder, ExecSplitsArgvOnNuls) {
  auto bytes = record(header(PT_EXEC), std::string("sh\0-c\0\0echo a b\0", 16), "/bin/sh");
  Event e;
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_EQ(e.kind, EventKind::Exec);
  EXPECT_EQ(e.timestamp, 123456789u);
  EXPECT_EQ(e.pid, 100);
  EXPECT_EQ(e.ppid, 10);
  EXPECT_EQ(e.pgid, 90);
  EXPECT_EQ(e.sid, 80);
  EXPECT_TRUE(e.has_cmdline);
  EXPECT_EQ(e.cmdline, (std::vector<std::string>{"sh", "-c", "", "echo a b"}));
  EXPECT_EQ(e.filename, "/bin/sh");
  EXPECT_FALSE(e.truncated);
}

TEST(BpfEventDecoder, TruncatedArgvKeepsThePartialLastArgument) {
  pt_event h = header(PT_EXEC);
  h.flags = PT_EXEC_TRUNCATED;
  auto bytes = record(h, std::string("cc\0-o\0very-long-na", 18), "/usr/bin/cc");
  Event e;
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_EQ(e.cmdline, (std::vector<std::string>{"cc", "-o", "very-long-na"}));
  EXPECT_TRUE(e.truncated);
}

TEST(BpfEventDecoder, UnreadableArgvIsEmptyAndTruncated) {
  pt_event h = header(PT_EXEC);
  h.flags = PT_EXEC_ARGV_FAILED;
  auto bytes = record(h, "", "/bin/x");
  Event e;
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_TRUE(e.has_cmdline);
  EXPECT_TRUE(e.cmdline.empty());
  EXPECT_TRUE(e.truncated);
}

TEST(BpfEventDecoder, ReusedEventForgetsThePreviousRecord) {
  Event e;
  auto exec = record(header(PT_EXEC), std::string("a\0b\0c\0", 6), "/a");
  ASSERT_TRUE(decode_bpf_event(exec.data(), exec.size(), e));
  auto shorter = record(header(PT_EXEC), std::string("x\0", 2), "/x");
  ASSERT_TRUE(decode_bpf_event(shorter.data(), shorter.size(), e));
  EXPECT_EQ(e.cmdline, std::vector<std::string>{"x"});
  auto fork = record(header(PT_FORK));
  ASSERT_TRUE(decode_bpf_event(fork.data(), fork.size(), e));
  EXPECT_FALSE(e.has_cmdline);
  EXPECT_TRUE(e.cmdline.empty());
  EXPECT_TRUE(e.filename.empty());
}

TEST(BpfEventDecoder, Fork) {
  pt_event h = header(PT_FORK);
  h.child_pid = 101;
  auto bytes = record(h);
  Event e;
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_EQ(e.kind, EventKind::Fork);
  EXPECT_EQ(e.pid, 100);
  EXPECT_EQ(e.child_pid, 101);
  EXPECT_EQ(e.pgid, 90);
}

TEST(BpfEventDecoder, ExitStatusFromTheWaitStatus) {
  Event e;
  pt_event h = header(PT_EXIT);
  h.wait_status = 3 << 8;  // exit(3)
  auto bytes = record(h);
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_EQ(e.kind, EventKind::Exit);
  EXPECT_EQ(e.exit.code, 3);
  EXPECT_FALSE(e.exit.signal);

  h.wait_status = SIGSEGV | 0x80;  // killed, core dumped
  bytes = record(h);
  ASSERT_TRUE(decode_bpf_event(bytes.data(), bytes.size(), e));
  EXPECT_FALSE(e.exit.code);
  EXPECT_EQ(e.exit.signal, SIGSEGV);
  EXPECT_TRUE(e.exit.core_dumped);
}

TEST(BpfEventDecoder, SessionAndGroupChanges) {
  Event e;
  auto setsid = record(header(PT_SETSID));
  ASSERT_TRUE(decode_bpf_event(setsid.data(), setsid.size(), e));
  EXPECT_EQ(e.kind, EventKind::SetSid);
  auto setpgid = record(header(PT_SETPGID));
  ASSERT_TRUE(decode_bpf_event(setpgid.data(), setpgid.size(), e));
  EXPECT_EQ(e.kind, EventKind::SetPgid);
  EXPECT_EQ(e.pgid, 90);
}

TEST(BpfEventDecoder, RejectsShortAndUnknownRecords) {
  Event e;
  auto bytes = record(header(PT_FORK));
  EXPECT_FALSE(decode_bpf_event(bytes.data(), sizeof(pt_event) - 1, e));
  auto unknown = record(header(static_cast<pt_kind>(99)));
  EXPECT_FALSE(decode_bpf_event(unknown.data(), unknown.size(), e));
  // argv_len pointing past the end of the record
  auto exec = record(header(PT_EXEC), std::string("a\0", 2), "/a");
  EXPECT_FALSE(decode_bpf_event(exec.data(), exec.size() - 1, e));
}

}  // namespace
}  // namespace proctrace
