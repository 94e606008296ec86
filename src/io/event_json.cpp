#include "io/event_json.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "io/event_fields.h"
#include "io/json_text.h"
#include "io/snapshot_json.h"
#include "model/linux_errno.h"

namespace proctrace {

namespace {

struct ObjectWriter {
  std::string& out;
  bool first = true;
  void key(std::string_view k) {
    out += first ? "" : ",";
    first = false;
    out += '"';
    out += k;
    out += "\":";
  }
  void num(std::string_view k, std::int64_t v) { key(k); json::append_int(out, v); }
  void unum(std::string_view k, std::uint64_t v) { key(k); json::append_uint(out, v); }
  void str(std::string_view k, std::string_view v) { key(k); json::append_string(out, v); }
  void boolean(std::string_view k, bool v) { key(k); out += v ? "true" : "false"; }
  void opt_num(std::string_view k, const std::optional<int>& v) {
    key(k);
    if (v) json::append_int(out, *v); else out += "null";
  }
  // The snapshot's form of each descriptor (docs/format.md).
  void fds(std::string_view k, const std::vector<OpenFd>& fds) {
    key(k);
    out += '[';
    for (std::size_t i = 0; i < fds.size(); ++i) {
      const OpenFd& f = fds[i];
      out += i ? ",{" : "{";
      ObjectWriter o{out};
      o.num("fd", f.fd);
      o.str("kind", fd_kind_name(f.kind));
      o.str("target", f.target);
      if (f.inode) o.unum("inode", f.inode);
      if (f.dev) o.unum("dev", f.dev);
      if (f.access != '?') o.str("access", std::string_view(&f.access, 1));
      out += '}';
    }
    out += ']';
  }
  void argv(std::string_view k, const Event& e) {
    key(k);
    if (!e.has_cmdline) {
      out += "null";
    } else if (e.args_joined) {
      json::append_string(out, e.cmdline.empty() ? std::string_view() : std::string_view(e.cmdline[0]));
    } else {
      out += '[';
      for (std::size_t i = 0; i < e.cmdline.size(); ++i) {
        if (i) out += ',';
        json::append_string(out, e.cmdline[i]);
      }
      out += ']';
    }
  }
};

}  // namespace

void append_event_json(std::string& out, const Event& e) {
  out += "{\"";
  out += event_kind_name(e.kind);
  out += "\":{";
  ObjectWriter w{out};
  if (e.seq) w.unum("seq", *e.seq);
  w.unum("timestamp", e.timestamp);
  switch (e.kind) {
    case EventKind::Fork:
      w.num("parent_pid", e.pid);
      w.num("child_pid", e.child_pid);
      w.num("parent_pgid", e.pgid);
      break;
    case EventKind::Exec:
      w.num("pid", e.pid);
      w.num("ppid", e.ppid);
      w.num("pgid", e.pgid);
      w.argv("cmdline", e);
      break;
    case EventKind::Exit:
    case EventKind::SetSid:
    case EventKind::SetPgid:
      w.num("pid", e.pid);
      w.num("ppid", e.ppid);
      w.num("pgid", e.pgid);
      break;
    case EventKind::Attached:
      w.num("pid", e.pid);
      w.num("ppid", e.ppid);
      w.num("pgid", e.pgid);
      if (e.has_cmdline) w.argv("cmdline", e);  // record --attach: what /proc said it runs
      break;
    case EventKind::ExecArgs:
      w.num("pid", e.pid);
      w.argv("args", e);
      break;
    case EventKind::ExecFilename:
      w.num("pid", e.pid);
      w.str("filename", e.filename);
      break;
    case EventKind::ExecFull:
      w.num("pid", e.pid);
      w.num("ppid", e.ppid);
      w.num("pgid", e.pgid);
      w.str("filename", e.filename);
      w.argv("args", e);
      break;
    case EventKind::BadExec:
      w.num("pid", e.pid);
      // Ours; the original's carried the pid alone.
      if (!e.filename.empty()) w.str("filename", e.filename);
      if (e.exec_errno) {
        w.num("errno", e.exec_errno);
        if (auto name = linux_errno_name(e.exec_errno); !name.empty()) w.str("error", name);  // for people; not read back
      }
      break;
  }
  if (e.sid) w.num("sid", *e.sid);
  if (e.host_pid) w.num("host_pid", *e.host_pid);
  if (e.kind == EventKind::Exec) {
    w.str("filename", e.filename);
    w.boolean("truncated", e.truncated);
    if (!e.cwd.empty()) w.str("cwd", e.cwd);
    if (e.cwd_cut) w.boolean("cwd_cut", true);
    if (e.ids) {
      w.unum("uid", e.ids->uid);
      w.unum("euid", e.ids->euid);
      w.unum("gid", e.ids->gid);
      w.unum("egid", e.ids->egid);
    }
    if (e.has_fds) {
      w.fds("fds", e.fds);
      if (e.fds_cut) w.unum("fds_cut", e.fds_cut);
    }
  }
  if (e.kind == EventKind::Exit) {
    w.opt_num("code", e.exit.code);
    w.opt_num("signal", e.exit.signal);
    w.boolean("core_dumped", e.exit.core_dumped);
    for (auto& f : kResourceUsageFields)
      if (auto& v = e.usage.*f.value) w.unum(f.name, *v);
  }
  out += "}}";
}

namespace {

using Json = nlohmann::json;

// Non-UTF-8 bytes in a command line must not make the Meta line unwritable.
constexpr auto kReplaceInvalid = Json::error_handler_t::replace;

}  // namespace

std::string meta_json(const Meta& m) {
  Json j = {{"format", "proctrace"},
            {"version", m.version},
            {"backend", m.backend},
            {"clock", m.clock},
            {"clock_offset_ns", m.clock_offset_ns},
            {"kernel", m.kernel},
            {"host", m.host},
            {"command", m.command},
            {"start_timestamp", m.start_timestamp}};
  if (!m.setpgid_probe.empty()) j["setpgid_probe"] = m.setpgid_probe;
  if (!m.source.empty()) j["source"] = m.source;
  for (auto& [k, v] : m.extra) j[k] = v;
  return Json{{"Meta", j}}.dump(-1, ' ', false, kReplaceInvalid);
}

std::string stats_json(const Stats& s) {
  Json j = {{"events", s.events},
            {"lost", s.lost},
            {"truncated_argv", s.truncated_argv},
            {"alive_at_end", s.alive_at_end},
            {"end_timestamp", s.end_timestamp}};
  if (s.root_status) j["root_status"] = *s.root_status;
  for (auto& [k, v] : s.extra) j[k] = v;
  return Json{{"Stats", j}}.dump(-1, ' ', false, kReplaceInvalid);
}

namespace {

std::string value_text(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, kReplaceInvalid);
}

// nlohmann's get<int>() on a number that does not fit (or is a fraction)
// truncates or is undefined behaviour; every integer field goes through here.
template <class T>
T integer(const Json& v, const std::string& field) {
  auto fail = [&] {
    std::string found = v.dump(-1, ' ', false, kReplaceInvalid);
    if (found.size() > 40) found = found.substr(0, 40) + "...";
    return std::runtime_error("field '" + field + "': expected an integer from " +
                              std::to_string(std::numeric_limits<T>::min()) + " to " +
                              std::to_string(std::numeric_limits<T>::max()) + ", found " + found);
  };
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw fail();
    return static_cast<T>(u);
  }
  if (v.is_number_integer()) {
    auto i = v.get<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (i < 0) throw fail();
    } else {
      if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max()) throw fail();
    }
    return static_cast<T>(i);
  }
  throw fail();
}

