"""Benchmark ``mimic_qa.gx.run_suites`` against plain DuckDB SQL running the same checks on a labevents-like table.

Builds a DuckDB file in mimic-code layout with SQL (``range()``; every column typed from the spec): labevents
with ``--rows`` rows and its parents (patients, admissions, d_labitems, provider), with planted faults
(orphan subject_ids and itemids, duplicated labevent_ids). Then, each phase in its own process (wall time
and peak RSS):
  (a) plain DuckDB: the labevents suite's own key and foreign-key queries, each as ``SELECT count(*) FROM
      (query)``, plus the column list and ``count(*)``: the same answers with no GX;
  (b) ``run_suites(db, "3.1", tables=["labevents"])`` twice in one process: the first run includes GX's
      import and context start, the second is the steady-state cost of GX as an engine.
(a) and (b) must agree on every failing-row count; the script exits 1 if they do not.

    python bench/gx_overhead.py --rows 2000000 [--out bench/results/gx_overhead-2M.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from mimic_qa.load.ddl import qualified as qualified_name
from mimic_qa.load.ddl import schema_name
from mimic_qa.spec import Column, load_spec

PARENT_ROWS = {"patients": 100_000, "admissions": 200_000, "d_labitems": 1_650, "provider": 40_000}
ORPHANS = {"subject_id": 100, "itemid": 50}
DUPLICATES = 20

PHASE_SQL = """
import json, resource, sys, time, duckdb
from mimic_qa.load.ddl import qualified as qualified_name
from mimic_qa.gx.suites import build_suite
from mimic_qa.spec import load_spec
spec = load_spec(); t = spec.tables["labevents"]
suite = build_suite(spec, t, "3.1")
con = duckdb.connect(sys.argv[1], read_only=True)
start, cpu = time.perf_counter(), time.process_time()
out = {}
cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
        "AND table_name = ? ORDER BY ordinal_position", ["mimiciv_hosp", "labevents"]).fetchall()]
out["hosp.labevents.columns"] = 0 if cols == t.column_names else -1
out["hosp.labevents.row_count"] = con.execute(f"SELECT count(*) FROM {qualified_name(t)}").fetchone()[0]
for e in suite["expectations"]:
    if e["meta"]["kind"] in ("pk", "unique", "fk"):
        q = e["kwargs"]["unexpected_rows_query"].format(batch=qualified_name(t))
        out[e["meta"]["check_id"]] = con.execute(f"SELECT count(*) FROM ({q}) AS v").fetchone()[0]
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "counts": out,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PHASE_GX = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from mimic_qa.gx import run_suites
import great_expectations
imported = time.perf_counter() - t0
runs, cpus = [], []
for _ in range(2):
    start, cpu = time.perf_counter(), time.process_time()
    results = run_suites(Path(sys.argv[1]), "3.1", tables=["labevents"], expected_row_counts={"labevents": int(sys.argv[2])})
    runs.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
