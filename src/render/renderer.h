// Views of a loaded trace. Each format is one function writing to an
// OutputFile; the table in renderers.cpp maps `render -d NAME` to it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/output_file.h"
#include "io/trace.h"

namespace proctrace {

struct RenderOptions {
  std::size_t truncate = 0;  // tree: cut commands to this many characters (0 = no limit)
  // tree: the processes to draw, by ProcessIndex (empty: all). A drawn
  // process whose parent is not drawn starts a tree of its own.
  std::vector<bool> include;
  // tree: each thread on a line of its own under its process, rather than
  // listed in {braces} after the command.
  bool thread_lines = false;
};

using Renderer = std::function<void(const Trace&, OutputFile&, const RenderOptions&)>;

struct RendererInfo {
  Renderer render;
  std::string description;
};

// Every `render -d` format by name.
const std::map<std::string, RendererInfo>& renderers();

// The JSON-lines views.
enum class SortMode { Timestamp, Process };
// A whole recording (Meta, events, Stats) with events in the given order.
void write_sorted(const Trace& trace, OutputFile& out, SortMode mode);
void render_multiplexed(const Trace& trace, OutputFile& out, const RenderOptions&);
void render_by_process(const Trace& trace, OutputFile& out, const RenderOptions&);

// The diagrams and reports.
void render_mermaid(const Trace& trace, OutputFile& out, const RenderOptions&);
void render_tree(const Trace& trace, OutputFile& out, const RenderOptions&);
void render_html(const Trace& trace, OutputFile& out, const RenderOptions&);

// Appends one line of text so that Mermaid shows it unchanged as a label.
void append_mermaid_label(std::string& out, std::string_view text);

// Event indices grouped by process, processes in order of appearance (fork order).
std::vector<std::vector<std::size_t>> events_by_process(const Trace& trace);

}  // namespace proctrace
