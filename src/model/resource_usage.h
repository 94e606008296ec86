// What one process (all its threads) used over its life, as recorded with
// its Exit. Every value is absent when the source could not measure it
// (strace imports, older recordings, a kernel without I/O accounting):
// absent is never written as zero.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace proctrace {

struct ResourceUsage {
  std::optional<std::uint64_t> cpu_user_ns;    // as getrusage() splits the run time
  std::optional<std::uint64_t> cpu_system_ns;
  std::optional<std::uint64_t> max_rss_kb;     // peak resident set ("Maximum resident set size")
  std::optional<std::uint64_t> voluntary_switches;
  std::optional<std::uint64_t> involuntary_switches;
  std::optional<std::uint64_t> minor_faults;
  std::optional<std::uint64_t> major_faults;
  std::optional<std::uint64_t> read_chars;      // bytes through read-like syscalls (/proc/PID/io rchar)
  std::optional<std::uint64_t> write_chars;     // wchar
  std::optional<std::uint64_t> read_syscalls;   // syscr
  std::optional<std::uint64_t> write_syscalls;  // syscw
  std::optional<std::uint64_t> storage_read_bytes;   // read_bytes: fetched from storage
  std::optional<std::uint64_t> storage_write_bytes;  // write_bytes: sent towards storage
  std::optional<std::uint64_t> cancelled_write_bytes;

  bool any() const;
  std::optional<std::uint64_t> cpu_ns() const {
    if (!cpu_user_ns && !cpu_system_ns) return std::nullopt;
    return cpu_user_ns.value_or(0) + cpu_system_ns.value_or(0);
  }
};

// Field names in recordings (on Exit) and exports, in this order.
struct ResourceUsageField {
  std::string_view name;
  std::optional<std::uint64_t> ResourceUsage::*value;
};
inline constexpr std::array<ResourceUsageField, 14> kResourceUsageFields{{
    {"cpu_user_ns", &ResourceUsage::cpu_user_ns},
    {"cpu_system_ns", &ResourceUsage::cpu_system_ns},
    {"max_rss_kb", &ResourceUsage::max_rss_kb},
    {"voluntary_switches", &ResourceUsage::voluntary_switches},
    {"involuntary_switches", &ResourceUsage::involuntary_switches},
    {"minor_faults", &ResourceUsage::minor_faults},
    {"major_faults", &ResourceUsage::major_faults},
    {"read_chars", &ResourceUsage::read_chars},
    {"write_chars", &ResourceUsage::write_chars},
    {"read_syscalls", &ResourceUsage::read_syscalls},
    {"write_syscalls", &ResourceUsage::write_syscalls},
    {"storage_read_bytes", &ResourceUsage::storage_read_bytes},
    {"storage_write_bytes", &ResourceUsage::storage_write_bytes},
    {"cancelled_write_bytes", &ResourceUsage::cancelled_write_bytes},
}};

inline bool ResourceUsage::any() const {
  for (auto& f : kResourceUsageFields)
    if ((this->*f.value).has_value()) return true;
  return false;
}

}  // namespace proctrace
