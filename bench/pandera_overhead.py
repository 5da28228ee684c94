"""Benchmark ``mimic_qa.schemas.run_schemas`` against one hand-written aggregate query with the same checks.

Builds spec-shaped tables in a DuckDB file with SQL (``range()``; every column typed from the spec, values
inside the spec's domains, 10% NULLs in nullable columns), once clean and once with about 1% of rows
violating each domain, 0.1% NULLs in a NOT NULL column and 1% of rows out of time order (rules). Then,
each phase in its own process, timed after a warm-up run on a 1,000-row copy (imports and first-call setup
excluded; the process time and peak RSS include them):
  (a) hand-written SQL: one ``count(*) FILTER (WHERE ...)`` query over the table, written from the spec
      without ibis or pandera;
  (b) the count query alone (``mimic_qa.schemas.probes.count_failures``: pandera's check expressions via ibis);
  (c) ``run_schemas`` end to end (count query, then pandera-ibis on the passing checks);
  (d) plain pandera-ibis ``validate(lazy=True)`` of the same schema, the pitfall ``run_schemas`` avoids
      (failing data only).
(a)-(c) must agree on every failing-row count; the script exits 1 if they do not.

    python bench/pandera_overhead.py --rows 5000000 [--tables labevents chartevents] [--out FILE]
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

from mimic_qa.spec import Column, Table, load_spec

# Each phase defines work(path, arg) -> {check id: failing rows}; the harness runs it once on a 1,000-row
# warm-up copy (lazy imports, first-call setup), then times it on the big table.
HARNESS = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
work(sys.argv[3], sys.argv[2])
start = time.monotonic()
counts = work(sys.argv[1], sys.argv[2])
print(json.dumps({"seconds": time.monotonic() - start, "counts": counts}))
"""

PHASE_HAND = """
import duckdb
def work(path, sql):
    con = duckdb.connect(path, read_only=True)
    con.execute("SET enable_progress_bar = false")
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return {n: v for n, v in zip(names, cur.fetchall()[0]) if n != "rows"}
"""

PHASE_COUNT = """
import ibis
from mimic_qa.spec import load_spec
from mimic_qa.schemas.run import _usable
from mimic_qa.schemas.probes import column_probes, count_failures, rule_probes
def work(path, name):
    table = load_spec().tables[name]
    con = ibis.duckdb.connect(path, read_only=True)
    con.raw_sql("SET enable_progress_bar = false").fetchall()
    db = con.table(table.name, database=f"mimiciv_{table.module}")
    schema = _usable(table, db, {}, {})
    probes = rule_probes(schema) + [p for c in schema.columns for p in column_probes(schema, db, c)]
    return count_failures(db, probes)[1]
"""

PHASE_RUN = """
from pathlib import Path
from mimic_qa.schemas import run_schemas
def work(path, name):
    return {r.id: r.failing_rows for r in run_schemas(Path(path), tables=[name])}
"""

PHASE_PANDERA = """
import ibis
import pandera.ibis as pa
from mimic_qa.spec import load_spec
from mimic_qa.checks import build_catalog
from mimic_qa.schemas import build_schema
def work(path, name):
    table = load_spec().tables[name]
    con = ibis.duckdb.connect(path, read_only=True)
    con.raw_sql("SET enable_progress_bar = false").fetchall()
    try:
        build_schema(table, build_catalog(load_spec(), [table.name])).validate(con.table(table.name, database=f"mimiciv_{table.module}"), lazy=True)
    except pa.errors.SchemaErrors:
        pass
    return {}
"""