counts = {r.id: r.failing_rows for r in results}
print(json.dumps({"import_seconds": imported, "first_run_seconds": runs[0], "second_run_seconds": runs[1], "second_run_cpu_seconds": cpus[1],
                  "counts": counts, "statuses": {r.id: r.status.value for r in results},
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _value(c: Column) -> str:
    """A SQL expression over ``i`` giving a plausible value of the column's kind."""
    return {
        "integer": "CAST(i % 1000 AS INTEGER)",
        "float": "CAST(i % 997 AS DOUBLE) / 10",
        "date": "DATE '2150-01-01' + CAST(i % 3650 AS INTEGER)",
        "timestamp": "TIMESTAMP '2150-01-01' + to_seconds(i % 300000000)",
    }.get(c.kind, "'v' || CAST(i % 50 AS VARCHAR)")


def build(path: Path, rows: int) -> None:
    spec = load_spec()
    keys = {  # key columns the checks look at, derived from i
        "patients": {"subject_id": "10000000 + i"},
        "admissions": {"hadm_id": "20000000 + i", "subject_id": "10000000 + i % 100000"},
        "d_labitems": {"itemid": "50000 + i"},
        "provider": {"provider_id": "'P' || lpad(CAST(i AS VARCHAR), 5, '0')"},
        "labevents": {  # each plant every rows/N-th row, so the planted counts hold at any --rows >= 10,000
            "labevent_id": f"CASE WHEN i % {rows // DUPLICATES} = 1 THEN i - 1 ELSE i END",
            "subject_id": f"CASE WHEN i % {rows // ORPHANS['subject_id']} = 7 THEN 19999999 "
                          "ELSE 10000000 + i % 100000 END",
            "hadm_id": "CASE WHEN i % 3 = 0 THEN NULL ELSE 20000000 + i % 200000 END",
            "itemid": f"CASE WHEN i % {rows // ORPHANS['itemid']} = 11 THEN 59999 ELSE 50000 + i % 1650 END",
            "order_provider_id": "CASE WHEN i % 2 = 0 THEN NULL ELSE 'P' || lpad(CAST(i % 40000 AS VARCHAR), 5, '0') END",
        },
    }
    counts = {**PARENT_ROWS, "labevents": rows}
    con = duckdb.connect(str(path))
    try:
        for module in ("hosp", "icu"):
            con.execute(f"CREATE SCHEMA {schema_name(module)}")
        for name, n in counts.items():
            t = spec.tables[name]
            con.execute(f"CREATE TABLE {qualified_name(t)} ("
                        + ", ".join(f"{c.name} {c.sql_type('duckdb')}" for c in t.columns) + ")")
            exprs = ", ".join(f"CAST({keys[name].get(c.name, _value(c))} AS {c.sql_type('duckdb')})" for c in t.columns)
            con.execute(f"INSERT INTO {qualified_name(t)} SELECT {exprs} FROM range({n}) AS r(i)")
    finally:
        con.close()


def _phase(code: str, *args: str) -> dict:
    # A script file, not ``python -c``: pyspark (imported by GX when installed) exits a ``-c`` process on import.
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(code)
    try:
        proc = subprocess.run([sys.executable, f.name, *args], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        build(db, args.rows)
        built = time.perf_counter() - start
        sql = _phase(PHASE_SQL, str(db))
        gx = _phase(PHASE_GX, str(db), str(args.rows))
    expected = {"hosp.labevents.pk": DUPLICATES, "hosp.labevents.fk.subject_id": ORPHANS["subject_id"],
                "hosp.labevents.fk.itemid": ORPHANS["itemid"], "hosp.labevents.fk.hadm_id": 0,
                "hosp.labevents.fk.order_provider_id": 0}
    agree = all(sql["counts"][k] == gx["counts"][k] == v for k, v in expected.items())
    lines = [
        f"gx_overhead: labevents-like table, {args.rows:,} rows (+ parents {PARENT_ROWS}); "
        f"{platform.python_version()}, {os.cpu_count()} cpus; built in {built:.1f} s",
        f"checks: columns, row_count, pk, 4 foreign keys (planted: {DUPLICATES} duplicated keys, "
        f"{ORPHANS['subject_id']} orphan subject_ids, {ORPHANS['itemid']} orphan itemids)",
        f"(a) plain DuckDB SQL:        {sql['seconds']:.2f} s (CPU {sql['cpu_seconds']:.2f} s), "
        f"peak RSS {sql['peak_rss_mb']:.0f} MB",
        f"(b) GX import:               {gx['import_seconds']:.2f} s",
        f"    run_suites, first run:   {gx['first_run_seconds']:.2f} s (context start included)",
        f"    run_suites, second run:  {gx['second_run_seconds']:.2f} s (CPU {gx['second_run_cpu_seconds']:.2f} s), "
        f"peak RSS {gx['peak_rss_mb']:.0f} MB",
        f"ratio GX / SQL: {gx['second_run_seconds'] / sql['seconds']:.1f}x steady state "
        f"(CPU {gx['second_run_cpu_seconds'] / sql['cpu_seconds']:.1f}x), "
        f"{(gx['import_seconds'] + gx['first_run_seconds']) / sql['seconds']:.1f}x with import and first run",
        f"failing-row counts agree with the plants: {agree} (sql {sql['counts']}; gx {gx['counts']})",
    ]
    load = os.getloadavg()[0]
    lines.insert(1, f"load average at the end: {load:.1f} (other work on the machine makes wall times noisy; "
                    "CPU seconds are steadier)")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
