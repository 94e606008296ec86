// A minimal protobuf wire-format encoder: varints, length-delimited fields
// and nested messages, enough to write Perfetto traces and OTLP without a
// protobuf library or generated code. Field numbers live with the callers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace proctrace::proto {

enum WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

void append_varint(std::string& out, std::uint64_t v);

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void varint(std::uint32_t field, std::uint64_t v) {
    tag(field, kVarint);
    append_varint(out_, v);
  }
  // int32/int64: negative values take ten bytes, as the format says.
  void int64(std::uint32_t field, std::int64_t v) { varint(field, static_cast<std::uint64_t>(v)); }
  void boolean(std::uint32_t field, bool v) { varint(field, v ? 1 : 0); }
  void fixed64(std::uint32_t field, std::uint64_t v);
  void bytes(std::uint32_t field, std::string_view s);  // string or bytes
  // A nested message: fields written between begin and end belong to it.
  // The length prefix is filled in by end(), so nesting costs one move of
  // the nested bytes, not a second buffer per level.
  std::size_t begin(std::uint32_t field);
  void end(std::size_t token);

  std::string& out() { return out_; }

 private:
  void tag(std::uint32_t field, WireType type) { append_varint(out_, (std::uint64_t{field} << 3) | type); }
  std::string& out_;
};

}  // namespace proctrace::proto
