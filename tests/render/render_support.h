// Renders JSONL text in-process, for the renderer unit tests.
#pragma once

#include <string>

#include "io/trace.h"
#include "render/renderer.h"
#include "test_support.h"

namespace proctrace::testing {

inline std::string render_text(const std::string& jsonl, const std::string& format, const RenderOptions& options = {}) {
  TempDir dir;
  write_file(dir.file("in.jsonl"), jsonl);
  Diagnostics diag(false);
  auto trace = load_trace({dir.file("in.jsonl")}, diag);
  {
    OutputFile out(dir.file("out"));
    renderers().at(format).render(*trace, out, options);
    out.flush();
  }
  return read_file(dir.file("out"));
}

}  // namespace proctrace::testing
