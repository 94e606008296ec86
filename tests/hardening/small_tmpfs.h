// A tiny tmpfs mounted for one test, to make "disk full" real: writes fail
// with ENOSPC exactly as on a full disk. Needs root (CAP_SYS_ADMIN).
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mount.h>

#include "test_support.h"

namespace proctrace::testing {

class SmallTmpfs {
 public:
  explicit SmallTmpfs(const std::string& size = "64k") {
    std::string options = "size=" + size + ",mode=0777";
    if (::mount("proctrace-test", dir_.path().c_str(), "tmpfs", 0, options.c_str()) == 0)
      mounted_ = true;
    else
      error_ = std::strerror(errno);
  }
  ~SmallTmpfs() {
    if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }  // why mounting failed
  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  TempDir dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace proctrace::testing
