#include "io/snapshot_json.h"

#include <array>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace proctrace {

namespace {

using Json = nlohmann::json;
constexpr auto kReplaceInvalid = Json::error_handler_t::replace;
// Deeper than any real Snapshot line (line > processes > fd > field): a
// hostile line must not recurse nlohmann's parser and printer without end.
constexpr int kMaxDepth = 8;

struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Json fd_json(const SnapshotFd& f) {
  Json j = {{"fd", f.fd}, {"kind", fd_kind_name(f.kind)}, {"target", f.target}};
  if (f.inode) j["inode"] = f.inode;
  if (f.dev) j["dev"] = f.dev;
  if (f.access != '?') j["access"] = std::string(1, f.access);
  return j;
}

Json process_json(const SnapshotProcess& p) {
  Json j = {{"pid", p.pid},       {"ppid", p.ppid},
            {"pgid", p.pgid},     {"sid", p.sid},
            {"in_subtree", p.in_subtree},
            {"state", std::string(1, p.state)},
            {"start_timestamp", p.start_timestamp},
            {"comm", p.comm},     {"cmdline", p.cmdline}};
  if (p.syscall) {
    Json args = Json::array();
    char hex[24];
    for (auto a : p.syscall->args) {
      auto [end, ec] = std::to_chars(hex, hex + sizeof hex, a, 16);
      args.push_back("0x" + std::string(hex, end));
    }
    Json s = {{"nr", p.syscall->nr}, {"args", args}};
    if (!p.syscall->name.empty()) s["name"] = p.syscall->name;
    if (!p.syscall->path.empty()) s["path"] = p.syscall->path;
    j["syscall"] = s;
  } else {
    j["syscall"] = nullptr;
  }
  if (!p.wchan.empty()) j["wchan"] = p.wchan;
  Json fds = Json::array();
  for (auto& f : p.fds) fds.push_back(fd_json(f));
  j["fds"] = fds;
  if (p.fds_truncated) j["fds_truncated"] = true;
  return j;
}

// Every integer goes through here: nlohmann's get<int>() on a number that
// does not fit is truncation or undefined behaviour.
template <class T>
T integer(const Json& j, const char* key) {
  const Json& v = j.at(key);
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    auto i = v.get<std::int64_t>();
    if (std::is_signed_v<T> ? (i >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                               i <= static_cast<std::int64_t>(std::numeric_limits<T>::max()))
                            : i >= 0)
      return static_cast<T>(i);
  }
  throw Bad(std::string("field '") + key + "': expected an integer in range");
}

template <class T>
T integer_or(const Json& j, const char* key, T fallback) {
  return j.contains(key) ? integer<T>(j, key) : fallback;
}

std::string text(const Json& j, const char* key) {
  if (!j.contains(key)) return {};
  const Json& v = j.at(key);
  if (!v.is_string()) throw Bad(std::string("field '") + key + "': expected a string");
  return v.get<std::string>();
}

char one_char(const Json& j, const char* key, char fallback) {
  std::string s = text(j, key);
  if (s.size() > 1) throw Bad(std::string("field '") + key + "': expected one character");
  return s.empty() ? fallback : s[0];
}

const Json& array(const Json& j, const char* key) {
  static const Json empty = Json::array();
  if (!j.contains(key)) return empty;
  const Json& v = j.at(key);
  if (!v.is_array()) throw Bad(std::string("field '") + key + "': expected an array");
  return v;
}

const Json& object(const Json& v, const char* what) {
  if (!v.is_object()) throw Bad(std::string(what) + ": expected an object");
  return v;
}

SnapshotFd parse_fd(const Json& v) {
  const Json& j = object(v, "fd");
  SnapshotFd f;
  f.fd = integer<int>(j, "fd");
  auto kind = fd_kind_from_name(text(j, "kind"));
  f.kind = kind ? *kind : FdKind::Other;  // a kind from a newer writer
  f.target = text(j, "target");
  f.inode = integer_or<std::uint64_t>(j, "inode", 0);
  f.dev = integer_or<std::uint64_t>(j, "dev", 0);
  f.access = one_char(j, "access", '?');
  return f;
}

