"""Benchmark `mimic-qa synth`: wall time and peak RSS at one scale, extrapolated linearly to scale 1.0.

Usage: python bench/synth.py --scale 0.01 [--seed 0] [--release 3.1] [--keep-copy DIR]
(writes bench/results/synth-<scale>.txt, or synth-<release>-<scale>.txt for another release than 3.1). For the
note module (``--release note-2.2``) it also reports the characters of note text written (DuckDB, after the run).
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

import duckdb

from mimic_qa.spec import load_spec
from mimic_qa.synth import generate


def note_text_mb(root: Path) -> float:
    """Megabytes (10^6 characters) of text in the copy's discharge and radiology files."""
    con = duckdb.connect(config={"threads": 2})
    total = 0
    for table in ("discharge", "radiology"):
        path = root / "note" / f"{table}.csv.gz"
        total += con.execute(f"SELECT sum(strlen(text)) FROM read_csv('{path}', header=true, all_varchar=true)").fetchone()[0]
    con.close()
    return total / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--release", default="3.1", help="3.1, demo-2.2, ed-2.2, ed-demo-2.2 or note-2.2")
    ap.add_argument("--keep-copy", type=Path, help="write the copy here and keep it (e.g. to benchmark validate on it)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synth-bench-"))
    out = args.keep_copy or work / "out"
    try:
        start = time.monotonic()
        res = generate(out, scale=args.scale, seed=args.seed, release=args.release)
        elapsed = time.monotonic() - start
        load = os.getloadavg()[0]
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        text = note_text_mb(out) if args.release == "note-2.2" else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    rows = sum(res.row_counts.values())
    full = sum(load_spec().release(args.release).row_counts.values())
    lines = [
        f"mimic-qa synth benchmark: scale {args.scale:g}, seed {args.seed}, release {args.release}",
        (f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
         f"load average at end of generation {load:.1f} (1 min)"),
        f"rows: {rows:,}  output: {size / 1e6:.1f} MB (.csv.gz)",
        f"wall time: {elapsed:.1f} s  ({rows / elapsed:,.0f} rows/s)",
        f"CPU time (user+sys, all threads): {cpu:.1f} s  ({rows / cpu:,.0f} rows per CPU-second)",
        f"peak RSS: {rss_mb:.0f} MB",
        *([f"note text: {text:,.0f} MB (10^6 characters of discharge and radiology text), "
           f"{text / elapsed:,.1f} MB/s"] if text is not None else []),
        (f"linear extrapolation to scale 1.0 ({full:,} rows): {full / (rows / elapsed) / 60:.0f} min wall "
         f"at this machine load; {full / (rows / cpu) / 60:.0f} CPU-minutes, i.e. about "
         f"{full / (rows / cpu) / 60 / 2:.0f}-{full / (rows / cpu) / 60:.0f} min on 2 idle cores "
         "(per-patient rows scale linearly; dictionaries are fixed; memory is bounded by chunks)"),
    ]
    name = f"synth-{args.scale:g}.txt" if args.release == "3.1" else f"synth-{args.release}-{args.scale:g}.txt"
    report = Path(__file__).parent / "results" / name
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
