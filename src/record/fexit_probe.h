// Whether the running kernel lets proctrace attach fexit programs. Some
// refuse with EPERM even with ftrace built in, so the only test is to try.
#pragma once

#include <future>
#include <optional>
#include <string>

namespace proctrace {

class FexitProbe {
 public:
  // Starts probing on a thread (it parses the kernel's BTF: ~15 ms of CPU),
  // unless an earlier run already found the answer for this boot.
  FexitProbe();
  // Waits for the answer.
  bool allowed();

 private:
  std::string boot_;  // boot id and kernel release the answer belongs to
  std::optional<bool> answer_;
  std::future<bool> probing_;
};

}  // namespace proctrace