std::map<std::string, std::uint64_t> counts(const Json& v, const std::string& field) {
  if (!v.is_object()) throw std::runtime_error("field '" + field + "': expected an object of counts");
  std::map<std::string, std::uint64_t> out;
  for (auto& [k, n] : v.items()) out[k] = integer<std::uint64_t>(n, field + "." + k);
  return out;
}

// Meta and Stats lines go through nlohmann, whose printer recurses; a
// hostile line must not be able to nest deeper than any real one.
bool nested_too_deeply(std::string_view line) {
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
      if (++depth > 64) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

Json parse_object(std::string_view line, const char* variant) {
  if (nested_too_deeply(line)) throw std::runtime_error("nested too deeply");
  Json j = Json::parse(line).at(variant);
  if (!j.is_object()) throw std::runtime_error(std::string(variant) + " must be an object");
  return j;
}

bool parse_meta(std::string_view line, Meta& m, std::string& error) {
  try {
    Json j = parse_object(line, "Meta");
    m = Meta{};
    for (auto& [k, v] : j.items()) {
      if (k == "version") m.version = integer<int>(v, k);
      else if (k == "backend") m.backend = v.get<std::string>();
      else if (k == "clock") m.clock = v.get<std::string>();
      else if (k == "clock_offset_ns") m.clock_offset_ns = integer<std::int64_t>(v, k);
      else if (k == "kernel") m.kernel = v.get<std::string>();
      else if (k == "host") m.host = v.get<std::string>();
      else if (k == "command") m.command = v.get<std::vector<std::string>>();
      else if (k == "start_timestamp") m.start_timestamp = integer<Nanos>(v, k);
      else if (k == "setpgid_probe") m.setpgid_probe = v.get<std::string>();
      else if (k == "source") m.source = v.get<std::string>();
      else if (k != "format") m.extra[k] = value_text(v);
    }
    return true;
  } catch (const std::exception& e) {
    error = std::string("malformed Meta line: ") + e.what();
    return false;
  }
}

bool parse_stats(std::string_view line, Stats& s, std::string& error) {
  try {
    Json j = parse_object(line, "Stats");
    s = Stats{};
    for (auto& [k, v] : j.items()) {
      if (k == "events") s.events = counts(v, k);
      else if (k == "lost") s.lost = counts(v, k);
      else if (k == "truncated_argv") s.truncated_argv = integer<std::uint64_t>(v, k);
      else if (k == "alive_at_end") {
        if (!v.is_array()) throw std::runtime_error("field 'alive_at_end': expected an array of pids");
        for (auto& pid : v) s.alive_at_end.push_back(integer<Pid>(pid, k));
      }
      else if (k == "end_timestamp") s.end_timestamp = integer<Nanos>(v, k);
      else if (k == "root_status") s.root_status = integer<int>(v, k);
      else s.extra[k] = value_text(v);
    }
    return true;
  } catch (const std::exception& e) {
    error = std::string("malformed Stats line: ") + e.what();
    return false;
  }
}

}  // namespace

