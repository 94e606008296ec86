#include <gtest/gtest.h>

#include "render_support.h"

namespace proctrace {
namespace {

using testing::render_text;

const char* kTrace =
    R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["env","make"]}})" "\n"
    R"({"Exec":{"timestamp":2,"pid":10,"ppid":1,"pgid":10,"cmdline":["make","-j2"]}})" "\n"
    R"({"Fork":{"timestamp":3,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
    R"({"Exec":{"timestamp":4,"pid":11,"ppid":10,"pgid":10,"cmdline":["cc","-c","a long file name.c"]}})" "\n"
    R"({"Fork":{"timestamp":5,"parent_pid":11,"child_pid":12,"parent_pgid":10}})" "\n"
    R"({"Exit":{"timestamp":6,"pid":12,"ppid":11,"pgid":10,"code":null,"signal":9}})" "\n"
    R"({"Exit":{"timestamp":7,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null}})" "\n"
    R"({"Fork":{"timestamp":8,"parent_pid":10,"child_pid":13,"parent_pgid":10}})" "\n"
    R"({"Exec":{"timestamp":9,"pid":13,"ppid":10,"pgid":10,"cmdline":["sh","-c","echo hi\nexit 2"]}})" "\n"
    R"({"Exit":{"timestamp":10,"pid":13,"ppid":10,"pgid":10,"code":2,"signal":null}})" "\n"
    R"({"Exit":{"timestamp":11,"pid":10,"ppid":1,"pgid":10,"code":2,"signal":null}})" "\n";

TEST(Tree, DrawsPidStatusAndCommandPstreeStyle) {
  EXPECT_EQ(render_text(kTrace, "tree"),
            "10 [exit 2] env make → make -j2\n"
            "├─11 [exit 0] cc -c 'a long file name.c'\n"
            "│ └─12 [SIGKILL] (no exec) cc -c 'a long file name.c'\n"
            "└─13 [exit 2] sh -c 'echo hi\\nexit 2'\n");
}

TEST(Tree, TruncateCutsLongCommands) {
  RenderOptions options;
  options.truncate = 10;
  std::string tree = render_text(kTrace, "tree", options);
  EXPECT_NE(tree.find("├─11 [exit 0] cc -c 'a …\n"), std::string::npos) << tree;
}

TEST(Tree, ShowsThreadsInBracesAndEveryRoot) {
  Diagnostics diag(false);
  testing::TempDir dir;
  testing::write_file(dir.file("t.jsonl"),
                      R"({"Exec":{"timestamp":1,"pid":20,"ppid":1,"pgid":20,"cmdline":["java"]}})" "\n"
                      R"({"Exec":{"timestamp":2,"pid":30,"ppid":1,"pgid":30,"cmdline":["orphan"]}})" "\n");
  auto trace = load_trace({dir.file("t.jsonl")}, diag);
  trace->tree.add_thread(20, 21);
  trace->tree.add_thread(20, 22);
  {
    OutputFile out(dir.file("out"));
    render_tree(*trace, out, {});
    out.commit();
  }
  EXPECT_EQ(testing::read_file(dir.file("out")), "20 [running] java {21,22}\n30 [running] orphan\n");
}

TEST(Tree, ShowsCpuAndPeakMemoryOnlyWhereMeasured) {
  // Usage on one Exit: the other process, like every process of an older
  // recording or an strace import, shows nothing rather than zeros.
  const char* trace =
      R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["make"]}})" "\n"
      R"({"Fork":{"timestamp":2,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
      R"({"Exec":{"timestamp":3,"pid":11,"ppid":10,"pgid":10,"cmdline":["cc","a.c"]}})" "\n"
      R"({"Exit":{"timestamp":4,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null,)"
      R"("cpu_user_ns":300000000,"cpu_system_ns":12000000,"max_rss_kb":205824}})" "\n"
      R"({"Exit":{"timestamp":5,"pid":10,"ppid":1,"pgid":10,"code":0,"signal":null}})" "\n";
  EXPECT_EQ(render_text(trace, "tree"),
            "10 [exit 0] make\n"
            "└─11 [exit 0] cc a.c [cpu 312.0 ms, peak 201 MiB]\n");
}

TEST(Tree, MarksWhatWhyBlamesAndKeepsItsTextSafe) {
  // A snapshot at --timeout: cat blocks opening a fifo whose (hostile) name
  // holds an escape sequence; sh waits for it; true had exited before.
  const char* trace =
      R"({"Exec":{"timestamp":1,"pid":10,"ppid":1,"pgid":10,"cmdline":["sh","-c","x"]}})" "\n"
      R"({"Fork":{"timestamp":2,"parent_pid":10,"child_pid":11,"parent_pgid":10}})" "\n"
      R"({"Exec":{"timestamp":3,"pid":11,"ppid":10,"pgid":10,"cmdline":["true"]}})" "\n"
      R"({"Exit":{"timestamp":4,"pid":11,"ppid":10,"pgid":10,"code":0,"signal":null}})" "\n"
      R"({"Fork":{"timestamp":5,"parent_pid":10,"child_pid":12,"parent_pgid":10}})" "\n"
      R"({"Exec":{"timestamp":6,"pid":12,"ppid":10,"pgid":10,"cmdline":["cat","f"]}})" "\n"
      R"({"Snapshot":{"timestamp":7,"reason":"timeout","root_pid":10,"job_stdio":[],"processes":[)"
      R"({"pid":10,"ppid":1,"comm":"sh","state":"S","fds":[],"syscall":{"nr":61,"name":"wait4","args":[]}},)"
      R"({"pid":12,"ppid":10,"comm":"cat","state":"S","fds":[],"wchan":"wait_for_partner",)"
      R"("syscall":{"nr":257,"name":"openat","args":["0xffffff9c","0x1","0x0"],"path":"f\u001b[2J"}}]}})" "\n"
      R"({"Exit":{"timestamp":8,"pid":12,"ppid":10,"pgid":10,"code":null,"signal":15}})" "\n"
      R"({"Exit":{"timestamp":9,"pid":10,"ppid":1,"pgid":10,"code":null,"signal":15}})" "\n";
  EXPECT_EQ(render_text(trace, "tree"),
            "10 [SIGTERM] sh -c x ◀ at the timeout, waits for its child pid 12 (`cat f`)\n"
            "├─11 [exit 0] true\n"
            "└─12 [SIGTERM] cat f ◀ at the timeout, blocks opening the fifo f\\x1b[2J for reading\n");
}

}  // namespace
}  // namespace proctrace
