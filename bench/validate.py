"""Benchmark ``mimic-qa validate`` on a release folder against the floor (every file read typed, nothing stored)
and a mimic-code-style build.

On a synthetic copy at the given scale, in one run, each phase in its own process (for peak RSS), with the load
average (1 min, as ``uptime`` shows it) before and after each phase (the machine is shared):
  (a) floor: read every file typed from the spec, every column, nothing stored, two files at a time;
  (b) mimic-code-style build: CREATE TABLE from the DDL, COPY each file in turn, then count every table;
  (c) ``mimic-qa validate DIR``: the check-only pass (no ``--keep-db``);
  (d) ``mimic-qa validate DIR --keep-db FILE``: every table parsed whole into the kept database, checks included.
Reports wall and CPU time, peak RSS, (c)/(a) (target <= 1.5), (d)/(b) (target <= 1.0) and the disk the kept
database uses. (The gate re-run of an unchanged kept database is timed by ``bench/gate_rerun.py``.)

``--kept-db`` times the CI-gate case instead: validate an existing DuckDB database (built once by
``validate --keep-db``), (d) with ``--checks sql`` and (e) in the default mode (pandera and GX), each
``--repeat`` times; reports the median of each and (e)/(d) (target <= 1.5).

    python bench/validate.py --scale 0.01 [--copy DIR] [--out bench/results/validate-0.01.txt]
    python bench/validate.py --scale 0.01 --kept-db [--repeat 3] [--copy DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from phases import report_run, run_phase  # bench/phases.py (bench/ is on the path when a script in it runs)

PHASE_FLOOR = """
import sys
from concurrent.futures import ThreadPoolExecutor
from mimic_qa.spec import load_spec
from mimic_qa.sources.csv_loader import csv_read, read_header
from mimic_qa.sources.duckdb import create_database
from mimic_qa.sources.folder import open_folder
from mimic_qa.sources.naming import quote_ident
spec = load_spec(); folder = open_folder(spec, __import__('pathlib').Path(sys.argv[1]))
files = folder.files
con = create_database(spec, None, memory_limit="4GB", threads=2, spill_dir=sys.argv[2])
def one(name):  # every column counted: DuckDB reads and casts only the columns a query uses
    t, path = spec.tables[name], files[name].path
    header = read_header(path)
    cur = con.cursor()
    cur.execute(f"SELECT count(*), {', '.join(f'count({quote_ident(c)})' for c in header)} "
                f"FROM {csv_read(path, header, t.duckdb_types(header))}").fetchall()
    cur.close()
with ThreadPoolExecutor(2) as pool:
    list(pool.map(one, sorted(files, key=lambda n: -files[n].path.stat().st_size)))
"""

PHASE_BUILD = """
import sys, duckdb
from mimic_qa.spec import load_spec
from mimic_qa.sources.csv_loader import create_table_sql
from mimic_qa.sources.duckdb import create_database
from mimic_qa.sources.folder import open_folder
from mimic_qa.sources.naming import qualified
spec = load_spec(); files = open_folder(spec, __import__('pathlib').Path(sys.argv[1])).files
con = create_database(spec, sys.argv[2], memory_limit="8GB", threads=2)
for name, f in files.items():  # like mimic-code's duckdb build: DDL, then COPY one file after another
    t = spec.tables[name]
    con.execute(create_table_sql(t, qualified(spec, t)))
    con.execute(f"COPY {qualified(spec, t)} FROM '{f.path}' (FORMAT csv, HEADER true, QUOTE '\\"', ESCAPE '\\"')")
for name in files:  # validate.sql: count every table
    con.execute(f"SELECT count(*) FROM {qualified(spec, spec.tables[name])}").fetchone()
