"""Benchmark `mimic-qa synth`: wall time and peak RSS at one scale, extrapolated linearly to scale 1.0.

Usage: python bench/synth.py --scale 0.01 [--seed 0] [--keep-copy DIR]   (writes bench/results/synth-<scale>.txt)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from mimic_qa.synth import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep-copy", type=Path, help="write the copy here and keep it (e.g. to benchmark validate on it)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synth-bench-"))
    out = args.keep_copy or work / "out"
    try:
        start = time.monotonic()
        res = generate(out, scale=args.scale, seed=args.seed)
        elapsed = time.monotonic() - start
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    rows = sum(res.row_counts.values())
    lines = [
        f"mimic-qa synth benchmark: scale {args.scale:g}, seed {args.seed}, release 3.1",
        (f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
         f"load average at end {os.getloadavg()[0]:.1f}"),
        f"rows: {rows:,}  output: {size / 1e6:.1f} MB (.csv.gz)",
        f"wall time: {elapsed:.1f} s  ({rows / elapsed:,.0f} rows/s)",
        f"CPU time (user+sys, all threads): {cpu:.1f} s  ({rows / cpu:,.0f} rows per CPU-second)",
        f"peak RSS: {rss_mb:.0f} MB",
        (f"linear extrapolation to scale 1.0 (886,043,036 rows): {886_043_036 / (rows / elapsed) / 60:.0f} min wall "
         f"at this machine load; {886_043_036 / (rows / cpu) / 60:.0f} CPU-minutes, i.e. about "
         f"{886_043_036 / (rows / cpu) / 60 / 2:.0f}-{886_043_036 / (rows / cpu) / 60:.0f} min on 2 idle cores "
         "(per-patient rows scale linearly; dictionaries are fixed; memory is bounded by 1M-row chunks)"),
    ]
    report = Path(__file__).parent / "results" / f"synth-{args.scale:g}.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
