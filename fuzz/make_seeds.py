#!/usr/bin/env python3
"""Cuts the real strace fixtures into small seed inputs for the strace fuzz
targets: libFuzzer works best from many small, valid, diverse inputs.

usage: make_seeds.py TARGET FIXTURES_DIR OUT_DIR
"""
import lzma
import os
import sys
import tarfile

target, fixtures, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
LINES = 24  # per seed: enough for a few calls, forks and their resumptions


def chunks(lines):
    for i in range(0, len(lines), LINES):
        yield b"".join(lines[i:i + LINES])


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


for entry in sorted(os.listdir(fixtures)):
    path = os.path.join(fixtures, entry)
    if entry.endswith(".log.xz"):
        lines = lzma.open(path).read().splitlines(keepends=True)
        for n, chunk in enumerate(chunks(lines)):
            if target == "strace_line":
                write(f"{entry}.{n}", chunk)
            else:  # strace_log: a mode byte first (chunk size), see fuzz_strace_log.cpp
                write(f"{entry}.{n}", bytes([n % 4]) + chunk)
    elif entry.endswith(".ff.tar.xz") and target == "strace_log":
        # An strace -ff run: its files' heads, joined by \x1e, in -ff mode.
        with tarfile.open(path) as tar:
            files = [m for m in tar.getmembers() if m.isfile()]
            for start in range(0, len(files), 4):
                parts = []
                for m in files[start:start + 4]:
                    parts.append(b"".join(tar.extractfile(m).read().splitlines(keepends=True)[:LINES]))
                write(f"{entry}.{start}", bytes([4 | (start % 4)]) + b"\x1e".join(parts))
