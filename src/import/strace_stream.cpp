#include "import/strace_stream.h"

#include <algorithm>

namespace proctrace::strace {

namespace {

ParserConfig stream_config(Interner& names, Interner& errnos) {
  ParserConfig c;
  c.names = &names;
  c.errnos = &errnos;
  c.dynamic_pids = true;  // -o with -f prefixes every line; stderr output would not
  c.streaming = true;
  return c;
}

}  // namespace

StraceStream::StraceStream(Emit emit, std::string name, Diagnostics& diag)
    : parser_(stream_config(names_, errnos_)),
      builder_(tree_, [emit = std::move(emit)](const Event& e, ProcessIndex) { emit(e); }),
      name_(std::move(name)),
      diag_(diag) {}

void StraceStream::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    if (!partial_.empty()) {
      // Complete the pending line on its own, then parse the rest in place.
      std::size_t nl = bytes.find('\n');
      if (nl == std::string_view::npos) {
        partial_.append(bytes);
        return;
      }
      partial_.append(bytes.substr(0, nl + 1));
      parse(partial_);
      partial_.clear();
      bytes.remove_prefix(nl + 1);
      continue;
    }
    std::size_t last = bytes.rfind('\n');
    if (last != std::string_view::npos) parse(bytes.substr(0, last + 1));
    partial_.assign(bytes.substr(last == std::string_view::npos ? 0 : last + 1));
    break;
  }
  emit_ready(false);
}

void StraceStream::parse(std::string_view lines) {
  if (lines.empty()) return;
  parser_.parse(lines, offset_);
  offset_ += lines.size();
  for (; diagnostics_seen_ < parser_.diagnostics.size(); ++diagnostics_seen_) {
    auto& d = parser_.diagnostics[diagnostics_seen_];
    diag_.report({d.severity, name_, d.line, d.message});
  }
  if (!first_pid_ && !parser_.facts.empty()) first_pid_ = parser_.facts.front().tid;
}

void StraceStream::finish() {
  if (!partial_.empty()) {
    partial_ += '\n';
    parse(partial_);
    partial_.clear();
  }
  parser_.finish();
  for (; diagnostics_seen_ < parser_.diagnostics.size(); ++diagnostics_seen_) {
    auto& d = parser_.diagnostics[diagnostics_seen_];
    diag_.report({d.severity, name_, d.line, d.message});
  }
  emit_ready(true);
  tree_.finish(parser_.max_time);
}

void StraceStream::emit_ready(bool all) {
  for (auto& f : parser_.facts) pending_.push_back(std::move(f));
  parser_.facts.clear();
  if (pending_.empty()) return;
  std::stable_sort(pending_.begin(), pending_.end(), [](const Fact& a, const Fact& b) {
    return a.time != b.time ? a.time < b.time : a.order < b.order;
  });
  // A fork or exec still open will be timed at its entry: nothing after
  // that entry may go out before it.
  Nanos limit = all ? ~Nanos{0} : parser_.oldest_open_lifecycle_call();
  std::size_t n = 0;
  while (n < pending_.size() && (all || pending_[n].time < limit)) builder_.add(pending_[n++]);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
}

bool StraceStream::root_exited() const {
  if (tree_.roots().empty()) return false;
  return tree_[tree_.roots().front()].exited();
}

}  // namespace proctrace::strace
