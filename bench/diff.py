"""Benchmark ``mimic-qa diff`` against the floor: a bare typed read of both copies.

Two synthetic copies at the given scale (different seeds, csv.gz), in one run, each phase in its own process
(for peak RSS):
  (a) floor: read every file of both copies once with DuckDB, typed from the spec, every column cast (a
      count of each column, nothing stored), two files at a time, DuckDB capped at 4 GB as diff is;
  (b) typed parse into tables: the same files parsed into (then dropped from) a compressed in-memory DuckDB
      database, as diff's workspace does first, for reference;
  (c) ``mimic-qa diff A B --json`` (every table: profiles, frequencies, items, key sets).
Reports wall and CPU time, (c)/(a) (target <= 2.5), peak RSS of each phase (target <= 6 GB), and a linear
extrapolation to scale 1.0.

    python bench/diff.py --scale 0.1 [--copies A B] [--out bench/results/diff-0.1.txt]
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

FULL_ROWS = 886_043_036  # rows of MIMIC-IV v3.1 (spec), for the extrapolation

PHASE_READ = """
import sys, duckdb
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from mimic_qa.spec import load_spec
from mimic_qa.sources.folder import open_folder
spec = load_spec()
mode, scratch, copies = sys.argv[1], sys.argv[2], sys.argv[3:]
con = duckdb.connect()
con.execute(f"SET temp_directory = '{scratch}/spill'"); con.execute("SET memory_limit = '4GB'")
con.execute("ATTACH ':memory:' AS m (COMPRESS)"); con.execute("USE m")
con.execute("SET threads = 2"); con.execute("SET preserve_insertion_order = false")
jobs = []
for i, copy in enumerate(copies):
    folder = open_folder(spec, Path(copy))
    jobs += [(i, name, folder) for name in folder.files]
def one(job):
    i, name, folder = job
    src = folder.read(spec.tables[name])
    cur = con.cursor(); cur.execute("USE m")
    if mode == "parse":
        cur.execute(f"CREATE TABLE t{i}_{name} AS SELECT * FROM {src}")
        cur.execute(f"DROP TABLE t{i}_{name}")
    else:
        header = folder.header(spec.tables[name])
        cur.execute("SELECT " + ", ".join(f'count("{h}")' for h in header) + f" FROM {src}").fetchall()
    cur.close()
with ThreadPoolExecutor(2) as pool:
    list(pool.map(one, sorted(jobs, key=lambda j: -j[2].files[j[1]].path.stat().st_size)))
"""




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seeds", type=int, nargs=2, default=(1, 2))
    ap.add_argument("--copies", type=Path, nargs=2, help="use these two synthetic copies instead of generating them")
    ap.add_argument("--out", type=Path, help="also write the report here")
    opts = ap.parse_args()
    return report_run(lambda work: _run(opts, work), opts.out)


def _run(opts: argparse.Namespace, work: Path) -> str:
    lines = [(f"# bench/diff.py  scale={opts.scale}  {platform.node()}  {os.cpu_count()} cores  "
              f"python {platform.python_version()}  {time.strftime('%Y-%m-%d %H:%M:%S')}")]
    copies = opts.copies
    if copies is None:
        copies = [work / f"copy{seed}" for seed in opts.seeds]
        for copy, seed in zip(copies, opts.seeds, strict=True):
            t0 = time.monotonic()
            subprocess.run([sys.executable, "-m", "mimic_qa", "synth", str(copy), "--scale", str(opts.scale),
                            "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            lines.append(f"synthetic copy (seed {seed}) generated in {time.monotonic() - t0:.1f} s")
    rows = 0
    for copy in copies:
        counts = json.loads((copy / "mimic-qa-synthetic.json").read_text())["row_counts"]
        gz = sum(p.stat().st_size for p in copy.glob("*/*.csv.gz"))
        rows += sum(counts.values())
        lines.append(f"copy {copy.name}: {sum(counts.values()):,} rows in {len(counts)} tables, {gz / 1e6:,.1f} MB of csv.gz")
    (work / "spill").mkdir()
    phases = {
        "(a) floor: typed read of both": [sys.executable, "-c", PHASE_READ, "read", str(work), *map(str, copies)],
        "(b) typed parse into tables": [sys.executable, "-c", PHASE_READ, "parse", str(work), *map(str, copies)],
        "(c) mimic-qa diff": [sys.executable, "-m", "mimic_qa", "diff", *map(str, copies), "--quiet",
                              "--json", str(work / "diff.json")],
    }
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rss: dict[str, int] = {}
    for name, args in phases.items():
        w, c, r, code = run_phase(args)
        wall[name], cpu[name], rss[name] = w, c, r
        lines.append(f"{name:32s} {w:8.2f} s wall  {c:8.2f} s CPU   peak RSS {r / 2**20:8.0f} MiB   exit {code}")
    a, b, c = wall.values()
    ca, cb, cc = cpu.values()
    result = json.loads((work / "diff.json").read_text())
    s = result["summary"]
    lines.append(f"diff compared {s['compared']} tables: {s['error']} error, {s['warning']} warning, {s['info']} info "
                 f"findings (two different seeds: drift expected)")
    lines.append(f"(c)/(a) = {c / a:.2f} wall, {cc / ca:.2f} CPU   (target <= 2.5)")
    lines.append(f"(c)/(b) = {c / b:.2f} wall, {cc / cb:.2f} CPU")
    lines.append(f"peak RSS of diff: {rss['(c) mimic-qa diff'] / 2**30:.2f} GiB   (target <= 6 GB)")
    lines.append(f"load average at end: {os.getloadavg()[0]:.1f}")
    factor = FULL_ROWS * 2 / rows
    lines.append(f"linear extrapolation to scale 1.0 (2 x {FULL_ROWS:,} rows, x{factor:.1f}): floor {a * factor / 60:.0f} min, "
                 f"diff {c * factor / 60:.0f} min wall at this load ({cc * factor / 60:.0f} CPU-min)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
