#include "import/strace_import.h"

namespace proctrace {

bool looks_like_strace(std::string_view data) { return !data.empty() && data.front() != '{'; }

void import_strace(const std::vector<const InputFile*>& inputs, StraceImport&, Meta& meta, Diagnostics& diag) {
  meta.backend = "strace-import";
  for (auto* in : inputs) diag.error(in->name(), 0, "strace import is not implemented yet");
}

}  // namespace proctrace
