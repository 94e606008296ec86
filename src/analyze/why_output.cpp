// `proctrace why` output: the headline lines as text (made safe for a
// terminal), or everything as one JSON document.
#include <nlohmann/json.hpp>

#include "analyze/why.h"

namespace proctrace {

namespace {

using Json = nlohmann::json;

// Recordings are hostile: a command line or path must not reach a terminal
// as an escape sequence. C0 and C1 controls become \xNN.
std::string visible(std::string_view s) {
  std::string out;
  char hex[8];
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F) {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else if (c1) {
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(s[++i]));
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Json process_json(const WhyProcess& p) {
  Json j = {{"pid", p.pid}, {"command", p.command}, {"in_subtree", p.in_subtree}};
  if (p.started_s) j["started_s"] = *p.started_s;
  if (!p.parent_command.empty()) j["parent"] = {{"pid", p.parent_pid}, {"command", p.parent_command}};
  return j;
}

Json status_json(const ExitStatus& s) {
  Json j = Json::object();
  j["code"] = s.code ? Json(*s.code) : Json(nullptr);
  j["signal"] = s.signal ? Json(*s.signal) : Json(nullptr);
  if (s.core_dumped) j["core_dumped"] = true;
  return j;
}

Json report_json(const WhyReport& r) {
  Json j = {{"verdict", r.verdict}, {"headline", r.headline}};
  if (r.command_seconds) j["command_seconds"] = *r.command_seconds;
  if (r.root_status) j["root_status"] = status_json(*r.root_status);
  if (!r.snapshot_reason.empty()) j["snapshot_reason"] = r.snapshot_reason;
  Json held = Json::array();
  for (auto& h : r.held) {
    Json holders = Json::array();
    for (auto& x : h.holders) {
      Json one = process_json(x.process);
      one["fd"] = x.fd;
      holders.push_back(one);
    }
    held.push_back({{"stream", h.stream}, {"target", h.target}, {"holders", holders}});
  }
  j["held_stdio"] = held;
  Json stuck = Json::array();
  for (auto& s : r.stuck) {
    Json one = process_json(s.process);
    one["state"] = std::string(1, s.state);
    one["doing"] = s.doing;
    if (s.edge) {
      one["waits_on"] = s.edge->how + s.edge->holders_text;
      one["waits_for"] = s.edge->waits_for;
    }
    stuck.push_back(one);
  }
  j["alive"] = stuck;
  j["wait_chains"] = r.chains;
  j["deadlock"] = r.deadlock;
  if (r.failure) {
    Json f = process_json(r.failure->process);
    f["status"] = status_json(r.failure->status);
    f["failed_exec"] = r.failure->failed_exec;
    Json chain = Json::array();
    for (auto& [p, s] : r.failure->ancestors) {
      Json a = process_json(p);
      a["status"] = status_json(s);
      chain.push_back(a);
    }
    f["ancestors"] = chain;
    j["failure"] = f;
  } else {
    j["failure"] = nullptr;
  }
  j["slow"] = r.slow;
  return j;
}

}  // namespace

void view_why(const Trace& trace, bool json, OutputFile& out) {
  WhyReport r = explain(trace);
  if (json) {
    out.write(report_json(r).dump(-1, ' ', false, Json::error_handler_t::replace));
    out.write("\n");
    return;
  }
  for (auto& line : r.headline) {
    out.write(visible(line));
    out.write("\n");
  }
  for (auto& line : r.slow) {
    out.write(visible(line));
    out.write("\n");
  }
}

}  // namespace proctrace
