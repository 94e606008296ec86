// Renders JSONL text in-process, for the renderer unit tests.
#pragma once

#include <string>

#include "load/trace.h"
#include "load/trace_stream.h"
#include "render/renderer.h"
#include "test_support.h"

namespace proctrace::testing {

inline std::string render_text(const std::string& jsonl, const std::string& format, const RenderOptions& options = {}) {
  TempDir dir;
  write_file(dir.file("in.jsonl"), jsonl);
  Diagnostics diag(false);
  const RendererInfo& renderer = renderers().at(format);
  if (renderer.stream) {
    auto view = renderer.stream(dir.file("out"), options);
    stream_trace(open_inputs({dir.file("in.jsonl")}), *view, diag);
  } else {
    auto trace = load_trace({dir.file("in.jsonl")}, diag);
    OutputFile out(dir.file("out"));
    renderer.render(*trace, out, options);
    out.commit();
  }
  return read_file(dir.file("out"));
}

}  // namespace proctrace::testing
