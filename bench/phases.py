"""What the benchmarks share: a scratch folder for a run and its report, and timing one phase in a child process of
its own (so its peak RSS is its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def run_phase(args: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in bytes, exit code) of one child process.

    CPU time (user + system, all threads) is reported beside wall time: on a shared machine the
    wall clock measures the neighbours as much as the code."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def report_run(run: Callable[[Path], str], out: Path | None) -> int:
    """Run a benchmark in a scratch folder (removed after), print its report and write it to ``out`` if given."""
    work = Path(tempfile.mkdtemp(prefix="mimic-qa-bench-"))
    try:
        text = run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(text, end="")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    return 0
