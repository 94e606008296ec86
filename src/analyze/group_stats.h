// Totals per group of program runs (`proctrace stats --by ...`): how many
// runs, their total and longest wall time, CPU and peak memory where the
// recorder measured them, and how many failed.
//
// A run is one program a process executed (analyze/build_runs.h): a
// compiler driver that forks cc1 and as counts one gcc, one cc1 and one as.
// Its wall time is from its exec to the next exec or the exit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyze/build_runs.h"

namespace proctrace {

enum class GroupKey { Program, Command, Cwd, Parent };
// "program", "command", "cwd", "parent"; nullopt for anything else.
std::optional<GroupKey> group_key_from_name(const std::string& name);
const std::vector<std::string>& group_key_names();

struct GroupStats {
  std::string key;          // the program, the command line, the directory, the parent
                            // (empty past `labelled`, see group_stats)
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;  // exited with a non-zero code or a signal
  Nanos total = 0;           // wall time, summed
  Nanos max = 0;
  std::uint32_t slowest = kNoRun;  // the run that took `max`
  std::optional<Nanos> cpu;                  // summed, where recorded
  std::optional<std::uint64_t> peak_rss_bytes;  // the largest, where recorded
};

// Groups, by total wall time, largest first; at equal totals in a fixed
// order (by name, by parent's order of appearance). Only the first
// `labelled` are put in that order and get their key text; the rest follow
// in no particular order, there to be counted and summed: grouping by
// command makes a group per compile, and ordering and naming a million
// groups nobody reads would cost more than the recording. Cwd needs a recording with working directories
// (throws InputError otherwise).
std::vector<GroupStats> group_stats(const BuildRecording& rec, GroupKey by, std::size_t labelled = ~std::size_t{0});

// What identifies a run's input for a label: the first argument that looks
// like a source file ("big.c"), else the last argument; "" without one.
std::string run_subject(const BuildRecording& rec, const ProgramRun& run);

}  // namespace proctrace
