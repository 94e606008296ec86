// Fuzzes the strace line parser on every line of the input: it must never
// read outside the line, and every view it returns must lie inside it.
#include <charconv>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "import/strace_args.h"
#include "import/strace_line.h"
#include "io/text_util.h"

using namespace proctrace;

namespace {

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

// The number parsers against std::from_chars, which knows what fits: a
// number is read exactly or reported out of range, never wrapped.
void check_numbers(std::string_view text) {
  for (int base : {10, 16}) {
    for (std::uint64_t max : {UINT64_MAX, std::uint64_t{INT64_MAX}, strace::kPidMaxLimit, std::uint64_t{255}}) {
      std::size_t i = 0;
      std::uint64_t got = 12345;
      auto r = base == 10 ? text::parse_decimal(text, i, got, max) : text::parse_hex(text, i, got, max);
      std::uint64_t want = 0;
      auto ref = std::from_chars(text.data(), text.data() + text.size(), want, base);
      std::size_t digits = static_cast<std::size_t>(ref.ptr - text.data());
      if (ref.ec == std::errc::invalid_argument || (!text.empty() && (text[0] == '-' || text[0] == '+'))) {
        FUZZ_CHECK(r == text::NumberResult::None || digits == 0, text);
        continue;
      }
      FUZZ_CHECK(i == digits, text);
      if (ref.ec == std::errc::result_out_of_range || want > max) {
        FUZZ_CHECK(r == text::NumberResult::OutOfRange && got == 12345, text);
      } else {
        FUZZ_CHECK(r == text::NumberResult::Ok && got == want, text);
      }
    }
  }
  if (auto v = strace::parse_int(text)) {
    std::int64_t want = 0;
    std::string_view t = text::trim(text);
    if (t.substr(0, 2) != "0x" && t.substr(0, 3) != "-0x") {
      auto ref = std::from_chars(t.data(), t.data() + t.size(), want);
      FUZZ_CHECK(ref.ec == std::errc() && ref.ptr == t.data() + t.size() && want == *v, text);
    }
  }
}

void check_line(std::string_view text) {
  check_numbers(text);
  strace::Line line;
  bool ok = strace::parse_line(text, line);
  FUZZ_CHECK(ok == (line.kind != strace::LineKind::Bad), text);
  FUZZ_CHECK(ok || line.error != nullptr, text);
  FUZZ_CHECK(inside(line.name, text), text);
  FUZZ_CHECK(inside(line.args, text), text);
  FUZZ_CHECK(inside(line.errno_name, text), text);
  FUZZ_CHECK(inside(line.ret_path, text), text);
  FUZZ_CHECK(inside(line.signal_name, text), text);
  // Numbers in a parsed line are in their ranges, never wrapped into them.
  FUZZ_CHECK(line.pid >= 0 && static_cast<std::uint64_t>(line.pid) <= strace::kPidMaxLimit, text);
  FUZZ_CHECK(line.kind != strace::LineKind::Exited || (line.exit_code >= 0 && line.exit_code <= 255), text);
  FUZZ_CHECK(line.pid_changed_to >= 0 && static_cast<std::uint64_t>(line.pid_changed_to) <= strace::kPidMaxLimit, text);
  FUZZ_CHECK(line.superseded_by >= 0 && static_cast<std::uint64_t>(line.superseded_by) <= strace::kPidMaxLimit, text);
  FUZZ_CHECK(!(ok && line.ret_known && (line.name == "clone" || line.name == "fork" || line.name == "vfork")) ||
                 line.ret <= static_cast<std::int64_t>(strace::kPidMaxLimit),
             text);

  std::size_t end = strace::find_args_end(text);
  FUZZ_CHECK(end == std::string_view::npos || end < text.size(), text);
  FUZZ_CHECK(inside(strace::leading_fd_path(text), text), text);
  std::size_t msg = strace::embedded_strace_message(text);
  FUZZ_CHECK(msg == std::string_view::npos || msg <= text.size(), text);
  Nanos ns;
  (void)strace::parse_seconds(text, ns);
  (void)strace::signal_number(text);
  // A bare continuation line of an unfinished call (--status=!unfinished).
  strace::Line cont;
  std::string_view name = line.name.empty() ? std::string_view("read") : line.name;
  (void)strace::parse_continuation(text, name, cont);
  FUZZ_CHECK(inside(cont.args, text), text);
  FUZZ_CHECK(inside(cont.errno_name, text), text);
  FUZZ_CHECK(inside(cont.ret_path, text), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Lines are handed over as views into a larger buffer in the importer;
  // here each one is copied to its own allocation so ASan sees any read
  // past its end.
  for (std::size_t pos = 0; pos <= input.size();) {
    std::size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    std::string copy(input.substr(pos, nl - pos));
    std::unique_ptr<char[]> exact(new char[copy.size() ? copy.size() : 1]);
    std::memcpy(exact.get(), copy.data(), copy.size());
    check_line(std::string_view(exact.get(), copy.size()));
    pos = nl + 1;
  }
  return 0;
}
