// The codec behind each Compression, for compression.cpp's factories only.
#pragma once

#include <memory>

#include "io/compression.h"

namespace proctrace {

std::unique_ptr<Compressor> make_gzip_compressor(int level);
std::unique_ptr<Decompressor> make_gzip_decompressor();
// Defined only when built with libzstd (PROCTRACE_HAVE_ZSTD).
std::unique_ptr<Compressor> make_zstd_compressor(int level);
std::unique_ptr<Decompressor> make_zstd_decompressor();

}  // namespace proctrace
