"""Timing one benchmark phase in a child process of its own (so its peak RSS is its own)."""

from __future__ import annotations

import os
import subprocess
import time


def run_phase(args: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in bytes, exit code) of one child process.

    CPU time (user + system, all threads) is reported beside wall time: on a shared machine the
    wall clock measures the neighbours as much as the code."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)
