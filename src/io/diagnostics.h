// Problems found in input files, reported as "file:line: message" so a user
// can open the exact spot. Readers keep going after a bad line; the command
// decides the exit code from the counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace proctrace {

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  std::size_t line = 0;  // 1-based; 0 when the problem is about the whole file
  std::string message;

  std::string to_string() const;
};

class Diagnostics {
 public:
  // Prints on stderr through spdlog as they come, keeping only the first few
  // in memory: a corrupt 1 GB file must not turn into 1 GB of messages.
  explicit Diagnostics(bool print = true, std::size_t print_limit = 20) : print_(print), limit_(print_limit) {}

  void warning(std::string file, std::size_t line, std::string message);
  void error(std::string file, std::size_t line, std::string message);
  void report(Diagnostic d);

  std::uint64_t errors() const { return errors_; }
  std::uint64_t warnings() const { return warnings_; }
  const std::vector<Diagnostic>& kept() const { return kept_; }
  // Prints "N more problems not shown" if the limit was hit.
  void finish() const;
  // Takes over what a quiet Diagnostics (print = false) of another reader
  // found: reported here as if found here, its uncounted rest counted.
  // For inputs read on other threads, reported in a fixed order after.
  void absorb(const Diagnostics& other);

 private:
  bool print_;
  std::size_t limit_;
  std::uint64_t errors_ = 0;
  std::uint64_t warnings_ = 0;
  std::vector<Diagnostic> kept_;
};

// Exit codes shared by every subcommand (documented in the README).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // nothing usable: unreadable input, write error
  kExitUsage = 2,        // bad command line, or record lacks privileges/BTF
  kExitInputErrors = 3,  // output produced from the valid parts; bad lines reported
};

}  // namespace proctrace
