// Compressed inputs and outputs: zstd and gzip written by OutputFile (by
// name) and read back by InputFile (by magic bytes), through files and
// pipes; corrupt, truncated and bomb-like inputs are refused by name.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <thread>
#include <unistd.h>

#include "io/compression.h"
#include "io/input_file.h"
#include "io/input_spool.h"
#include "io/output_file.h"
#include "test_support.h"

namespace proctrace::testing {
namespace {

std::string some_lines(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i)
    text += "{\"Exec\":{\"timestamp\":" + std::to_string(1000 + i * 37) + ",\"pid\":" + std::to_string(i % 30000) +
            ",\"cmdline\":[\"cc\",\"-c\",\"file_" + std::to_string(i) + ".c\"]}}\n";
  return text;
}

std::string compressed(Compression compression, std::string_view text, bool frame_per_piece = false) {
  auto c = make_compressor(compression, CompressionSpeed::Default);
  EXPECT_TRUE(c);
  std::string out;
  if (frame_per_piece) {
    for (std::size_t at = 0; at < text.size(); at += 1000) EXPECT_TRUE(c->compress(text.substr(at, 1000), true, out));
  } else {
    EXPECT_TRUE(c->compress(text, true, out));
  }
  return out;
}

std::string read_input(const std::string& path) {
  InputFile in(path);
  return std::string(in.data());
}

// The InputError message for reading path, or "" when it read.
std::string input_error(const std::string& path) {
  try {
    InputFile in(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

class EachCompression : public ::testing::TestWithParam<Compression> {};

TEST_P(EachCompression, AnOutputNamedForItIsCompressedAndReadsBackWhole) {
  TempDir dir;
  const std::string name = dir.file(GetParam() == Compression::Zstd ? "out.jsonl.zst" : "out.jsonl.gz");
  const std::string text = some_lines(50000);
  {
    OutputFile out(name);
    for (std::size_t at = 0; at < text.size(); at += 4096) out.write(std::string_view(text).substr(at, 4096));
    out.commit();
  }
  const std::string raw = read_file(name);
  EXPECT_EQ(compression_from_magic(raw.substr(0, kMagicBytes)), GetParam());
  EXPECT_LT(raw.size() * 5, text.size()) << "compressed for real";
  EXPECT_EQ(read_input(name), text);
}

TEST_P(EachCompression, InputsAreToldByTheirBytesNotTheirName) {
  TempDir dir;
  const std::string text = some_lines(100);
  write_file(dir.file("plain-looking.jsonl"), compressed(GetParam(), text));
  EXPECT_EQ(read_input(dir.file("plain-looking.jsonl")), text);
  write_file(dir.file("not-really.zst"), text);
  EXPECT_EQ(read_input(dir.file("not-really.zst")), text);
}

TEST_P(EachCompression, ConcatenatedFramesAreOneStream) {
  TempDir dir;
  const std::string text = some_lines(300);
  write_file(dir.file("frames"), compressed(GetParam(), text, /*frame_per_piece=*/true));
  EXPECT_EQ(read_input(dir.file("frames")), text);
}

TEST_P(EachCompression, AStreamThroughAPipeIsDecompressedToo) {
  const std::string text = some_lines(20000);
  const std::string packed = compressed(GetParam(), text);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::size_t done = 0;
    while (done < packed.size()) {
      ssize_t n = ::write(fds[1], packed.data() + done, std::min<std::size_t>(packed.size() - done, 3000));
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  std::string got = read_input("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(got, text);
}

TEST_P(EachCompression, ATruncatedFileIsAnErrorNamingIt) {
  TempDir dir;
  const std::string packed = compressed(GetParam(), some_lines(5000));
  for (std::size_t keep : {packed.size() / 2, packed.size() - 1, std::size_t{kMagicBytes + 1}}) {
    write_file(dir.file("cut.prof"), packed.substr(0, keep));
    std::string error = input_error(dir.file("cut.prof"));
    EXPECT_NE(error.find(dir.file("cut.prof") + ": "), std::string::npos) << error;
    EXPECT_TRUE(error.find("truncated") != std::string::npos || error.find("corrupt") != std::string::npos)
        << keep << ": " << error;
  }
}

TEST_P(EachCompression, CorruptDataIsAnErrorNamingIt) {
  TempDir dir;
  std::string packed = compressed(GetParam(), some_lines(5000));
  for (std::size_t i = 20; i < packed.size(); i += 7) packed[i] = static_cast<char>(packed[i] ^ 0x5A);
  write_file(dir.file("bad.prof"), packed);
  std::string error = input_error(dir.file("bad.prof"));
  EXPECT_NE(error.find(dir.file("bad.prof") + ": corrupt "), std::string::npos) << error;
}

TEST_P(EachCompression, GarbageAfterTheLastFrameIsAnError) {
  TempDir dir;
  write_file(dir.file("tail.prof"), compressed(GetParam(), some_lines(10)) + "not compressed\n");
  EXPECT_NE(input_error(dir.file("tail.prof")), "");
}

TEST_P(EachCompression, ABombStopsAtTheBoundWithAClearError) {
  // 64 MiB of one byte packs into a few kilobytes: far over kMaxExpansion.
  const std::string packed = compressed(GetParam(), std::string(64u << 20, 'a'));
  ASSERT_LT(packed.size() * kMaxExpansion, std::size_t{64} << 20);
  TempDir dir;
  write_file(dir.file("bomb"), packed);
  int fd = ::open(dir.file("bomb").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  try {
    ::close(decompress_to_spool(fd, {}, GetParam(), packed.size(), dir.file("bomb"), /*floor_bytes=*/1u << 20));
    ADD_FAILURE() << "a bomb was decompressed whole";
  } catch (const InputError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(dir.file("bomb") + ": "), std::string::npos) << message;
    EXPECT_NE(message.find("decompression bomb"), std::string::npos) << message;
  }
  ::close(fd);
}

TEST_P(EachCompression, ALiveOutputIsWholeAfterEveryFlush) {
  TempDir dir;
  const std::string name = dir.file(GetParam() == Compression::Zstd ? "live.zst" : "live.gz");
  OutputFile out(name, Placement::Live);
  std::string so_far;
  for (int step = 0; step < 3; ++step) {
    const std::string piece = some_lines(100 + step);
    out.write(piece);
    out.flush();
    out.flush();  // nothing new: no empty frame
    so_far += piece;
    // What a recorder killed now would leave.
    EXPECT_EQ(read_input(name), so_far) << step;
  }
}

TEST_P(EachCompression, AnEmptyOutputIsStillAValidFile) {
  TempDir dir;
  const std::string name = dir.file(GetParam() == Compression::Zstd ? "empty.zst" : "empty.gz");
  OutputFile(name).commit();
  EXPECT_EQ(compression_from_magic(read_file(name)), GetParam());
  EXPECT_EQ(read_input(name), "");
}

INSTANTIATE_TEST_SUITE_P(Compression, EachCompression, ::testing::Values(Compression::Zstd, Compression::Gzip),
                         [](const auto& info) { return std::string(compression_name(info.param)); });

TEST(CompressionNames, ByExtensionOnly) {
  EXPECT_EQ(compression_for_path("a.prof.zst"), Compression::Zstd);
  EXPECT_EQ(compression_for_path("strace.log.gz"), Compression::Gzip);
  EXPECT_EQ(compression_for_path("a.jsonl"), Compression::None);
  EXPECT_EQ(compression_for_path("-"), Compression::None);
  EXPECT_EQ(compression_for_path("zst"), Compression::None);
}

TEST(CompressionMagic, ShortAndPlainInputsAreNotCompressed) {
  EXPECT_EQ(compression_from_magic(""), Compression::None);
  EXPECT_EQ(compression_from_magic("\x1f"), Compression::None);
  EXPECT_EQ(compression_from_magic("{\"Me"), Compression::None);
  EXPECT_EQ(compression_from_magic("\x1f\x8b"), Compression::Gzip);
  EXPECT_EQ(compression_from_magic(std::string("\x28\xb5\x2f\xfd", 4)), Compression::Zstd);
  EXPECT_EQ(compression_from_magic(std::string("\x5a\x2a\x4d\x18", 4)), Compression::Zstd);
}

}  // namespace
}  // namespace proctrace::testing