def _quote(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'" if isinstance(value, str) else repr(value)


def _value_sql(table: Table, column: Column, failing: bool) -> str:
    """A SQL expression over ``i`` (the row number) for one column; in domain, or ~1% outside when failing."""
    domain = next((d for d in table.domains if d.column == column.name), None)
    bad = f"{failing} AND i % 100 = 7"
    if domain is not None and domain.values is not None:
        values = ", ".join(_quote(str(v) if column.kind == "string" else v) for v in domain.values)
        outside = "'zz-out'" if column.kind == "string" else "99"
        expr = f"CASE WHEN {bad} THEN {outside} ELSE [{values}][1 + i % {len(domain.values)}] END"
    elif domain is not None and domain.pattern is not None:
        expr = f"CASE WHEN {bad} THEN 'bad' ELSE 'P' || lpad(CAST(i % 99999 AS VARCHAR), 5, '0') END"
    elif domain is not None:
        low = domain.min if domain.min is not None else domain.max - 1000
        span = 1000 if domain.max is None else min(1000, int(domain.max - low) + 1)
        outside = low - 1 if domain.min is not None else domain.max + 1
        expr = f"CASE WHEN {bad} THEN {outside} ELSE {low} + i % {span} END"
    elif column.kind in ("integer", "float"):
        expr = "i % 100000 + 0.5" if column.kind == "float" else "i % 100000"
    elif column.kind == "string":
        expr = "'v' || CAST(i % 1000 AS VARCHAR)"
    else:  # dates and timestamps: all equal per row, so time-order rules hold
        expr = "TIMESTAMP '2150-01-01' + to_seconds(i % 10000000)"
    if column.kind in ("date", "timestamp") and column.name == _last_time_column(table):
        expr = f"({expr}) - CASE WHEN {failing} AND i % 100 = 11 THEN INTERVAL 1 HOUR ELSE INTERVAL 0 HOUR END"
    if column.nullable:
        return f"CASE WHEN i % 10 = 0 THEN NULL ELSE {expr} END"
    first_plain_not_null = next((c.name for c in table.columns if not c.nullable and c.name not in
                                 {d.column for d in table.domains}), None)
    if column.name == first_plain_not_null:
        return f"CASE WHEN {failing} AND i % 1000 = 3 THEN NULL ELSE {expr} END"
    return expr


def _last_time_column(table: Table) -> str | None:
    times = [c.name for c in table.columns if c.kind in ("date", "timestamp")]
    return times[-1] if times else None


BUILD = """
import json, sys, duckdb
with duckdb.connect(sys.argv[1]) as con:
    for statement in json.loads(sys.argv[2]):
        con.execute(statement)
"""


def build(path: Path, table: Table, rows: int, failing: bool) -> float:
    """Create the table in a new database file, in a child process; seconds taken.

    Not in this process: a child inherits its parent's peak RSS, which would then mask the phases' own.
    """
    schema = f"mimiciv_{table.module}"
    cols = ", ".join(f"{c.name} {c.sql_type('duckdb')}" for c in table.columns)
    values = ", ".join(f"CAST({_value_sql(table, c, failing)} AS {c.sql_type('duckdb')})" for c in table.columns)
    statements = [f"CREATE SCHEMA {schema}", f"CREATE TABLE {schema}.{table.name} ({cols})",
                  f"INSERT INTO {schema}.{table.name} SELECT {values} FROM range({rows}) AS r(i)"]
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", BUILD, str(path), json.dumps(statements)], check=True)
    return time.monotonic() - start


def hand_written_sql(table: Table) -> str:
    """One aggregate with every not-null, domain and rule check, written straight from the spec."""
    parts = ["count(*) AS rows"]
    base = f"{table.module}.{table.name}"
    for c in table.columns:
        if not c.nullable:
            parts.append(f'count(*) FILTER (WHERE {c.name} IS NULL) AS "{base}.not_null.{c.name}"')
    for d in table.domains:
        kind = table.column(d.column).kind
        if d.values is not None:
            values = ", ".join(_quote(str(v) if kind == "string" else v) for v in d.values)
            test = f"upper({d.column}) NOT IN ({values.upper()})" if d.case_insensitive else \
                f"{d.column} NOT IN ({values})"
        elif d.pattern is not None:
            test = f"NOT regexp_matches({d.column}, {_quote(d.pattern)})"
        else:
            test = " OR ".join(t for t in (f"{d.column} < {d.min}" if d.min is not None else "",
                                           f"{d.column} > {d.max}" if d.max is not None else "") if t)
        parts.append(f'count(*) FILTER (WHERE {test}) AS "{base}.domain.{d.column}"')
    for r in table.rules:
        parts.append(f'count(*) FILTER (WHERE NOT ({r.expr})) AS "{base}.rule.{r.name}"')
    return f"SELECT {', '.join(parts)} FROM mimiciv_{table.module}.{table.name}"


def run_phase(code: str, *args: str) -> tuple[float, int, dict]:
    """(wall seconds, peak RSS in bytes, the JSON object the phase printed) of one child process."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", code + HARNESS, *args], stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(f"phase failed: {err.read().decode().strip().splitlines()[-1:]}")
    printed = [line for line in out.splitlines() if line.startswith("{")]  # skip DuckDB's progress bar
    return wall, usage.ru_maxrss * 1024, json.loads(printed[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--tables", nargs="+", default=["labevents", "chartevents"])
    ap.add_argument("--out", type=Path, help="also write the report here")
    opts = ap.parse_args()
    spec = load_spec()
    with tempfile.TemporaryDirectory(prefix="mimic-qa-pandera-bench-") as tmp:
        lines, agree = measure(spec, Path(tmp), opts.rows, opts.tables)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if opts.out:
        opts.out.parent.mkdir(parents=True, exist_ok=True)
        opts.out.write_text(text)
    return 0 if agree else 1


def measure(spec, work: Path, rows: int, tables: list[str]) -> tuple[list[str], bool]:
    """Report lines, and whether every phase counted the same failing rows."""
    lines = [(f"# bench/pandera_overhead.py  rows={rows:,}  {platform.node()}  {os.cpu_count()} cores  "
              f"python {platform.python_version()}  duckdb {duckdb.__version__}  {time.strftime('%Y-%m-%d %H:%M:%S')}")]
    agree = True
    for name in tables:
        table = spec.tables[name]
        for failing in (False, True):
            label = f"{name} {'with failures' if failing else 'clean'}"
            db, warm = work / f"{name}-{int(failing)}.duckdb", work / f"{name}-{int(failing)}-warm.duckdb"
            built = build(db, table, rows, failing)
            build(warm, table, 1000, failing)
            lines.append(f"\n## {label}: {rows:,} rows x {len(table.columns)} columns (built in {built:.1f} s), "
                         f"{len(table.domains)} domains, {len(table.rules)} rules, "
                         f"{sum(not c.nullable for c in table.columns)} NOT NULL columns")
            phases = {"(a) hand-written aggregate SQL": (PHASE_HAND, hand_written_sql(table)),
                      "(b) count query via pandera checks": (PHASE_COUNT, name),
                      "(c) run_schemas (count + pandera)": (PHASE_RUN, name)}
            if failing:
                phases["(d) plain pandera-ibis validate"] = (PHASE_PANDERA, name)
            counts = {}
            for phase, (code, arg) in phases.items():
                wall, rss, printed = run_phase(code, str(db), arg, str(warm))
                counts[phase] = {k: v for k, v in printed["counts"].items() if v}
                lines.append(f"{phase:38s} {printed['seconds']:7.2f} s work  {wall:7.2f} s process  "
                             f"peak RSS {rss / 2**20:6.0f} MiB")
                print(lines[-1], file=sys.stderr)
            failing_counts = [v for k, v in counts.items() if not k.startswith("(d)")]
            same = all(c == failing_counts[0] for c in failing_counts)
            agree &= same
            lines.append(f"failing-row counts {'agree' if same else 'DISAGREE'}: {failing_counts[0] or 'none'}")
            db.unlink()
            warm.unlink()
    return lines, agree


if __name__ == "__main__":
    raise SystemExit(main())
