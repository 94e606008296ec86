// A real, throw-away Unix user for the privilege tests (we run as root in
// CI): created with useradd, removed with userdel. sudo itself is simulated:
// the tests set SUDO_UID/SUDO_GID as sudo does, since sudo may not be
// installed and would ask for a password.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <pwd.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "test_support.h"

namespace proctrace::testing {

class TestUser {
 public:
  TestUser() : name_("ptsec" + std::to_string(::getpid() % 100000)) {
    // useradd takes a lock on /etc/passwd; concurrent test runs may hold it.
    for (int attempt = 0; attempt < 20; ++attempt) {
      run({"userdel", name_});  // a leftover of a killed run
      auto r = run({"useradd", "-M", "-U", "-d", "/home/" + name_, "-s", "/bin/sh", name_});
      if (r.exit_code == 0) break;
      error_ = r.err;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (const passwd* pw = ::getpwnam(name_.c_str())) {
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      created_ = true;
    }
  }
  ~TestUser() {
    if (created_)
      for (int attempt = 0; attempt < 20 && run({"userdel", name_}).exit_code != 0; ++attempt)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  TestUser(const TestUser&) = delete;
  TestUser& operator=(const TestUser&) = delete;

  bool created() const { return created_; }
  const std::string& error() const { return error_; }
  const std::string& name() const { return name_; }
  uid_t uid() const { return uid_; }
  gid_t gid() const { return gid_; }
  std::string home() const { return "/home/" + name_; }
  // The command line prefix `sudo` would amount to for proctrace.
  std::vector<std::string> sudo_env() const {
    return {"env", "SUDO_UID=" + std::to_string(uid_), "SUDO_GID=" + std::to_string(gid_), "SUDO_USER=" + name_};
  }

 private:
  std::string name_;
  std::string error_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool created_ = false;
};

#define REQUIRE_ROOT_AND_TEST_USER(user)                                                        \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates a user and simulates sudo";        \
  TestUser user;                                                                                \
  if (!user.created()) GTEST_SKIP() << "useradd failed: " << user.error()

}  // namespace proctrace::testing
