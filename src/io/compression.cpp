#include "io/compression.h"

#include "io/codecs.h"

namespace proctrace {

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::Zstd: return "zstd";
    case Compression::Gzip: return "gzip";
    case Compression::None: break;
  }
  return "none";
}

Compression compression_for_path(std::string_view path) {
  if (path.ends_with(".zst")) return Compression::Zstd;
  if (path.ends_with(".gz")) return Compression::Gzip;
  return Compression::None;
}

Compression compression_from_magic(std::string_view head) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() >= 2 && byte(0) == 0x1F && byte(1) == 0x8B) return Compression::Gzip;
  if (head.size() < 4) return Compression::None;
  // Little-endian 0xFD2FB528, or a skippable frame 0x184D2A50..5F (zstd
  // decoders step over those: a file may start with one).
  if (byte(0) == 0x28 && byte(1) == 0xB5 && byte(2) == 0x2F && byte(3) == 0xFD) return Compression::Zstd;
  if ((byte(0) & 0xF0) == 0x50 && byte(1) == 0x2A && byte(2) == 0x4D && byte(3) == 0x18) return Compression::Zstd;
  return Compression::None;
}

bool compression_available(Compression compression) {
#ifndef PROCTRACE_HAVE_ZSTD
  if (compression == Compression::Zstd) return false;
#endif
  return true;
}

std::string compression_unavailable_message(Compression compression) {
  return "this proctrace was built without " + std::string(compression_name(compression)) +
         " (PROCTRACE_ZSTD=OFF, or libzstd missing): rebuild with libzstd (Debian libzstd-dev, Homebrew zstd), "
         "or use a plain or .gz file (`zstd -dc FILE > plain.jsonl`)";
}

std::unique_ptr<Compressor> make_compressor(Compression compression, CompressionSpeed speed) {
  const bool fast = speed == CompressionSpeed::Fast;
  switch (compression) {
    case Compression::Gzip: return make_gzip_compressor(fast ? 1 : 6);
    case Compression::Zstd:
#ifdef PROCTRACE_HAVE_ZSTD
      return make_zstd_compressor(fast ? 1 : 3);
#else
      return nullptr;
#endif
    case Compression::None: break;
  }
  return nullptr;
}

std::unique_ptr<Decompressor> make_decompressor(Compression compression) {
  switch (compression) {
    case Compression::Gzip: return make_gzip_decompressor();
    case Compression::Zstd:
#ifdef PROCTRACE_HAVE_ZSTD
      return make_zstd_decompressor();
#else
      return nullptr;
#endif
    case Compression::None: break;
  }
  return nullptr;
}

}  // namespace proctrace
