// Views of a loaded trace. Each format is one function writing to an
// OutputFile; the table in renderers.cpp maps `render -d NAME` to it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "load/trace.h"
#include "load/trace_stream.h"

namespace proctrace {

struct RenderOptions {
  std::size_t truncate = 0;  // tree, mermaid: cut commands to this many characters (0 = no limit)
  // tree: cut each whole line to this many characters, as pstree does on a
  // terminal (0 = no limit).
  std::size_t line_width = 0;
  // tree: the processes to draw, by ProcessIndex (empty: all). A drawn
  // process whose parent is not drawn starts a tree of its own.
  // mermaid: the same by Process::serial (= ProcessIndex of a loaded
  // trace); a parent's section is written when one of its children is drawn.
  std::vector<bool> include;
  // tree: each thread on a line of its own under its process, rather than
  // listed in {braces} after the command.
  bool thread_lines = false;
  // mermaid: tag the bars on the critical path (analyze/critical_path.h)
  // `crit` instead of the failed ones.
  bool critical_path = false;
};

// A view of the whole loaded model (tree, html)...
using Renderer = std::function<void(const Trace&, OutputFile&, const RenderOptions&)>;
// ...or one that reads the trace as a stream (see stream_view.h), writing to
// the path given.
using StreamRenderer = std::function<std::unique_ptr<TraceStreamSink>(const std::string&, const RenderOptions&)>;

struct RendererInfo {
  Renderer render;        // one of the two is set
  StreamRenderer stream;
  std::string description;
  // What a loaded view (render) reads of Trace::events besides the model.
  LoadOptions::Events events = LoadOptions::Events::None;
};

// Every `render -d` format by name.
const std::map<std::string, RendererInfo>& renderers();

// The JSON-lines views.
enum class SortMode { Timestamp, Process };
// A whole recording (Meta, events, Stats) with events in the given order.
std::unique_ptr<TraceStreamSink> sorted_view(const std::string& path, SortMode mode);
std::unique_ptr<TraceStreamSink> multiplexed_view(const std::string& path, const RenderOptions&);
std::unique_ptr<TraceStreamSink> by_process_view(const std::string& path, const RenderOptions&);

// The diagrams and reports.
std::unique_ptr<TraceStreamSink> mermaid_view(const std::string& path, const RenderOptions&);
// The same chart written to an open descriptor (not closed).
std::unique_ptr<TraceStreamSink> mermaid_view_to_fd(int fd, const RenderOptions&);
// `render -d mermaid --url`: the chart as a Mermaid live-editor link.
std::unique_ptr<TraceStreamSink> mermaid_url_view(const std::string& path, const RenderOptions&);
void render_tree(const Trace& trace, OutputFile& out, const RenderOptions&);
void render_html(const Trace& trace, OutputFile& out, const RenderOptions&);

// Appends one line of text so that Mermaid shows it unchanged as a label.
void append_mermaid_label(std::string& out, std::string_view text);

}  // namespace proctrace