SnapshotProcess parse_process(const Json& v) {
  const Json& j = object(v, "process");
  SnapshotProcess p;
  p.pid = integer<Pid>(j, "pid");
  p.ppid = integer_or<Pid>(j, "ppid", 0);
  p.pgid = integer_or<Pid>(j, "pgid", 0);
  p.sid = integer_or<Pid>(j, "sid", 0);
  if (j.contains("in_subtree")) {
    if (!j["in_subtree"].is_boolean()) throw Bad("field 'in_subtree': expected true or false");
    p.in_subtree = j["in_subtree"].get<bool>();
  }
  p.state = one_char(j, "state", '?');
  p.start_timestamp = integer_or<Nanos>(j, "start_timestamp", 0);
  p.comm = text(j, "comm");
  for (auto& a : array(j, "cmdline")) {
    if (!a.is_string()) throw Bad("field 'cmdline': expected an array of strings");
    p.cmdline.push_back(a.get<std::string>());
  }
  if (j.contains("syscall") && !j["syscall"].is_null()) {
    const Json& s = object(j["syscall"], "field 'syscall'");
    BlockedSyscall call;
    call.nr = integer<long>(s, "nr");
    call.name = text(s, "name");
    call.path = text(s, "path");
    for (auto& a : array(s, "args")) {
      std::uint64_t value = 0;
      std::string hex = a.is_string() ? a.get<std::string>() : "";
      if (hex.rfind("0x", 0) != 0 ||
          std::from_chars(hex.data() + 2, hex.data() + hex.size(), value, 16).ptr != hex.data() + hex.size() ||
          hex.size() == 2)
        throw Bad("field 'args': expected hex strings like \"0x3\"");
      call.args.push_back(value);
    }
    if (call.args.size() > 6) throw Bad("field 'args': at most 6 arguments");
    p.syscall = std::move(call);
  }
  p.wchan = text(j, "wchan");
  for (auto& f : array(j, "fds")) p.fds.push_back(parse_fd(f));
  if (j.contains("fds_truncated")) p.fds_truncated = j["fds_truncated"].is_boolean() && j["fds_truncated"].get<bool>();
  return p;
}

bool nested_deeper_than(std::string_view line, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

}  // namespace

std::string snapshot_json(const ProcSnapshot& s) {
  Json stdio = Json::array();
  for (auto& f : s.job_stdio) stdio.push_back(fd_json(f));
  Json processes = Json::array();
  for (auto& p : s.processes) processes.push_back(process_json(p));
  Json j = {{"timestamp", s.timestamp},
            {"reason", s.reason},
            {"root_pid", s.root},
            {"duration_ns", s.duration_ns},
            {"processes_scanned", s.processes_scanned},
            {"truncated", s.truncated},
            {"job_stdio", stdio},
            {"processes", processes}};
  return Json{{"Snapshot", j}}.dump(-1, ' ', false, kReplaceInvalid);
}

bool parse_snapshot_line(std::string_view line, ProcSnapshot& out, std::string& error) {
  try {
    if (nested_deeper_than(line, kMaxDepth)) throw Bad("nested too deeply");
    Json whole = Json::parse(line);
    const Json& j = object(whole.at("Snapshot"), "Snapshot");
    out = ProcSnapshot{};
    out.timestamp = integer<Nanos>(j, "timestamp");
    out.reason = text(j, "reason");
    out.root = integer_or<Pid>(j, "root_pid", 0);
    out.duration_ns = integer_or<Nanos>(j, "duration_ns", 0);
    out.processes_scanned = integer_or<std::uint64_t>(j, "processes_scanned", 0);
    if (j.contains("truncated")) out.truncated = j["truncated"].is_boolean() && j["truncated"].get<bool>();
    for (auto& f : array(j, "job_stdio")) out.job_stdio.push_back(parse_fd(f));
    for (auto& p : array(j, "processes")) out.processes.push_back(parse_process(p));
    return true;
  } catch (const std::exception& e) {
    error = std::string("malformed Snapshot line: ") + e.what();
    return false;
  }
}

}  // namespace proctrace
