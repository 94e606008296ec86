#include "io/event_fields.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/open_fd.h"
#include "model/resource_usage.h"

namespace proctrace {

namespace {

bool read_pid(json::Cursor& c, Pid& out, std::string_view field) {
  std::int64_t v;
  if (!c.read_int(v)) return c.fail("field '" + std::string(field) + "': expected an integer pid");
  if (v < INT32_MIN || v > INT32_MAX) return c.fail("field '" + std::string(field) + "': out of range");
  out = static_cast<Pid>(v);
  return true;
}

bool read_opt_int(json::Cursor& c, std::optional<int>& out, std::string_view field) {
  if (c.read_null()) {
    out.reset();
    return true;
  }
  Pid v;
  if (!read_pid(c, v, field)) return false;
  out = v;
  return true;
}

// uid/euid/gid/egid: 32-bit ids; the first one seen makes Event::ids present.
bool read_id(json::Cursor& c, Event& e, std::string_view field) {
  std::uint64_t v;
  if (!c.read_uint(v) || v > UINT32_MAX)
    return c.fail("field '" + std::string(field) + "': expected a uid/gid (0-4294967295)");
  if (!e.ids) e.ids = Event::Ids{};
  auto& ids = *e.ids;
  std::uint32_t& slot = field == "uid" ? ids.uid : field == "euid" ? ids.euid : field == "gid" ? ids.gid : ids.egid;
  slot = static_cast<std::uint32_t>(v);
  return true;
}

// "fds": [{"fd":N,"kind":K,"target":T,"inode":I,"dev":D,"access":A}, ...],
// as Snapshot lines write them; a kind from a newer writer reads as other,
// keys it does not know are skipped.
// scratch/value: buffers reused across the descriptors of a line.
bool read_fd(json::Cursor& c, OpenFd& f, std::string& scratch, std::string& value) {
  if (!c.consume('{')) return c.fail("field 'fds': expected a descriptor object");
  if (c.consume('}')) return true;
  for (;;) {
    std::string_view key;
    if (!c.read_key(key, scratch) || !c.expect(':')) return false;
    bool ok = true;
    if (key == "fd") {
      std::int64_t v;
      ok = (c.read_int(v) && v >= 0 && v <= INT32_MAX) || c.fail("field 'fds': 'fd' must be a descriptor number");
      f.fd = static_cast<int>(v);
    } else if (key == "kind") {
      ok = c.read_string(value) || c.fail("field 'fds': 'kind' must be a string");
      f.kind = fd_kind_from_name(value).value_or(FdKind::Other);
    } else if (key == "target") {
      ok = c.read_string(f.target) || c.fail("field 'fds': 'target' must be a string");
    } else if (key == "inode") {
      ok = c.read_uint(f.inode) || c.fail("field 'fds': 'inode' must be a non-negative integer");
    } else if (key == "dev") {
      ok = c.read_uint(f.dev) || c.fail("field 'fds': 'dev' must be a non-negative integer");
    } else if (key == "access") {
      const std::string& a = value;
      ok = (c.read_string(value) && a.size() == 1 && (a == "r" || a == "w" || a == "u")) ||
           c.fail("field 'fds': 'access' must be \"r\", \"w\" or \"u\"");
      if (ok) f.access = a[0];
    } else {
      ok = c.skip_value();
    }
    if (!ok) return false;
    if (c.consume('}')) return true;
    if (!c.expect(',')) return false;
  }
}

// A recording's table is bounded by the recorder (256); a file claiming
// more is refused rather than held.
constexpr std::size_t kMaxFdsPerExec = 65536;

bool read_fds(json::Cursor& c, Event& e) {
  e.fds.clear();
  e.has_fds = false;
  if (c.read_null()) return true;
  if (!c.consume('[')) return c.fail("field 'fds': expected an array of descriptors");
  e.has_fds = true;
  if (c.consume(']')) return true;
  std::string scratch, value;
  for (;;) {
    if (e.fds.size() == kMaxFdsPerExec) return c.fail("field 'fds': more than 65536 descriptors");
    if (!read_fd(c, e.fds.emplace_back(), scratch, value)) return false;
    if (c.consume(']')) return true;
    if (!c.expect(',')) return false;
  }
}

bool read_argv(json::Cursor& c, Event& e, std::string_view field) {
  if (c.read_null()) {
    e.has_cmdline = false;
    return true;
  }
  e.has_cmdline = true;
  if (c.peek() == '"') {
    e.args_joined = true;
    e.cmdline.resize(1);
    return c.read_string(e.cmdline[0]);
  }
  if (!c.consume('['))
    return c.fail("field '" + std::string(field) + "': expected an array of strings, a string or null");
  std::size_t n = 0;
  if (!c.consume(']')) {
    for (;;) {
      if (e.cmdline.size() <= n) e.cmdline.emplace_back();
      if (!c.read_string(e.cmdline[n]))
        return c.fail("field '" + std::string(field) + "': expected an array of strings");
      ++n;
      if (c.consume(']')) break;
      if (!c.expect(',')) return false;
    }
  }
  e.cmdline.resize(n);
  return true;
}

std::optional<std::uint64_t>* usage_field(ResourceUsage& usage, std::string_view key) {
  for (auto& f : kResourceUsageFields)
    if (f.name == key) return &(usage.*f.value);
  return nullptr;
}

// The fields of an event line.
enum class EventField {
  Timestamp, Seq, Pid, ChildPid, Ppid, Pgid, Sid, Errno, HostPid, Argv, Filename, Truncated, Code, Signal,
  CoreDumped, Cwd, CwdCut, Uid, Euid, Gid, Egid, Fds, FdsCut, Other
};

// The field names our writers use, recognized in place: the quoted name and
// its colon compared with the next 24 bytes as three words under a mask,
// instead of a scan to the closing quote and a compare. A name another
// writer spells differently (spaces, escapes) takes the general way.
struct KnownKey {
  std::uint64_t word[3] = {};
  std::uint64_t mask[3] = {};
  std::uint8_t size = 0;  // of "name":
  EventField field = EventField::Other;
  std::string_view name;
};

constexpr KnownKey known_key(std::string_view quoted, EventField field) {
  KnownKey k;
  k.size = static_cast<std::uint8_t>(quoted.size());
  k.field = field;
  k.name = quoted.substr(1, quoted.size() - 3);
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    k.word[i / 8] |= std::uint64_t{static_cast<unsigned char>(quoted[i])} << (8 * (i % 8));
    k.mask[i / 8] |= std::uint64_t{0xFF} << (8 * (i % 8));
  }
  return k;
}

// Every field name of the format (and the original proctrace's), by first
// letter, the likelier first. Resource usage names come back as Other with
// their name: usage_field() picks the member.
constexpr KnownKey kKeysC[] = {
    known_key("\"child_pid\":", EventField::ChildPid), known_key("\"cmdline\":", EventField::Argv),
    known_key("\"code\":", EventField::Code),          known_key("\"core_dumped\":", EventField::CoreDumped),
    known_key("\"cwd\":", EventField::Cwd),            known_key("\"cwd_cut\":", EventField::CwdCut),
    known_key("\"cpu_user_ns\":", EventField::Other),  known_key("\"cpu_system_ns\":", EventField::Other),
    known_key("\"cancelled_write_bytes\":", EventField::Other)};
constexpr KnownKey kKeysP[] = {
    known_key("\"pid\":", EventField::Pid), known_key("\"ppid\":", EventField::Ppid),
    known_key("\"pgid\":", EventField::Pgid), known_key("\"parent_pid\":", EventField::Pid),
    known_key("\"parent_pgid\":", EventField::Pgid)};
constexpr KnownKey kKeysT[] = {known_key("\"timestamp\":", EventField::Timestamp),
                               known_key("\"truncated\":", EventField::Truncated)};
constexpr KnownKey kKeysS[] = {
    known_key("\"sid\":", EventField::Sid), known_key("\"signal\":", EventField::Signal),
    known_key("\"seq\":", EventField::Seq), known_key("\"storage_read_bytes\":", EventField::Other),
    known_key("\"storage_write_bytes\":", EventField::Other)};
constexpr KnownKey kKeysF[] = {known_key("\"filename\":", EventField::Filename),
                               known_key("\"fds\":", EventField::Fds), known_key("\"fds_cut\":", EventField::FdsCut)};
constexpr KnownKey kKeysE[] = {known_key("\"errno\":", EventField::Errno), known_key("\"euid\":", EventField::Euid),
                               known_key("\"egid\":", EventField::Egid)};
constexpr KnownKey kKeysU[] = {known_key("\"uid\":", EventField::Uid)};
constexpr KnownKey kKeysG[] = {known_key("\"gid\":", EventField::Gid)};
constexpr KnownKey kKeysH[] = {known_key("\"host_pid\":", EventField::HostPid)};
constexpr KnownKey kKeysA[] = {known_key("\"args\":", EventField::Argv)};
constexpr KnownKey kKeysM[] = {known_key("\"max_rss_kb\":", EventField::Other),
                               known_key("\"minor_faults\":", EventField::Other),
                               known_key("\"major_faults\":", EventField::Other)};
constexpr KnownKey kKeysV[] = {known_key("\"voluntary_switches\":", EventField::Other)};
constexpr KnownKey kKeysI[] = {known_key("\"involuntary_switches\":", EventField::Other)};
constexpr KnownKey kKeysR[] = {known_key("\"read_chars\":", EventField::Other),
                               known_key("\"read_syscalls\":", EventField::Other)};
constexpr KnownKey kKeysW[] = {known_key("\"write_chars\":", EventField::Other),
                               known_key("\"write_syscalls\":", EventField::Other)};

std::span<const KnownKey> known_keys(char first_letter) {
  switch (first_letter) {
    case 'a': return kKeysA;
    case 'c': return kKeysC;
    case 'e': return kKeysE;
    case 'f': return kKeysF;
    case 'g': return kKeysG;
    case 'h': return kKeysH;
    case 'i': return kKeysI;
    case 'm': return kKeysM;
    case 'p': return kKeysP;
    case 'r': return kKeysR;
    case 's': return kKeysS;
    case 't': return kKeysT;
    case 'u': return kKeysU;
    case 'v': return kKeysV;
    case 'w': return kKeysW;
  }
  return {};
}

// What a field name means, looked up in the same table by name: for names
// spelled in a way the in-place compare does not take (escapes, spaces).
EventField event_field(std::string_view key) {
  if (key.empty()) return EventField::Other;
  for (const KnownKey& k : known_keys(key[0]))
    if (k.name == key) return k.field;
  return EventField::Other;
}

// The next field's name and what it is, past its colon.
bool read_field(json::Cursor& c, std::string_view& key, EventField& field, std::string& scratch) {
  if constexpr (std::endian::native == std::endian::little) {
    std::string_view rest = c.rest();
    if (rest.size() >= 24 && rest[0] == '"') {
      std::uint64_t w[3];
      std::memcpy(w, rest.data(), sizeof w);
      for (const KnownKey& k : known_keys(rest[1])) {
        if ((((w[0] ^ k.word[0]) & k.mask[0]) | ((w[1] ^ k.word[1]) & k.mask[1]) |
             ((w[2] ^ k.word[2]) & k.mask[2])) == 0) {
          c.advance(k.size);
          key = k.name;
          field = k.field;
          return true;
        }
      }
    }
  }
  if (!c.read_key(key, scratch) || !c.expect(':')) return false;
  field = event_field(key);
  return true;
}

}  // namespace

