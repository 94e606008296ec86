#include "io/input_spool.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "io/input_file.h"

namespace proctrace {

namespace {

// An unnamed file in $TMPDIR (or /tmp), gone when closed.
int unnamed_temp_file(const std::string& name) {
  const char* env = std::getenv("TMPDIR");
  std::string dir = env && *env ? env : "/tmp";
#ifdef O_TMPFILE  // Linux: never has a name, so nothing is left behind even on a crash
  if (int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600); fd >= 0) return fd;
#endif
  // Other systems, and Linux filesystems without O_TMPFILE: named for an instant.
  std::string pattern = dir + "/proctrace-input-XXXXXX";
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) throw InputError(name + ": cannot buffer the stream in " + dir + ": " + std::strerror(errno));
  ::unlink(pattern.c_str());
  return fd;
}

void write_all(int fd, const char* p, std::size_t n, const std::string& name) {
  while (n) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw InputError(name + ": cannot buffer the stream in $TMPDIR: " + std::strerror(errno));
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

// read(2) that retries on EINTR; 0 at end of file.
std::size_t read_some(int fd, char* buf, std::size_t size, const std::string& name) {
  for (;;) {
    ssize_t n = ::read(fd, buf, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw InputError(name + ": cannot read: " + std::strerror(errno));
  }
}

// Closes the temporary file if filling it throws.
struct SpoolGuard {
  int fd;
  ~SpoolGuard() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

std::uint64_t decompressed_limit(std::uint64_t compressed_bytes, std::uint64_t floor_bytes) {
  return std::max(floor_bytes, compressed_bytes * kMaxExpansion);
}

int spool_stream(int in, std::string_view head, const std::string& name) {
  SpoolGuard out{unnamed_temp_file(name)};
  std::vector<char> buf(1 << 16);
  std::size_t line_bytes = 0;  // of the line not yet ended
  // The head first, as if read in the first block.
  std::size_t held = head.size();
  std::memcpy(buf.data(), head.data(), held);
  for (;;) {
    const std::size_t len = held + read_some(in, buf.data() + held, buf.size() - held, name);
    held = 0;
    if (len == 0) break;
    const char* p = buf.data();
    const auto* first_nl = static_cast<const char*>(std::memchr(p, '\n', len));
    std::size_t first_line = first_nl ? static_cast<std::size_t>(first_nl - p) : len;
    if (line_bytes + first_line > kMaxLineBytes) {
      write_all(out.fd, p, kMaxLineBytes + 1 - line_bytes, name);
      break;
    }
    write_all(out.fd, p, len, name);
    // Lines wholly inside this block are shorter than it; only the
    // unfinished tail carries over.
    if (first_nl) line_bytes = len - 1 - static_cast<std::size_t>(static_cast<const char*>(::memrchr(p, '\n', len)) - p);
    else line_bytes += len;
  }
  return out.release();
}

int decompress_to_spool(int in, std::string_view head, Compression compression, std::uint64_t compressed_size,
                        const std::string& name, std::uint64_t floor_bytes) {
  const std::string format(compression_name(compression));
  std::unique_ptr<Decompressor> decoder = make_decompressor(compression);
  if (!decoder) throw InputError(name + ": " + format + " data, but " + compression_unavailable_message(compression));
  SpoolGuard out{unnamed_temp_file(name)};
  std::uint64_t read_bytes = head.size();
  std::uint64_t written = 0;
  bool too_big = false;
  // Output is gathered into 1 MiB writes: the decoder hands out 128 KiB.
  std::string pending;
  auto sink = [&](std::string_view piece) {
    written += piece.size();
    if (written > decompressed_limit(std::max(compressed_size, read_bytes), floor_bytes)) {
      too_big = true;
      return false;
    }
    pending += piece;
    if (pending.size() >= (1u << 20)) {
      write_all(out.fd, pending.data(), pending.size(), name);
      pending.clear();
    }
    return true;
  };
  auto check = [&](bool ok) {
    if (ok) return;
    if (too_big)
      throw InputError(name + ": " + format + " data that decompresses to more than " +
                       mib(decompressed_limit(std::max(compressed_size, read_bytes), floor_bytes)) + " (over " +
                       std::to_string(kMaxExpansion) + " times its compressed size): refused as a likely "
                       "decompression bomb; if the file is trusted, decompress it yourself (" +
                       (compression == Compression::Zstd ? "zstd" : "gzip") + " -dc) and read the result");
    throw InputError(name + ": " + decoder->error());
  };
  check(decoder->feed(head, sink));
  std::vector<char> buf(1 << 17);
  for (;;) {
    const std::size_t n = read_some(in, buf.data(), buf.size(), name);
    if (n == 0) break;
    read_bytes += n;
    check(decoder->feed(std::string_view(buf.data(), n), sink));
  }
  check(decoder->finish());
  write_all(out.fd, pending.data(), pending.size(), name);
  return out.release();
}

}  // namespace proctrace
