#include "render/inherited_fds.h"

#include <algorithm>

#include "io/event_json.h"
#include "io/terminal_text.h"

namespace proctrace {

std::string fd_list_text(const std::vector<OpenFd>& fds, std::uint32_t cut) {
  std::string out;
  for (const OpenFd& f : fds) {
    if (!out.empty()) out += " · ";
    out += std::to_string(f.fd);
    if (f.access != '?') {
      out += ' ';
      out += f.access;
    }
    out += ' ';
    if (f.target.empty()) out += fd_kind_name(f.kind);
    else append_terminal_safe(out, f.target);
  }
  if (cut) {
    if (!out.empty()) out += " · ";
    out += std::to_string(cut) + " more not recorded";
  }
  if (out.empty()) out = "none";
  return out;
}

InheritedFds::InheritedFds(const Trace& trace) {
  // Reading every line back would fault the whole recording into memory
  // (its lines are views of the mapped file): only when there are fds.
  if (!trace.exec_fds) return;
  for (const TraceEvent& e : trace.events) {
    // Most exec lines of a recording without fd tables are skipped without
    // parsing them.
    if (e.kind != EventKind::Exec || e.process == kNoProcess || e.line.find("\"fds\"") == std::string_view::npos)
      continue;
    execs_.emplace_back(e.process, e.timestamp, e.line);
  }
  std::sort(execs_.begin(), execs_.end());
}

std::string InheritedFds::text(ProcessIndex p, Nanos start) const {
  auto at = std::lower_bound(execs_.begin(), execs_.end(), std::make_tuple(p, start, std::string_view{}));
  if (at == execs_.end() || std::get<0>(*at) != p || std::get<1>(*at) != start) return {};
  ParsedLine parsed;
  if (!parse_line(std::get<2>(*at), parsed) || parsed.kind != LineKind::Event || !parsed.event.has_fds) return {};
  return fd_list_text(parsed.event.fds, parsed.event.fds_cut);
}

}  // namespace proctrace
