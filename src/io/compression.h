// Compressed recordings and strace logs: zstd (libzstd) and gzip (zlib).
// Outputs are compressed when their name ends in .zst or .gz; inputs are
// recognised by their first bytes (magic numbers), whatever their name.
// Both sides stream: nothing here holds more than one buffer of data.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace proctrace {

enum class Compression { None, Zstd, Gzip };

std::string_view compression_name(Compression compression);  // "zstd", "gzip", "none"

// By the file name: ".zst" is zstd, ".gz" gzip, anything else (and "-") none.
Compression compression_for_path(std::string_view path);

// The magic bytes a compressed stream starts with: zstd 28 B5 2F FD (or a
// skippable frame, 5? 2A 4D 18), gzip 1F 8B. `head` is the stream's first
// kMagicBytes bytes, or all of it when shorter.
inline constexpr std::size_t kMagicBytes = 4;
Compression compression_from_magic(std::string_view head);

// Whether this build can read and write `compression` (zstd needs
// PROCTRACE_ZSTD=ON at configure time); none and gzip always can.
bool compression_available(Compression compression);
// Why not, and what to do instead, for a message after "FILE: ".
std::string compression_unavailable_message(Compression compression);

class Compressor {
 public:
  virtual ~Compressor() = default;
  // Appends the compressed form of `in` to `out`. end_frame closes the zstd
  // frame (gzip member): everything appended so far then decompresses on
  // its own, and the next call starts a new frame. False (with error()) only
  // when the library fails (out of memory).
  [[nodiscard]] virtual bool compress(std::string_view in, bool end_frame, std::string& out) = 0;
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// Level 1 for a recording being written live (the recorder must keep up
// with the kernel's ring buffer), 3 (zstd's default) and 6 (gzip's) else.
enum class CompressionSpeed { Fast, Default };
// Null when compression is None or not available in this build.
std::unique_ptr<Compressor> make_compressor(Compression compression, CompressionSpeed speed);

class Decompressor {
 public:
  virtual ~Decompressor() = default;
  // Decompresses the next bytes of the stream, handing the output to `sink`
  // in pieces (each valid only during the call). Concatenated frames
  // (members) are one stream. False, with error(), on corrupt data or when
  // sink returned false (its own reason is then the caller's to tell).
  [[nodiscard]] virtual bool feed(std::string_view in, const std::function<bool(std::string_view)>& sink) = 0;
  // Whether the stream ended where a frame ends: false (with error()) when
  // the input stopped inside one (a truncated file).
  [[nodiscard]] virtual bool finish() = 0;
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// Null when compression is None or not available in this build.
std::unique_ptr<Decompressor> make_decompressor(Compression compression);

}  // namespace proctrace
