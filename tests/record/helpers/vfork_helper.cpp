// A process in D state on demand, for `why`'s tests (tests/analyze/why_test.cpp):
// a vfork parent waits for its child in TASK_KILLABLE, which /proc shows as
// D, until the child execs or exits. The child (on its own stack, sharing
// the parent's memory as vfork does) sleeps SECONDS, then exits.
//   vfork_helper SECONDS
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int sleeping_child(void* seconds) {
  timespec t{*static_cast<long*>(seconds), 0};
  while (nanosleep(&t, &t) != 0) {
  }
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  long seconds = std::strtol(argv[1], nullptr, 10);
  static char stack[64 * 1024];
  pid_t child = clone(sleeping_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &seconds);
  if (child < 0) return 1;
  int status = 0;
  return waitpid(child, &status, 0) == child && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
