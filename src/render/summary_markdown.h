// summary.md of `record --report-dir`: what a CI user reads first, as
// GitHub/GitLab Markdown. A status line, why the job failed (the `why`
// analysis), the failed and the slowest processes, and the Gantt chart as a
// ```mermaid block that stays under GitHub's size limit for such blocks.
#pragma once

#include <cstddef>
#include <vector>
#include <string>

#include "load/trace.h"

namespace proctrace {

// GitHub refuses to render a Mermaid block over 50,000 characters; the
// margin leaves room for the fences and for GitLab's lower limits.
inline constexpr std::size_t kSummaryMermaidBudget = 40'000;

struct SummaryOptions {
  std::size_t slowest = 10;             // rows in "Slowest processes"
  std::size_t failures = 20;            // rows in "Failed processes"
  std::size_t mermaid_budget = kSummaryMermaidBudget;
};

std::string summary_markdown(const Trace& trace, const SummaryOptions& options = {});

// The Gantt chart of the processes marked in include (by ProcessIndex;
// empty: all), as `render -d mermaid` writes it.
std::string mermaid_chart(const Trace& trace, const std::vector<bool>& include = {});

}  // namespace proctrace
