// Fuzzes the strace line parser on every line of the input: it must never
// read outside the line, and every view it returns must lie inside it.
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "import/strace_line.h"

using namespace proctrace;

namespace {

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void check_line(std::string_view text) {
  strace::Line line;
  bool ok = strace::parse_line(text, line);
  FUZZ_CHECK(ok == (line.kind != strace::LineKind::Bad), text);
  FUZZ_CHECK(ok || line.error != nullptr, text);
  FUZZ_CHECK(inside(line.name, text), text);
  FUZZ_CHECK(inside(line.args, text), text);
  FUZZ_CHECK(inside(line.errno_name, text), text);
  FUZZ_CHECK(inside(line.ret_path, text), text);
  FUZZ_CHECK(inside(line.signal_name, text), text);

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
