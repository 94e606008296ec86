#include <gtest/gtest.h>

#include <zlib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "render/mermaid_url.h"
#include "render_support.h"

namespace proctrace {
namespace {

using testing::fixture;
using testing::run_proctrace;

// What the live editor does with the fragment: base64url, then inflate.
std::string inflate_link(const std::string& url) {
  EXPECT_EQ(url.rfind(kMermaidLivePrefix, 0), 0u) << url.substr(0, 60);
  std::string b64 = url.substr(kMermaidLivePrefix.size());
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string packed;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    auto v = kAlphabet.find(c);
    if (v == std::string::npos) {
      ADD_FAILURE() << "not base64url: '" << c << "'";
      return {};
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      packed += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  z_stream z{};
  EXPECT_EQ(inflateInit(&z), Z_OK);  // the zlib format, header and checksum included
  z.next_in = reinterpret_cast<Bytef*>(packed.data());
  z.avail_in = static_cast<uInt>(packed.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

TEST(MermaidUrl, InflatesBackToTheEditorsStateWithTheChart) {
  const std::string chart = "gantt\n    title a \"quoted\" \\ chart ✓\n    x :0, 1\n";
  const std::string url = mermaid_live_url(chart);
  auto state = nlohmann::json::parse(inflate_link(url));
  EXPECT_EQ(state["code"], chart);
  EXPECT_EQ(state["mermaid"], "{\n  \"theme\": \"default\"\n}");
  EXPECT_EQ(state["autoSync"], true);
  EXPECT_EQ(state["updateDiagram"], true);
  // Every tail length of base64 (0, 2 or 3 characters in the last group).
  for (std::string extra : {"", "a", "ab", "abc"}) {
    auto back = nlohmann::json::parse(inflate_link(mermaid_live_url(chart + extra)));
    EXPECT_EQ(back["code"], chart + extra);
  }
}

TEST(MermaidUrl, RenderUrlPrintsALinkToTheSameChart) {
  const std::string rec = fixture("recordings/make.jsonl");
  auto chart = run_proctrace({"render", "-d", "mermaid", rec});
  auto link = run_proctrace({"render", "-d", "mermaid", "--url", rec});
  ASSERT_EQ(chart.exit_code, 0) << chart.err;
  ASSERT_EQ(link.exit_code, 0) << link.err;
  ASSERT_FALSE(link.out.empty());
  ASSERT_EQ(link.out.back(), '\n');
  std::string url = link.out.substr(0, link.out.size() - 1);
  // base64url without padding: nothing a chat tool or shell would cut at.
  EXPECT_EQ(url.find_first_of(" \n+/=", kMermaidLivePrefix.size()), std::string::npos) << url;
  EXPECT_EQ(nlohmann::json::parse(inflate_link(url))["code"], chart.out);
  std::printf("make.jsonl: chart %zu bytes, link %zu characters\n", chart.out.size(), url.size());
  RecordProperty("chart_bytes", static_cast<int>(chart.out.size()));
  RecordProperty("link_chars", static_cast<int>(url.size()));
}

TEST(MermaidUrl, UrlIsForMermaidOnly) {
  auto r = run_proctrace({"render", "-d", "tree", "--url", fixture("recordings/make.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--url works with -d mermaid only"), std::string::npos) << r.err;
}

TEST(MermaidUrl, AChartTooLongForABrowserGetsAMessageNotALink) {
  // 50,000 processes with random names: random text barely compresses, so
  // the link passes the 2 MiB that browsers open.
  std::mt19937_64 rng(15);
  std::string jsonl;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 50000; ++i) {
    std::string name;
    for (int k = 0; k < 40; ++k) name += hex[rng() & 15];
    const std::string pid = std::to_string(100 + i), t = std::to_string(1000000 + i * 1000);
    jsonl += R"({"Exec":{"timestamp":)" + t + R"(,"pid":)" + pid + R"(,"ppid":1,"pgid":1,"cmdline":[")" + name +
             "\"]}}\n";
    jsonl += R"({"Exit":{"timestamp":)" + t + R"(,"pid":)" + pid + R"(,"ppid":1,"pgid":1,"code":0,"signal":null}})" +
             "\n";
  }
  testing::TempDir dir;
  testing::write_file(dir.file("big.jsonl"), jsonl);
  auto r = run_proctrace({"render", "-d", "mermaid", "--url", dir.file("big.jsonl"), "-o", dir.file("link")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("browsers open at most 2097152"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("render -d mermaid -o chart.mmd"), std::string::npos) << r.err;
  EXPECT_FALSE(std::ifstream(dir.file("link")).good());  // no half link left behind
}

}  // namespace
}  // namespace proctrace