bool parse_event_fields(json::Cursor& c, Event& e) {
  std::string scratch;
  bool seen_timestamp = false;
  if (!c.expect('{')) return false;
  if (!c.consume('}')) {
    for (;;) {
      std::string_view key;
      EventField field;
      if (!read_field(c, key, field, scratch)) return false;
      bool ok = true;
      switch (field) {
        case EventField::Timestamp:
          ok = c.read_uint(e.timestamp) || c.fail("field 'timestamp': expected nanoseconds");
          seen_timestamp = true;
          break;
        case EventField::Seq: {
          std::uint64_t v;
          ok = c.read_uint(v) || c.fail("field 'seq': expected an integer");
          e.seq = v;
          break;
        }
        case EventField::Pid: ok = read_pid(c, e.pid, key); break;
        case EventField::ChildPid: ok = read_pid(c, e.child_pid, key); break;
        case EventField::Ppid: ok = read_pid(c, e.ppid, key); break;
        case EventField::Pgid: ok = read_pid(c, e.pgid, key); break;
        case EventField::Sid:
          if (c.read_null()) {
            e.sid.reset();
          } else {
            Pid v;
            ok = read_pid(c, v, key);
            e.sid = v;
          }
          break;
        case EventField::Errno: {
          std::uint64_t v;
          ok = (c.read_uint(v) && v > 0 && v < 4096) || c.fail("field 'errno': expected an errno number (1-4095)");
          if (ok) e.exec_errno = static_cast<int>(v);
          break;
        }
        case EventField::HostPid: {
          Pid v;
          ok = read_pid(c, v, key);
          e.host_pid = v;
          break;
        }
        case EventField::Argv: ok = read_argv(c, e, key); break;
        case EventField::Filename:
          ok = c.read_null() || c.read_string(e.filename) || c.fail("field 'filename': expected a string");
          break;
        case EventField::Truncated:
          ok = c.read_bool(e.truncated) || c.fail("field 'truncated': expected true or false");
          break;
        case EventField::Code: ok = read_opt_int(c, e.exit.code, key); break;
        case EventField::Signal: ok = read_opt_int(c, e.exit.signal, key); break;
        case EventField::CoreDumped:
          ok = c.read_bool(e.exit.core_dumped) || c.fail("field 'core_dumped': expected true or false");
          break;
        case EventField::Cwd:
          ok = c.read_null() || c.read_string(e.cwd) || c.fail("field 'cwd': expected a string");
          break;
        case EventField::CwdCut:
          ok = c.read_bool(e.cwd_cut) || c.fail("field 'cwd_cut': expected true or false");
          break;
        case EventField::Fds: ok = read_fds(c, e); break;
        case EventField::FdsCut: {
          std::uint64_t v;
          ok = (c.read_uint(v) && v <= UINT32_MAX) || c.fail("field 'fds_cut': expected a count");
          if (ok) e.fds_cut = static_cast<std::uint32_t>(v);
          break;
        }
        case EventField::Uid:
        case EventField::Euid:
        case EventField::Gid:
        case EventField::Egid: ok = read_id(c, e, key); break;
        case EventField::Other:
          if (auto* usage = usage_field(e.usage, key)) {
            std::uint64_t v;
            ok = c.read_uint(v) || c.fail("field '" + std::string(key) + "': expected a non-negative integer");
            *usage = v;
          } else {
            ok = c.skip_value();  // a field from a newer writer
          }
          break;
      }
      if (!ok) {
        if (c.error().rfind("field '", 0) != 0) c.prefix_error("field '" + std::string(key) + "': ");
        return false;
      }
      if (c.consume('}')) break;
      if (!c.expect(',')) return false;
    }
  }
  if (!seen_timestamp) return c.fail("missing field 'timestamp'");
  return true;
}


}  // namespace proctrace
