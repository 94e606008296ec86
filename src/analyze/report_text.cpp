#include "analyze/report_text.h"

#include <algorithm>
#include <ctime>
#include <unordered_map>

#include "io/terminal_text.h"
#include "render/command_text.h"

namespace proctrace {

namespace {
constexpr Nanos kSecond = 1'000'000'000;
constexpr Nanos kDay = 86'400 * kSecond;

void append_clock(std::string& out, unsigned h, unsigned m, unsigned s, Nanos ns) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%02u:%02u:%02u.%06llu", h, m, s,
                        static_cast<unsigned long long>(ns / 1000));
  out.append(buf, static_cast<std::size_t>(n));
}
}  // namespace

TimeOfDay::TimeOfDay(const Meta& meta) : offset_(meta.clock_offset_ns) {
  if (meta.clock == "local time of day") mode_ = Mode::TimeOfDay;
  else if (meta.clock == "none") mode_ = Mode::None;
  else mode_ = Mode::Epoch;
}

void TimeOfDay::append(std::string& out, Nanos ts) const {
  if (mode_ == Mode::None) {
    out += '-';
    return;
  }
  if (mode_ == Mode::TimeOfDay) {
    // Logs past midnight carry whole days on top: the clock reads the hour.
    Nanos t = ts % kDay;
    Nanos secs = t / kSecond;
    append_clock(out, static_cast<unsigned>(secs / 3600), static_cast<unsigned>(secs / 60 % 60),
                 static_cast<unsigned>(secs % 60), t % kSecond);
    return;
  }
  auto wall = wall_clock_ns(ts, offset_);
  std::time_t secs = static_cast<std::time_t>(wall / static_cast<std::int64_t>(kSecond));
  std::tm tm{};
  localtime_r(&secs, &tm);
  append_clock(out, static_cast<unsigned>(tm.tm_hour), static_cast<unsigned>(tm.tm_min),
               static_cast<unsigned>(tm.tm_sec), static_cast<Nanos>(wall % static_cast<std::int64_t>(kSecond)));
}

void append_ms(std::string& out, Nanos ns) {
  char buf[32];
  Nanos us = (ns + 500) / 1000;
  int n = std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(us / 1000),
                        static_cast<unsigned long long>(us % 1000));
  out.append(buf, static_cast<std::size_t>(n));
}

std::string ms(Nanos ns) {
  std::string s;
  append_ms(s, ns);
  return s;
}

std::string percent(Nanos part, Nanos whole) {
  if (whole == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

ProcessNames::ProcessNames(const ProcessTree& tree) : tree_(tree), ordinal_(tree.size(), 0) {
  std::unordered_map<Pid, std::vector<ProcessIndex>> by_pid;
  for (const Process& p : tree.processes()) by_pid[p.pid].push_back(p.index);
  for (auto& [_, list] : by_pid)
    if (list.size() > 1)
      for (std::size_t i = 0; i < list.size(); ++i) ordinal_[list[i]] = static_cast<std::uint32_t>(i + 1);
}

std::string ProcessNames::pid(ProcessIndex p) const {
  std::string s = std::to_string(tree_[p].pid);
  if (ordinal_[p] > 1) s += "#" + std::to_string(ordinal_[p]);
  return s;
}

std::string ProcessNames::command(const Process& p) {
  const auto* argv = p.command();
  if (argv) return quote_argv(*argv);
  // Found running, never seen exec: what it runs is unknown, and so is its start.
  return p.attached ? "(" + std::string(Process::kAttachedLabel) + ")" : "";
}

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)), width_(columns_.size()) {
  for (std::size_t c = 0; c < columns_.size(); ++c) width_[c] = display_width(columns_[c].title);
}

void TextTable::add(const std::vector<std::string>& cells) {
  row_.clear();
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    // Cells hold input text (paths, commands): shown escaped, never obeyed.
    std::size_t begin = row_.size();
    if (c < cells.size()) append_terminal_safe(row_, cells[c]);
    cell_end_.push_back(text_size_ + row_.size());
    width_[c] = std::max(width_[c], display_width(std::string_view(row_).substr(begin)));
  }
  if (blocks_.empty() || blocks_.back().size() + row_.size() > blocks_.back().capacity())
    blocks_.emplace_back().reserve(std::max(kBlockBytes, row_.size()));
  blocks_.back() += row_;
  text_size_ += row_.size();
}

template <class AfterRow>
void TextTable::write_rows(std::string& out, std::string_view indent, AfterRow after_row) const {
  auto line = [&](auto cell) {
    out += indent;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::string_view text = cell(c);
      std::size_t pad = width_[c] - std::min(width_[c], display_width(text));
      bool last = c + 1 == columns_.size();
      if (c) out += "  ";
      if (columns_[c].right) out.append(pad, ' ');
      out += text;
      if (!columns_[c].right && !last) out.append(pad, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line([&](std::size_t c) -> std::string_view { return columns_[c].title; });
  std::vector<std::string> rules;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    // A long last column (commands, paths) would draw a rule across the screen.
    bool last = c + 1 == columns_.size();
    rules.emplace_back(last ? std::min<std::size_t>(width_[c], 40) : width_[c], '-');
  }
  line([&](std::size_t c) -> std::string_view { return rules[c]; });
  std::size_t block = 0, block_start = 0;  // the block holding the row, where it starts
  for (std::size_t first = 0; first < cell_end_.size(); first += columns_.size()) {
    const std::size_t row_start = first ? cell_end_[first - 1] : 0;
    while (block + 1 < blocks_.size() && row_start >= block_start + blocks_[block].size())
      block_start += blocks_[block++].size();
    line([&](std::size_t c) -> std::string_view {
      std::size_t begin = first + c ? cell_end_[first + c - 1] : 0;
      return std::string_view(blocks_[block]).substr(begin - block_start, cell_end_[first + c] - begin);
    });
    after_row();
  }
}

void TextTable::write(std::string& out, std::string_view indent) const {
  write_rows(out, indent, [] {});
}

void TextTable::write(OutputFile& out, std::string_view indent) const {
  write_rows(out.buffer(), indent, [&] { out.maybe_flush(); });
}

}  // namespace proctrace
