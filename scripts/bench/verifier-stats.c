// What the kernel's verifier spends on each program of the recorder: loads
// the compiled object with BPF_LOG_STATS and prints, per program, the
// instructions processed and the verification time. Start-up time of
// `proctrace record` is mostly this (scripts/bench/startup.sh).
//   cc -O1 -o verifier-stats verifier-stats.c -lbpf && ./verifier-stats proctrace.bpf.o
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

#define MAX_PROGS 16
static char logs[MAX_PROGS][1 << 16];

static int skipped(const struct bpf_program *p) {
  // fexit programs need a kernel that allows them; the recorder falls back.
  return strncmp(bpf_program__section_name(p), "fexit/", 6) == 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OBJECT.bpf.o\n", argv[0]);
    return 2;
  }
  struct bpf_object *obj = bpf_object__open(argv[1]);
  if (!obj) {
    fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 1;
  }
  struct bpf_program *p;
  int i = 0;
  bpf_object__for_each_program(p, obj) {
    if (skipped(p) || i == MAX_PROGS) {
      bpf_program__set_autoload(p, false);
      continue;
    }
    bpf_program__set_log_level(p, 4);  // BPF_LOG_STATS
    bpf_program__set_log_buf(p, logs[i++], sizeof logs[0]);
  }
  int err = bpf_object__load(obj);
  i = 0;
  bpf_object__for_each_program(p, obj) {
    if (!bpf_program__autoload(p)) continue;
    const char *log = logs[i++];
    const char *processed = strstr(log, "processed "), *time = strstr(log, "verification time ");
    printf("%-14s %s", bpf_program__name(p), processed ? processed : "(no stats)\n");
    if (time) printf("%-14s %.*s\n", "", (int)strcspn(time, "\n"), time);
  }
  bpf_object__close(obj);
  return err ? 1 : 0;
}
