// A target for the recorder's resource-usage tests (tests/record/): does one
// measurable thing, then prints what the kernel says it used, for the test
// to compare with the recording's Exit.
//   usage_helper rss MB       allocates and touches MB MiB
//   usage_helper cpu MS       burns MS milliseconds of CPU in user space
//   usage_helper read FILE    reads FILE to its end
// Output (one line): "<user_us> <system_us> <maxrss_kb> <nvcsw> <nivcsw>
// <minflt> <majflt> <rchar> <wchar> <syscr> <syscw> <read_bytes> <write_bytes>"
// from getrusage(RUSAGE_SELF) and /proc/self/io.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace {

unsigned long long io_field(const std::string& text, const char* name) {
  auto at = text.find(std::string(name) + ": ");
  return at == std::string::npos ? 0 : std::strtoull(text.c_str() + at + std::strlen(name) + 2, nullptr, 10);
}

volatile unsigned long long sink;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::string what = argv[1];
  if (what == "rss") {
    std::size_t bytes = std::strtoull(argv[2], nullptr, 10) << 20;
    char* p = static_cast<char*>(std::malloc(bytes));
    for (std::size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    sink = p[bytes / 2];
  } else if (what == "cpu") {
    // CPU time, not wall time: on a busy machine the helper waits for a core.
    auto cpu_ns = [] {
      timespec t{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      return static_cast<long long>(t.tv_sec) * 1000000000 + t.tv_nsec;
    };
    long long end = cpu_ns() + std::atoll(argv[2]) * 1000000;
    unsigned long long x = 0;
    while (cpu_ns() < end)
      for (int i = 0; i < 10000; ++i) x = x * 6364136223846793005ull + 1;
    sink = x;
  } else if (what == "read") {
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) return 3;
    static char buffer[1 << 16];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
  } else {
    return 2;
  }
  std::string io;
  int fd = open("/proc/self/io", O_RDONLY);
  char chunk[512];
  ssize_t n;
  while (fd >= 0 && (n = read(fd, chunk, sizeof chunk)) > 0) io.append(chunk, n);
  if (fd >= 0) close(fd);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1000000 + t.tv_usec; };
  std::printf("%lld %lld %ld %ld %ld %ld %ld %llu %llu %llu %llu %llu %llu\n", us(ru.ru_utime), us(ru.ru_stime),
              ru.ru_maxrss, ru.ru_nvcsw, ru.ru_nivcsw, ru.ru_minflt, ru.ru_majflt, io_field(io, "rchar"),
              io_field(io, "wchar"), io_field(io, "syscr"), io_field(io, "syscw"), io_field(io, "read_bytes"),
              io_field(io, "write_bytes"));
  return 0;
}
