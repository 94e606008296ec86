// Fuzzes the zstd and gzip decoders that compressed inputs go through
// (io/compression.h, used by InputFile): any bytes, fed in two pieces split
// where the input says, must end in data or an error, never a crash, and
// output is cut off at 1 MiB as the decompression-bomb bound cuts it off.
// Also checks that what the encoders write decodes back to the same bytes.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "io/compression.h"

using namespace proctrace;

namespace {

constexpr std::size_t kMaxOutput = 1u << 20;

// Decodes `data` as `compression`; the output, or nullopt-like false on error.
bool decode(Compression compression, std::string_view data, std::size_t split, std::string& out) {
  auto decoder = make_decompressor(compression);
  FUZZ_CHECK(decoder != nullptr, "no decoder");
  auto sink = [&](std::string_view piece) {
    FUZZ_CHECK(!piece.empty(), "empty piece handed out");
    if (out.size() + piece.size() > kMaxOutput) return false;
    out += piece;
    return true;
  };
  split = std::min(split, data.size());
  if (!decoder->feed(data.substr(0, split), sink)) return false;
  if (!decoder->feed(data.substr(split), sink)) return false;
  return decoder->finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = data[0] * (input.size() / 256 + 1);
  for (Compression compression : {Compression::Zstd, Compression::Gzip}) {
    std::string out;
    (void)decode(compression, input, split, out);

    // Round trip: a frame per piece (the recorder's way) or one frame.
    auto encoder = make_compressor(compression, data[0] & 1 ? CompressionSpeed::Fast : CompressionSpeed::Default);
    std::string packed;
    const bool frame_per_piece = data[0] & 2;
    FUZZ_CHECK(encoder->compress(input.substr(0, split % (input.size() + 1)), frame_per_piece, packed), "compress");
    FUZZ_CHECK(encoder->compress(input.substr(split % (input.size() + 1)), true, packed), "compress");
    std::string back;
    FUZZ_CHECK(decode(compression, packed, split % (packed.size() + 1), back), "own output does not decode");
    FUZZ_CHECK(back == input, "round trip changed the bytes");
  }
  return 0;
}