bool parse_line(std::string_view line, ParsedLine& out) {
  out.error.clear();
  out.replaced_invalid_utf8 = false;
  json::Cursor c(line);
  std::string scratch;
  std::string_view variant;
  if (!c.expect('{') || !c.read_key(variant, scratch) || !c.expect(':')) {
    out.error = "expected an event object like {\"Exec\":{...}}: " + c.error();
    return false;
  }
  if (variant == "Meta" || variant == "Stats") {
    // nlohmann rejects invalid UTF-8 outright; a stray byte in a command
    // line must not cost the whole Meta line.
    std::string valid;
    if (json::append_valid_utf8(valid, line)) {
      out.replaced_invalid_utf8 = true;
      line = valid;
    }
    if (variant == "Meta") {
      out.kind = LineKind::Meta;
      return parse_meta(line, out.meta, out.error);
    }
    out.kind = LineKind::Stats;
    return parse_stats(line, out.stats, out.error);
  }
  if (variant == "Snapshot") {
    out.kind = LineKind::Snapshot;
    return parse_snapshot_line(line, out.snapshot, out.error);
  }
  auto kind = event_kind_from_name(variant);
  if (!kind) {
    out.kind = LineKind::UnknownVariant;
    out.error = "unknown event variant '" + std::string(variant) + "'";
    return true;
  }
  out.kind = LineKind::Event;
  out.event.clear();
  out.event.kind = *kind;
  if (!parse_event_fields(c, out.event) || !c.expect('}')) {
    out.error = std::string(variant) + ": " + c.error();
    return false;
  }
  if (!c.at_end()) {
    out.error = std::string(variant) + ": unexpected text after the event object";
    return false;
  }
  out.replaced_invalid_utf8 = c.replaced_invalid_utf8();
  return true;
}

}  // namespace proctrace
