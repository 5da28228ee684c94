"""Time ``validate`` in place on DuckDB, Parquet, PostgreSQL and Spark (local) over the same synthetic data.

    python bench/engines.py --scale 0.01 [--pg postgresql://...] [--out bench/results/engines-0.01.txt]
    python bench/engines.py --scale 0.01 --postgres-checks --out bench/results/engines-pg-checks.txt

Without --pg a throwaway PostgreSQL cluster is started from Debian's binaries (as the tests do).
Every engine runs the same compiled checks (``checks="sql"``); the script also asserts that they
report identical (check id, status, failing rows) for the data checks. ``--postgres-checks`` times only
PostgreSQL, once with ``checks="sql"`` and once with ``checks="all"`` (pandera and GX inside the server).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mimic_qa import validate  # noqa: E402
from mimic_qa.spec import load_spec  # noqa: E402


def comparable(result) -> set[tuple[str, str, int | None]]:
    return {(c.id, c.status.value, c.failing_rows) for c in result.run.checks
            if not c.kind.startswith("file.") and not c.id.startswith("release.")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--pg", help="PostgreSQL DSN of an empty database (default: a throwaway cluster)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--postgres-checks", action="store_true",
                    help="only PostgreSQL: --checks sql against --checks all (pandera + GX inside the server)")
    opts = ap.parse_args()
    from mimic_qa.synth import generate

    work = Path(tempfile.mkdtemp(prefix="mimic-qa-bench-engines-"))
    lines = [f"# bench/engines.py  scale={opts.scale}  {os.cpu_count()} cores  python {platform.python_version()}  "
             f"{time.strftime('%Y-%m-%d %H:%M:%S')}"]
    csv = work / "csv"
    generate(csv, scale=opts.scale, seed=1)
    release = str(csv / "mimic-qa-synthetic.json")
    db = work / "mimic.duckdb"
    parquet = work / "parquet"
    timings: dict[str, float] = {}
    results = {}
    if opts.postgres_checks:
        rows = sum(json.loads(Path(release).read_text())["row_counts"].values())
    else:
        validate(csv, keep_db=db, checks="sql")
        con = duckdb.connect(str(db), read_only=True)
        rows = 0
        for t in load_spec().tables.values():
            (parquet / t.module).mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY mimiciv_{t.module}.{t.name} TO '{parquet / t.module / (t.name + '.parquet')}' "
                        "(FORMAT parquet)")
            rows += con.execute(f"SELECT count(*) FROM mimiciv_{t.module}.{t.name}").fetchone()[0]
        con.close()
    lines.append(f"data: {rows:,} rows in 31 tables")

    def timed(name: str, **kwargs) -> None:
        start = time.monotonic()
        results[name] = validate(**kwargs)
        timings[name] = time.monotonic() - start

    if not opts.postgres_checks:
        timed("duckdb", source=db, checks="sql")
        timed("parquet (duckdb)", source=parquet, release=release, checks="sql")
    with contextlib.ExitStack() as stack:
        dsn = opts.pg
        if dsn is None:
            from tests.postgres.server import fresh_database, postgres_server

            dsn = stack.enter_context(fresh_database(stack.enter_context(postgres_server())))
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "mimic_qa", "load", str(csv), dsn, "--no-constraints"], check=True,
                       capture_output=True)
        lines.append(f"load into PostgreSQL (COPY, no constraints): {time.monotonic() - start:.1f} s")
        if opts.postgres_checks:
            timed("postgres --checks sql", source=dsn, release=release, checks="sql")
            timed("postgres --checks all", source=dsn, release=release, checks="all")
        else:
            timed("postgres", source=dsn, release=release, checks="sql")
    if not opts.postgres_checks:
        time_spark(lines, timed, parquet, release)
    first = next(iter(timings))
    reference = comparable(results[first])
    for name, seconds in timings.items():
        same = "same results" if comparable(results[name]) == reference else "DIFFERENT results"
        lines.append(f"validate on {name:22s} {seconds:8.1f} s   x{seconds / timings[first]:.1f} of {first}   {same}")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if opts.out:
        opts.out.parent.mkdir(parents=True, exist_ok=True)
        opts.out.write_text(text)
    return 0


def time_spark(lines: list[str], timed, parquet: Path, release: str) -> None:
    from pyspark.sql import SparkSession

    start = time.monotonic()
    spark = (SparkSession.builder.master("local[2]").appName("mimic-qa-bench").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "8")
             .getOrCreate())
    lines.append(f"Spark session start: {time.monotonic() - start:.1f} s")
    timed("spark (local[2])", source=str(parquet), engine="spark", spark_session=spark, release=release)
    spark.stop()


if __name__ == "__main__":
    raise SystemExit(main())
