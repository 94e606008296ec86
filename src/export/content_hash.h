// A 128-bit fingerprint of a recording's bytes. It names the recording in
// every export: the database id (so a re-export is recognised and skipped),
// the OpenTelemetry trace id, the Perfetto track uuids. Not cryptographic:
// it only has to tell different recordings apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace proctrace {

class ReleaseBehind;

struct ContentHash {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;

  std::string hex() const;  // 32 lowercase hex digits
  // A positive 63-bit id for SQL tables (SQLite's INTEGER is signed).
  std::int64_t id() const { return static_cast<std::int64_t>(hi >> 1); }
  bool operator==(const ContentHash&) const = default;
};

class ContentHasher {
 public:
  // One file's bytes; several files are told apart by their lengths. With
  // `behind`, the file's pages are given back as the hash walks past them.
  void add(std::string_view bytes, ReleaseBehind* behind = nullptr);
  ContentHash finish() const;

 private:
  std::uint64_t a_ = 0x243f6a8885a308d3ull;
  std::uint64_t b_ = 0x13198a2e03707344ull;
  std::uint64_t total_ = 0;
};

ContentHash content_hash(std::string_view bytes);

}  // namespace proctrace
