#include "export/proto_writer.h"

namespace proctrace::proto {

void append_varint(std::string& out, std::uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

void Writer::fixed64(std::uint32_t field, std::uint64_t v) {
  tag(field, kFixed64);
  for (int i = 0; i < 8; ++i) out_ += static_cast<char>((v >> (8 * i)) & 0xff);
}

void Writer::bytes(std::uint32_t field, std::string_view s) {
  tag(field, kLengthDelimited);
  append_varint(out_, s.size());
  out_.append(s);
}

std::size_t Writer::begin(std::uint32_t field) {
  tag(field, kLengthDelimited);
  return out_.size();
}

void Writer::end(std::size_t token) {
  std::string length;
  append_varint(length, out_.size() - token);
  out_.insert(token, length);
}

}  // namespace proctrace::proto
