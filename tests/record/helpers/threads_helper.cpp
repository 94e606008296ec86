// A multi-threaded target for the recorder tests (tests/record/).
//   threads_helper exec      a non-main thread forks a child (exit 3), then
//                            another non-main thread execs `sh -c 'exit 6'`
//   threads_helper last N    the main thread ends first; the last thread
//                            calls exit(N)
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void* fork_child(void*) {
  pid_t child = fork();
  if (child == 0) _exit(3);
  waitpid(child, nullptr, 0);
  return nullptr;
}

void* exec_shell(void*) {
  execl("/bin/sh", "sh", "-c", "exit 6", static_cast<char*>(nullptr));
  _exit(127);
}

void* exit_later(void* code) {
  usleep(50 * 1000);
  exit(static_cast<int>(reinterpret_cast<long>(code)));
}

void* idle(void*) {
  pause();
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "exec") == 0) {
    pthread_t t;
    pthread_create(&t, nullptr, idle, nullptr);  // still running at the exec
    pthread_create(&t, nullptr, fork_child, nullptr);
    pthread_join(t, nullptr);
    pthread_create(&t, nullptr, exec_shell, nullptr);
    pthread_join(t, nullptr);  // never returns: the exec replaces every thread
    return 1;
  }
  if (argc >= 3 && std::strcmp(argv[1], "last") == 0) {
    pthread_t t;
    pthread_create(&t, nullptr, exit_later, reinterpret_cast<void*>(std::atol(argv[2])));
    pthread_exit(nullptr);
  }
  return 2;
}
