#include "model/lifecycle_walker.h"

#include <gtest/gtest.h>

#include "io/event_json.h"
#include "test_support.h"

namespace proctrace {
namespace {

// Records the callbacks as text so a test reads like the expected sequence.
class Log : public LifecycleSink {
 public:
  void process_started(const Process& p, const Process* parent) override {
    out += "start " + std::to_string(p.pid) + (parent ? " parent " + std::to_string(parent->pid) : "") + "\n";
  }
  void segment_started(const Process& p, std::size_t n) override {
    out += "  seg+ " + std::to_string(p.pid) + "#" + std::to_string(n) + " " + std::string(program_name(p.segments[n])) + "\n";
  }
  void segment_ended(const Process& p, std::size_t n) override {
    const auto end = p.segment_end(n);
    out += "  seg- " + std::to_string(p.pid) + "#" + std::to_string(n) + " " +
           (end ? std::to_string(*end) : "open") + "\n";
  }
  void event(const Event& e, std::string_view, const Process& p) override {
    out += "  " + std::string(event_kind_name(e.kind)) + " " + std::to_string(p.pid) + "\n";
  }
  void process_ended(const Process& p) override { out += "end " + std::to_string(p.pid) + "\n"; }
  std::string out;
};

void feed(LifecycleWalker& w, const std::string& text) {
  ParsedLine parsed;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ASSERT_TRUE(parse_line(line, parsed)) << parsed.error;
    if (parsed.kind == LineKind::Event) w.add(parsed.event, line);
  }
}

TEST(Lifecycle, ReportsEachSegmentAndProcessOnceInOrder) {
  Log log;
  LifecycleWalker w(log);
  feed(w,
       "{\"Exec\":{\"timestamp\":1,\"pid\":10,\"ppid\":1,\"pgid\":10,\"cmdline\":[\"sh\"],\"filename\":\"/bin/sh\"}}\n"
       "{\"Fork\":{\"timestamp\":2,\"parent_pid\":10,\"child_pid\":11,\"parent_pgid\":10}}\n"
       "{\"Exec\":{\"timestamp\":3,\"pid\":11,\"ppid\":10,\"pgid\":10,\"cmdline\":[\"ls\",\"-l\"],\"filename\":\"/bin/ls\"}}\n"
       "{\"Exit\":{\"timestamp\":4,\"pid\":11,\"ppid\":10,\"pgid\":10,\"code\":0,\"signal\":null}}\n");
  w.finish(9);
  EXPECT_EQ(log.out,
            "start 10\n"
            "  seg+ 10#0 sh\n"
            "  Exec 10\n"
            "start 11 parent 10\n"
            "  seg+ 11#0 sh\n"
            "  Fork 11\n"
            "  seg- 11#0 3\n"
            "  seg+ 11#1 ls\n"
            "  Exec 11\n"
            "  seg- 11#1 4\n"
            "  Exit 11\n"
            "end 11\n"
            "  seg- 10#0 open\n"
            "end 10\n");
  EXPECT_EQ(w.events(), 4u);
  EXPECT_EQ(w.segments(), 3u);
}

TEST(Lifecycle, ReusedPidClosesThePreviousHolder) {
  Log log;
  LifecycleWalker w(log);
  feed(w,
       "{\"Exec\":{\"timestamp\":1,\"pid\":10,\"ppid\":1,\"pgid\":10,\"cmdline\":[\"sh\"]}}\n"
       "{\"Fork\":{\"timestamp\":2,\"parent_pid\":10,\"child_pid\":11,\"parent_pgid\":10}}\n"
       "{\"Fork\":{\"timestamp\":3,\"parent_pid\":10,\"child_pid\":11,\"parent_pgid\":10}}\n");
  EXPECT_NE(log.out.find("start 11 parent 10\n  seg+ 11#0 sh\n  Fork 11\n  seg- 11#0 open\nend 11\nstart 11"),
            std::string::npos)
      << log.out;
}

TEST(Lifecycle, ProgramNameIsTheExecutablesBaseName) {
  ExecSegment s;
  s.argv = {"/usr/bin/python3", "x.py"};
  EXPECT_EQ(program_name(s), "python3");
  s.filename = "/usr/bin/python3.11";
  EXPECT_EQ(program_name(s), "python3.11");
  s.filename.clear();
  s.argv = {"make"};
  EXPECT_EQ(program_name(s), "make");
}


}  // namespace
}  // namespace proctrace
