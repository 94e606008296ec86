// zstd through libzstd's streaming API (ZSTD_compressStream2 /
// ZSTD_decompressStream): bounded buffers whatever the input size.
#include <zstd.h>

#include "io/codecs.h"

namespace proctrace {

namespace {

class ZstdCompressor final : public Compressor {
 public:
  explicit ZstdCompressor(int level) : cctx_(ZSTD_createCCtx()) {
    if (cctx_) ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
  }
  ~ZstdCompressor() override { ZSTD_freeCCtx(cctx_); }

  bool compress(std::string_view in, bool end_frame, std::string& out) override {
    if (!cctx_) return fail("zstd: cannot allocate a compression context");
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    const ZSTD_EndDirective mode = end_frame ? ZSTD_e_end : ZSTD_e_continue;
    const std::size_t step = ZSTD_CStreamOutSize();
    for (;;) {
      const std::size_t before = out.size();
      out.resize(before + step);
      ZSTD_outBuffer output{out.data() + before, step, 0};
      const std::size_t left = ZSTD_compressStream2(cctx_, &output, &input, mode);
      out.resize(before + output.pos);
      if (ZSTD_isError(left)) return fail(std::string("zstd: ") + ZSTD_getErrorName(left));
      // ZSTD_e_end is done when nothing is left to flush; continue, when
      // the input is taken (the rest waits inside the context).
      if (end_frame ? left == 0 : input.pos == input.size) return true;
    }
  }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  ZSTD_CCtx* cctx_;
};

class ZstdDecompressor final : public Decompressor {
 public:
  ZstdDecompressor() : dctx_(ZSTD_createDCtx()), buffer_(ZSTD_DStreamOutSize(), '\0') {}
  ~ZstdDecompressor() override { ZSTD_freeDCtx(dctx_); }

  bool feed(std::string_view in, const std::function<bool(std::string_view)>& sink) override {
    if (!dctx_) return fail("cannot allocate a zstd decompression context");
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    // Until the input is taken and the output buffer came back short (the
    // decoder holds nothing more it could write now).
    bool full = true;
    while (input.pos < input.size || full) {
      ZSTD_outBuffer output{buffer_.data(), buffer_.size(), 0};
      const std::size_t taken = input.pos;
      const std::size_t hint = ZSTD_decompressStream(dctx_, &output, &input);
      if (ZSTD_isError(hint)) return fail(std::string("corrupt zstd data: ") + ZSTD_getErrorName(hint));
      // 0: a frame ended here and all of it was handed out. A call that took
      // and gave nothing says nothing: between frames it asks for the next
      // frame's header, which is no truncation (an empty feed after a
      // complete frame, as fuzz_decompress found).
      if (input.pos != taken || output.pos) mid_frame_ = hint != 0;
      full = output.pos == output.size;
      if (output.pos && !sink(std::string_view(buffer_.data(), output.pos))) return false;
      if (!full && input.pos == input.size) break;
    }
    return true;
  }

  bool finish() override {
    if (mid_frame_) return fail("truncated zstd data: the file ends inside a frame");
    return true;
  }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  ZSTD_DCtx* dctx_;
  std::string buffer_;
  bool mid_frame_ = false;
};

}  // namespace

std::unique_ptr<Compressor> make_zstd_compressor(int level) { return std::make_unique<ZstdCompressor>(level); }
std::unique_ptr<Decompressor> make_zstd_decompressor() { return std::make_unique<ZstdDecompressor>(); }

}  // namespace proctrace
