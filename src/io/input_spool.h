// Inputs that cannot be mapped as they are -- streams (pipes, FIFOs,
// devices) and compressed files -- are written out to an unnamed temporary
// file in $TMPDIR (or /tmp), which InputFile then maps like any file:
// memory stays that of the page cache, whose pages parsers give back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "io/compression.h"

namespace proctrace {

// A compressed input may grow to at most this many times its compressed
// size (and to kDecompressedFloorBytes whatever its size): a bomb of a few
// kilobytes must not fill $TMPDIR. A synthetic 1M-event recording
// compresses 22x with zstd -3 (14x with gzip -1); 1000x leaves room for
// far more repetitive ones. gzip cannot go past ~1032x at all.
inline constexpr std::uint64_t kMaxExpansion = 1000;
inline constexpr std::uint64_t kDecompressedFloorBytes = std::uint64_t{64} << 20;

// Copies the stream `in`, after the `head` bytes already read from it,
// into a new unnamed temporary file and returns its descriptor. Stops
// within a line longer than kMaxLineBytes (kept one byte past the limit, so
// the parser reports it): nothing bounds where a stream ends.
int spool_stream(int in, std::string_view head, const std::string& name);

// Decompresses `in` (after `head`, already read from it) into a new unnamed
// temporary file and returns its descriptor. compressed_size is the input's
// size when known (a regular file), else 0: the bound then follows the
// bytes read so far. Throws InputError naming the file when the data is
// corrupt or truncated, when it would grow past the bound, or when this
// build cannot read the format. floor_bytes is there for tests to reach
// the bound without writing a gigabyte.
int decompress_to_spool(int in, std::string_view head, Compression compression, std::uint64_t compressed_size,
                        const std::string& name, std::uint64_t floor_bytes = kDecompressedFloorBytes);

// The most a compressed input of `compressed_bytes` may decompress to.
std::uint64_t decompressed_limit(std::uint64_t compressed_bytes, std::uint64_t floor_bytes = kDecompressedFloorBytes);

}  // namespace proctrace
