#!/usr/bin/env bash
# Writes a synthetic recording of about N events (fork/exec/exit, with
# setpgid now and then) to stdout: a make-like root forking compiler jobs
# one after another, some of which fork a helper; pids wrap around so pids are
# reused, as on a busy machine.
#   scripts/bench/gen-synthetic-recording.sh 1000000 > big.jsonl
set -euo pipefail
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
  ts = 1000000; root = 100; pid = 300; events = 0
  printf "{\"Meta\":{\"format\":\"proctrace\",\"version\":1,\"backend\":\"bpf\",\"clock\":\"CLOCK_BOOTTIME\",\"clock_offset_ns\":1700000000000000000,\"host\":\"bench\",\"kernel\":\"synthetic\",\"command\":[\"make\",\"-j2\"],\"start_timestamp\":%.0f}}\n", ts
  printf "{\"Exec\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":1,\"pgid\":%d,\"sid\":%d,\"cmdline\":[\"make\",\"-j2\"],\"filename\":\"/usr/bin/make\",\"truncated\":false}}\n", ts, root, root, root
  events = 1; job = 0
  while (events < n - 1) {
    job++
    c = pid; pid = (pid >= 32000) ? 300 : pid + 1
    ts += 1000
    printf "{\"Fork\":{\"timestamp\":%.0f,\"parent_pid\":%d,\"child_pid\":%d,\"parent_pgid\":%d,\"sid\":%d}}\n", ts, root, c, root, root
    ts += 500
    printf "{\"Exec\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d,\"cmdline\":[\"cc\",\"-O2\",\"-c\",\"src/file_%d.c\",\"-o\",\"obj/file_%d.o\"],\"filename\":\"/usr/bin/cc\",\"truncated\":false}}\n", ts, c, root, root, root, job, job
    events += 2
    if (job % 5 == 0) {
      h = pid; pid = (pid >= 32000) ? 300 : pid + 1
      ts += 300
      printf "{\"Fork\":{\"timestamp\":%.0f,\"parent_pid\":%d,\"child_pid\":%d,\"parent_pgid\":%d,\"sid\":%d}}\n", ts, c, h, root, root
      ts += 100
      printf "{\"SetPGID\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d}}\n", ts, h, c, h, root
      ts += 200
      printf "{\"Exec\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d,\"cmdline\":[\"as\",\"-o\",\"obj/file_%d.o\"],\"filename\":\"/usr/bin/as\",\"truncated\":false}}\n", ts, h, c, h, root, job
      ts += 4000
      printf "{\"Exit\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d,\"code\":0,\"signal\":null,\"core_dumped\":false}}\n", ts, h, c, h, root
      events += 4
    }
    ts += 20000
    printf "{\"Exit\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":%d,\"pgid\":%d,\"sid\":%d,\"code\":%d,\"signal\":null,\"core_dumped\":false}}\n", ts, c, root, root, root, (job % 97 == 0) ? 1 : 0
    events += 1
  }
  ts += 1000
  printf "{\"Exit\":{\"timestamp\":%.0f,\"pid\":%d,\"ppid\":1,\"pgid\":%d,\"sid\":%d,\"code\":0,\"signal\":null,\"core_dumped\":false}}\n", ts, root, root, root
  printf "{\"Stats\":{\"events\":{},\"lost\":{},\"truncated_argv\":0,\"alive_at_end\":[],\"end_timestamp\":%.0f,\"root_status\":0}}\n", ts
}'