"""




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copy", type=Path, help="use this synthetic copy instead of generating one")
    ap.add_argument("--out", type=Path, help="also write the report here")
    ap.add_argument("--checks", default="all", choices=["all", "sql"], help="validate's --checks mode")
    ap.add_argument("--kept-db", action="store_true", help="time validate on an existing DuckDB database instead")
    ap.add_argument("--repeat", type=int, default=3, help="--kept-db: runs of each mode (the median is reported)")
    opts = ap.parse_args()
    return report_run(lambda work: _run_kept_db(opts, work) if opts.kept_db else _run(opts, work), opts.out)


def _copy(opts: argparse.Namespace, work: Path, lines: list[str]) -> Path:
    """The synthetic copy to validate: ``--copy``, else one generated at ``--scale``."""
    if opts.copy is not None:
        return opts.copy
    copy = work / "copy"
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "mimic_qa", "synth", str(copy), "--scale", str(opts.scale),
                    "--seed", str(opts.seed)], check=True, stdout=subprocess.DEVNULL)
    lines.append(f"synthetic copy generated in {time.monotonic() - t0:.1f} s")
    return copy


def _run_kept_db(opts: argparse.Namespace, work: Path) -> str:
    """(d) --checks sql and (e) the default mode on one kept database, alternating, ``--repeat`` times each."""
    lines = [f"# bench/validate.py --kept-db  scale={opts.scale}  {platform.node()}  {os.cpu_count()} cores  "
             f"python {platform.python_version()}  {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    copy = _copy(opts, work, lines)
    db = work / "kept.duckdb"
    subprocess.run([sys.executable, "-m", "mimic_qa", "validate", str(copy), "--quiet", "--checks", "sql",
                    "--keep-db", str(db)], check=False, stdout=subprocess.DEVNULL)
    lines.append(f"kept database: {db.stat().st_size / 1e6:,.1f} MB (validate --keep-db)")
    modes = {"(d) validate DB --checks sql": ["--checks", "sql"], "(e) validate DB (default)": []}
    runs: dict[str, list[tuple[float, float, int]]] = {m: [] for m in modes}
    for _ in range(opts.repeat):
        for name, extra in modes.items():
            wall, used, rss, code = run_phase([sys.executable, "-m", "mimic_qa", "validate", str(db), "--quiet",
                                               *extra, "--json", str(work / "kept.json")])
            runs[name].append((wall, used, rss))
            lines.append(f"{name:32s} {wall:8.2f} s wall  {used:8.2f} s CPU   peak RSS {rss / 2**20:8.0f} MiB   "
                         f"exit {code}   load {os.getloadavg()[0]:.1f}")
    med = {m: sorted(r)[len(r) // 2] for m, r in runs.items()}
    (dw, dc, _), (ew, ec, _) = med.values()
    lines.append(f"median: (d) {dw:.2f} s wall / {dc:.2f} s CPU; (e) {ew:.2f} s wall / {ec:.2f} s CPU")
    lines.append(f"(e)/(d) = {ew / dw:.2f} wall, {ec / dc:.2f} CPU   (target <= 1.5)")
    return "\n".join(lines) + "\n"


def _run(opts: argparse.Namespace, work: Path) -> str:
    """Run the four phases in ``work`` and return the report."""
    lines = [f"# bench/validate.py  scale={opts.scale}  --checks {opts.checks}  {platform.node()}  {os.cpu_count()} "
             f"cores  python {platform.python_version()}  {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    copy = _copy(opts, work, lines)
    counts = json.loads((copy / "mimic-qa-synthetic.json").read_text())["row_counts"]
    gz_bytes = sum(p.stat().st_size for p in copy.glob("*/*.csv.gz"))
    lines.append(f"copy: {sum(counts.values()):,} rows in {len(counts)} tables, {gz_bytes / 1e6:,.1f} MB of csv.gz")
    validate = [sys.executable, "-m", "mimic_qa", "validate", str(copy), "--quiet", "--checks", opts.checks]
    phases = {
        "(a) floor: typed read": [sys.executable, "-c", PHASE_FLOOR, str(copy), str(work)],
        "(b) mimic-code build + counts": [sys.executable, "-c", PHASE_BUILD, str(copy), str(work / "b.duckdb")],
        "(c) validate (check-only)": [*validate, "--json", str(work / "c.json")],
        "(d) validate --keep-db": [*validate, "--json", str(work / "d.json"), "--keep-db", str(work / "d.duckdb")],
    }
    timing: dict[str, tuple[float, float]] = {}
    for name, args in phases.items():
        before = os.getloadavg()[0]
        wall, used, rss, code = run_phase(args)
        timing[name] = wall, used
        lines.append(f"{name:32s} {wall:8.2f} s wall  {used:8.2f} s CPU   peak RSS {rss / 2**20:8.0f} MiB   exit {code}"
                     f"   load {before:.1f} -> {os.getloadavg()[0]:.1f}")
        print(lines[-1], file=sys.stderr, flush=True)  # a long run shows each phase as it ends
    (a, ca), (b, cb), (c, cc), (d, cd) = timing.values()
    for label in ("c", "d"):
        summary = json.loads((work / f"{label}.json").read_text())["summary"]
        lines.append(f"({label}) ran {summary['total']} checks: {summary['passed']} passed, {summary['failed']} failed, "
                     f"{summary['skipped']} skipped")
    lines.append(f"kept database (d): {(work / 'd.duckdb').stat().st_size / 1e6:,.1f} MB; build (b): "
                 f"{(work / 'b.duckdb').stat().st_size / 1e6:,.1f} MB")
    lines.append(f"(c)/(a) = {c / a:.2f} wall, {cc / ca:.2f} CPU   (target <= 1.5)")
    lines.append(f"(d)/(b) = {d / b:.2f} wall, {cd / cb:.2f} CPU   (target <= 1.0)")
    lines.append(f"(d)/(a) = {d / a:.2f} wall, {cd / ca:.2f} CPU")
    lines.append(f"check-only throughput: {sum(counts.values()) / c:,.0f} rows/s, {gz_bytes / c / 1e6:,.1f} MB/s of csv.gz")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
