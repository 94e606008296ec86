#include "export/proto_writer.h"

#include <gtest/gtest.h>

namespace proctrace::proto {
namespace {

std::string varint(std::uint64_t v) {
  std::string s;
  append_varint(s, v);
  return s;
}

TEST(ProtoWriter, VarintsFollowTheWireFormat) {
  EXPECT_EQ(varint(0), std::string("\x00", 1));
  EXPECT_EQ(varint(1), "\x01");
  EXPECT_EQ(varint(127), "\x7f");
  EXPECT_EQ(varint(128), "\x80\x01");
  EXPECT_EQ(varint(300), "\xac\x02");
  EXPECT_EQ(varint(~0ull), "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
}

TEST(ProtoWriter, FieldsCarryTagAndWireType) {
  std::string out;
  Writer w(out);
  w.varint(1, 150);     // the protobuf docs' example: 08 96 01
  w.bytes(2, "testing");
  w.int64(3, -1);       // negative ints take ten bytes
  w.fixed64(4, 0x0102030405060708ull);
  w.varint(60, 1);      // two-byte tag
  EXPECT_EQ(out, std::string("\x08\x96\x01"
                             "\x12\x07testing"
                             "\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
                             "\x21\x08\x07\x06\x05\x04\x03\x02\x01"
                             "\xe0\x03\x01",
                             3 + 9 + 11 + 9 + 3));
}

TEST(ProtoWriter, NestedMessagesGetTheirLengthBackPatched) {
  std::string out;
  Writer w(out);
  auto outer = w.begin(1);
  w.varint(1, 5);
  auto inner = w.begin(2);
  w.bytes(1, std::string(200, 'x'));  // longer than 127: a two-byte length
  w.end(inner);
  w.end(outer);
  // outer: tag 0a, length = 2 (varint field) + 1 (tag) + 2 (len) + 203 (inner body)
  const std::size_t inner_body = 1 + 2 + 200;
  const std::size_t outer_body = 2 + 1 + 2 + inner_body;
  ASSERT_EQ(out.size(), 1 + 2 + outer_body);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x0a);
  EXPECT_EQ(out.substr(1, 2), varint(outer_body));
  EXPECT_EQ(out.substr(3, 2), "\x08\x05");
  EXPECT_EQ(static_cast<unsigned char>(out[5]), 0x12);
  EXPECT_EQ(out.substr(6, 2), varint(inner_body));
  EXPECT_EQ(out.substr(8, 3), "\x0a\xc8\x01");
}

}  // namespace
}  // namespace proctrace::proto
