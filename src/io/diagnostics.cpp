#include "io/diagnostics.h"

#include <spdlog/spdlog.h>

namespace proctrace {

std::string Diagnostic::to_string() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line);
  s += ": ";
  s += message;
  return s;
}

void Diagnostics::warning(std::string file, std::size_t line, std::string message) {
  report({Severity::Warning, std::move(file), line, std::move(message)});
}

void Diagnostics::error(std::string file, std::size_t line, std::string message) {
  report({Severity::Error, std::move(file), line, std::move(message)});
}

void Diagnostics::report(Diagnostic d) {
  (d.severity == Severity::Error ? errors_ : warnings_)++;
  if (kept_.size() >= limit_) return;
  // Parser messages may quote the input; a 100 MB line must not come back
  // as a 100 MB message.
  constexpr std::size_t kMaxMessage = 1000;
  if (d.message.size() > kMaxMessage) {
    d.message.resize(kMaxMessage);
    while (!d.message.empty() && (static_cast<unsigned char>(d.message.back()) & 0xC0) == 0x80)
      d.message.pop_back();  // do not cut a UTF-8 sequence in half
    if (!d.message.empty() && static_cast<unsigned char>(d.message.back()) >= 0xC0) d.message.pop_back();
    d.message += "...";
  }
  if (print_) {
    if (d.severity == Severity::Error)
      spdlog::error("{}", d.to_string());
    else
      spdlog::warn("{}", d.to_string());
  }
  kept_.push_back(std::move(d));
}

void Diagnostics::absorb(const Diagnostics& other) {
  std::uint64_t errors = 0, warnings = 0;
  for (const Diagnostic& d : other.kept_) {
    (d.severity == Severity::Error ? errors : warnings)++;
    report(d);
  }
  errors_ += other.errors_ - errors;
  warnings_ += other.warnings_ - warnings;
}

void Diagnostics::finish() const {
  auto total = errors_ + warnings_;
  if (print_ && total > kept_.size())
    spdlog::warn("{} more problems not shown ({} errors, {} warnings in all)", total - kept_.size(), errors_,
                 warnings_);
}

}  // namespace proctrace
