"""Benchmark the CI gate's re-run (issue 25, fingerprints): ``validate DB --reuse results.json`` on an unchanged kept
DuckDB database against a full ``validate DB`` of it (target: the re-run <= 10 % of the full run), and a copy with one
value changed (caught: the changed table named, its dependents re-run).

Each run in its own process (wall, CPU, peak RSS, and the load average when it ended):
  (a) full: ``mimic-qa validate DB --json full.json`` (fingerprints recorded);
  (b) gate re-run, unchanged: ``mimic-qa validate DB --reuse full.json --json again.json``, ``--repeat`` times;
  (c) one value changed in a copy (``UPDATE ... d_labitems SET itemid = ... WHERE itemid = <smallest>``), then
      ``validate COPY --reuse full.json``: what was re-run and whether the change was caught.

    python bench/gate_rerun.py --db kept-0.1.duckdb [--checks all|sql] [--repeat 3]
                               [--out bench/results/gate-rerun-0.1.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb
from phases import report_run, run_phase  # bench/phases.py (bench/ is on the path when a script in it runs)

EDIT = ("UPDATE mimiciv_hosp.d_labitems SET itemid = itemid + 90000000 "
        "WHERE itemid = (SELECT min(itemid) FROM mimiciv_hosp.d_labitems)")


def _line(label: str, phase: tuple[float, float, int, int]) -> str:
    wall, cpu, rss, code = phase
    return (f"{label:<40} {wall:8.2f} s wall {cpu:8.2f} s CPU   peak RSS {rss / 2**20:8.0f} MiB   exit {code}   "
            f"load {os.getloadavg()[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a database built by validate DIR --keep-db")
    parser.add_argument("--checks", choices=("all", "sql"), default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "mimic_qa", "validate"]
    mode = ["--checks", args.checks, "--quiet"]

    def run(work: Path) -> str:
        full = work / "full.json"
        lines = [(f"# bench/gate_rerun.py  db={args.db}  --checks {args.checks}  {platform.node()}  "
                 f"{os.cpu_count()} cores  python {platform.python_version()}  {time.strftime('%Y-%m-%d %H:%M:%S')}"),
                 f"kept database: {args.db.stat().st_size / 2**20:,.1f} MiB; load average before: "
                 + " ".join(f"{v:.2f}" for v in os.getloadavg())]
        first = run_phase([*cli, str(args.db), *mode, "--json", str(full)])
        lines.append(_line("(a) validate DB (full)", first))
        again = []
        for i in range(args.repeat):
            out = work / f"again-{i}.json"
            again.append(run_phase([*cli, str(args.db), *mode, "--reuse", str(full), "--json", str(out)]))
            lines.append(_line("(b) validate DB --reuse (unchanged)", again[-1]))
            reuse = json.loads(out.read_text())["reuse"]
            lines.append(f"    reused {reuse['checks_reused']:,} checks, ran {reuse['checks_run']:,}; changed: "
                         f"{reuse['tables_changed'] or 'none'}")
        copy = work / "copy.duckdb"
        shutil.copy(args.db, copy)
        with duckdb.connect(str(copy)) as con:
            con.execute(EDIT)
        out = work / "changed.json"
        changed = run_phase([*cli, str(copy), *mode, "--reuse", str(full), "--json", str(out)])
        lines.append(_line("(c) one value changed, --reuse", changed))
        result = json.loads(out.read_text())
        rerun = sorted(c["id"] for c in result["checks"] if not c["reused"])
        lines.append(f"    changed: {result['reuse']['tables_changed']}; re-ran {len(rerun)} checks: "
                     + ", ".join(i for i in rerun if not i.startswith(("hosp.d_labitems.", "release."))) +
                     " and those of d_labitems and the release; failed among them: "
                     + (", ".join(c["id"] for c in result["checks"] if not c["reused"] and c["status"] == "failed")
                        or "none") + f"; verdict ok={result['summary']['ok']}")
        median = statistics.median(a[0] for a in again)
        median_cpu = statistics.median(a[1] for a in again)
        lines.append(f"median re-run: {median:.2f} s wall / {median_cpu:.2f} s CPU; re-run / full = "
                     f"{median / first[0]:.3f} wall, {median_cpu / first[1]:.3f} CPU   (target <= 0.10)")
        return "\n".join(lines) + "\n"

    return report_run(run, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
