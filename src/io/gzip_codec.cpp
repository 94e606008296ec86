// gzip through zlib's deflate/inflate with a gzip wrapper (windowBits 16+15).
#include <algorithm>
#include <zlib.h>

#include "io/codecs.h"

namespace proctrace {

namespace {

constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // 16+: a gzip header and trailer, not zlib's
constexpr std::size_t kChunk = 1 << 16;
// zlib counts in uInt: hand it at most this much at a time.
constexpr std::size_t kMaxPass = 1u << 30;

class GzipCompressor final : public Compressor {
 public:
  explicit GzipCompressor(int level) {
    ok_ = deflateInit2(&z_, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipCompressor() override {
    if (ok_) deflateEnd(&z_);
  }

  bool compress(std::string_view in, bool end_frame, std::string& out) override {
    if (!ok_) return fail("gzip: cannot allocate a compression stream");
    do {
      const std::size_t pass = std::min(in.size(), kMaxPass);
      const bool last = pass == in.size();
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z_.avail_in = static_cast<uInt>(pass);
      const int flush = last && end_frame ? Z_FINISH : Z_NO_FLUSH;
      for (;;) {
        const std::size_t before = out.size();
        out.resize(before + kChunk);
        z_.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        z_.avail_out = static_cast<uInt>(kChunk);
        const int rc = deflate(&z_, flush);
        out.resize(before + kChunk - z_.avail_out);
        if (rc == Z_STREAM_ERROR) return fail("gzip: deflate failed");
        if (rc == Z_STREAM_END) {
          deflateReset(&z_);  // the next bytes start a new member
          break;
        }
        if (flush == Z_NO_FLUSH && z_.avail_in == 0 && z_.avail_out != 0) break;
      }
      in.remove_prefix(pass);
    } while (!in.empty());
    return true;
  }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  z_stream z_{};
  bool ok_ = false;
};

class GzipDecompressor final : public Decompressor {
 public:
  GzipDecompressor() : buffer_(kChunk, '\0') { ok_ = inflateInit2(&z_, kGzipWindowBits) == Z_OK; }
  ~GzipDecompressor() override {
    if (ok_) inflateEnd(&z_);
  }

  bool feed(std::string_view in, const std::function<bool(std::string_view)>& sink) override {
    if (!ok_) return fail("cannot allocate a gzip decompression stream");
    while (!in.empty()) {
      const std::size_t pass = std::min(in.size(), kMaxPass);
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z_.avail_in = static_cast<uInt>(pass);
      while (z_.avail_in > 0) {
        mid_member_ = true;
        z_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
        z_.avail_out = static_cast<uInt>(buffer_.size());
        const int rc = inflate(&z_, Z_NO_FLUSH);
        const std::size_t produced = buffer_.size() - z_.avail_out;
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR)
          return fail(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "inflate failed"));
        if (produced && !sink(std::string_view(buffer_.data(), produced))) return false;
        if (rc == Z_STREAM_END) {
          // Members may follow (gzip -c a >> b, pigz): each starts afresh.
          mid_member_ = false;
          inflateReset(&z_);
        } else if (rc == Z_BUF_ERROR && produced == 0) {
          break;  // needs more input than this piece had
        }
      }
      in.remove_prefix(pass);
    }
    // Output still inside zlib once the input is taken: drain it.
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
      z_.avail_out = static_cast<uInt>(buffer_.size());
      z_.avail_in = 0;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      const std::size_t produced = buffer_.size() - z_.avail_out;
      if (rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_NEED_DICT)
        return fail(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "inflate failed"));
      if (produced && !sink(std::string_view(buffer_.data(), produced))) return false;
      if (rc == Z_STREAM_END) {
        mid_member_ = false;
        inflateReset(&z_);
      }
      if (produced == 0) break;
    }
    return true;
  }

  bool finish() override {
    if (mid_member_) return fail("truncated gzip data: the file ends inside a member");
    return true;
  }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  z_stream z_{};
  std::string buffer_;
  bool ok_ = false;
  bool mid_member_ = false;
};

}  // namespace

std::unique_ptr<Compressor> make_gzip_compressor(int level) { return std::make_unique<GzipCompressor>(level); }
std::unique_ptr<Decompressor> make_gzip_decompressor() { return std::make_unique<GzipDecompressor>(); }

}  // namespace proctrace
