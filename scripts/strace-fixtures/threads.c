// Multi-threaded target for scripts/gen-strace-thread-fixtures.sh: each
// worker gives the log a different kind of tie to its process.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ticks;
static int pipefd[2];

static void nap(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}
static void on_usr1(int sig) { (void)sig; }

// A: waits on a condition variable the main thread signals (futex wait/wake).
static void* waiter(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  for (int seen = 0;; seen = ticks) {
    while (ticks == seen) pthread_cond_wait(&cond, &lock);
  }
  return NULL;
}
// B: sleeps, and reads its process's /proc/self/stat now and then.
static void* sleeper(void* arg) {
  (void)arg;
  char buf[512];
  for (;;) {
    nap(70);
    int fd = open("/proc/self/stat", O_RDONLY);
    if (fd >= 0) { (void)!read(fd, buf, sizeof buf); close(fd); }
  }
  return NULL;
}
// C: blocks reading a pipe the main thread writes to; SIGUSR1 interrupts it.
static void* reader(void* arg) {
  (void)arg;
  char c;
  for (;;) (void)!read(pipefd[0], &c, 1);
  return NULL;
}
// D: only sleeps (nothing but an exit_group can tie it to its process).
static void* idle(void* arg) {
  (void)arg;
  for (;;) nap(90);
  return NULL;
}
// E: created late (after strace attached): its clone shows CLONE_THREAD.
static void* late(void* arg) {
  (void)arg;
  nap(30);
  write(pipefd[1], "e", 1);
  return NULL;  // pthread_exit: exit(0), not exit_group
}

int main(int argc, char** argv) {
  // argv[1]: run this many ms then exit_group (0: forever); argv[2]: when
  // to start the late thread (ms, 0: never); argv[3]: "idle" adds D.
  long run_ms = argc > 1 ? atol(argv[1]) : 0, late_ms = argc > 2 ? atol(argv[2]) : 0;
  int with_idle = argc > 3 && strcmp(argv[3], "idle") == 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  if (pipe(pipefd) != 0) return 1;
  pthread_t a, b, c, d, e;
  pthread_create(&a, NULL, waiter, NULL);
  pthread_create(&b, NULL, sleeper, NULL);
  pthread_create(&c, NULL, reader, NULL);
  if (with_idle) pthread_create(&d, NULL, idle, NULL);
  long elapsed = 0;
  int late_started = 0;
  char name[32];
  for (int n = 0; run_ms == 0 || elapsed < run_ms; ++n) {
    nap(50);
    elapsed += 50;
    pthread_mutex_lock(&lock);
    ++ticks;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    if (n % 2 == 0) (void)!write(pipefd[1], "x", 1);
    if (n % 3 == 0) pthread_kill(c, SIGUSR1);
    if (n % 4 == 0) pthread_getname_np(b, name, sizeof name);  // opens /proc/self/task/B/comm
    if (late_ms && !late_started && elapsed >= late_ms) {
      pthread_create(&e, NULL, late, NULL);
      late_started = 1;
    }
  }
  exit(3);  // exit_group(3): every thread ends with it
}
