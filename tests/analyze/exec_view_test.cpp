// `proctrace exec` on real eBPF recordings (tests/fixtures/recordings): the
// list holds exactly the recording's Exec events, in time order, with argv
// and exit status; -p/-r narrow it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_support.h"

namespace proctrace::testing {
namespace {

using nlohmann::json;

// The Exec events of a recording, in file order (which is time order).
std::vector<json> exec_events(const std::string& path) {
  std::vector<json> out;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("{\"Exec\":")) out.push_back(json::parse(line)["Exec"]);
  return out;
}

json exec_json(const std::vector<std::string>& args) {
  auto r = run_proctrace(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(ExecView, ListsEveryExecOfARecording) {
  for (auto name : {"make", "killed", "pipeline", "sessions", "special_argv", "still_running", "subshells"}) {
    SCOPED_TRACE(name);
    std::string path = fixture(std::string("recordings/") + name + ".jsonl");
    auto events = exec_events(path);
    ASSERT_FALSE(events.empty());
    json doc = exec_json({"exec", "--json", path});
    auto& execs = doc["execs"];
    ASSERT_EQ(execs.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(execs[i]["pid"], events[i]["pid"]);
      EXPECT_EQ(execs[i]["argv"], events[i]["cmdline"]);
      EXPECT_EQ(execs[i]["filename"], events[i]["filename"]);
      EXPECT_EQ(execs[i]["timestamp_ns"], events[i]["timestamp"]);
    }
  }
}

TEST(ExecView, TextShowsExitAndQuotedCommand) {
  auto r = run_proctrace({"exec", fixture("recordings/killed.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 programs executed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  SIGKILL  sleep 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  SIGTERM  sh -c 'kill -TERM $$'\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  exit 1   sh -c 'sleep 5 & while"), std::string::npos) << r.out;
}

TEST(ExecView, SelectsByPidAndRelated) {
  std::string path = fixture("recordings/make.jsonl");
  json all = exec_json({"exec", "--json", path});
  ASSERT_EQ(all["execs"].size(), 9u);
  int root = all["execs"][0]["pid"];
  int child = all["execs"][1]["pid"];  // /bin/sh -c 'sleep 0.02; ...', a child of make
  json one = exec_json({"exec", "--json", "-p", std::to_string(child), path});
  ASSERT_EQ(one["execs"].size(), 1u);
  EXPECT_EQ(one["execs"][0]["pid"], child);
  json related = exec_json({"exec", "--json", "-r", "-p", std::to_string(child), path});
  std::set<int> pids;
  for (auto& e : related["execs"]) pids.insert(e["pid"].get<int>());
  EXPECT_TRUE(pids.contains(root)) << "the parent";
  EXPECT_TRUE(pids.contains(child));
  EXPECT_EQ(pids.size(), 3u) << "make, the shell and its sleep";
  json none = exec_json({"exec", "--json", "-p", "1", path});
  EXPECT_TRUE(none["execs"].empty());
}

}  // namespace
}  // namespace proctrace::testing
