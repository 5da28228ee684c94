"""Fidelity of `mimic-qa synth --release demo-2.2` to the real demo 2.2 (issue 17, items 3 and 4).

Usage: python bench/fidelity.py [--demo DIR] [--seed 0] [--synth DIR] [--label NAME] [--note TEXT]
The "before" figures: a copy made by the generator before issue 17's calibration (``git archive 996966f``, then
``generate(OUT, release="demo-2.2", seed=0)`` with that tree on PYTHONPATH), measured with
``--synth OUT --label demo-2.2-before --note "the generator before issue 17, commit 996966f, seed 0"``.
Writes bench/results/fidelity-<label>.txt (the threshold figures) and .json (every column's statistics; names and
numbers only, never a value from either copy).

What is compared, per column of the 30 tables the demo copy holds (chartevents is absent from it): the statistics
``mimic_qa.diff.compare`` computes between two relative-time copies (below), the real demo as copy A, with diff's
column roles (``mimic_qa.diff.roles``):
* every column: the NULL share, |null_real - null_synth| (diff's ``null_rate_delta``);
* categorical columns (strings that are neither free text nor identifiers, with at most 10,000 distinct values in
  either copy; integer columns with an enumerated domain): total variation distance of the value frequencies,
  NULLs excluded, exact (diff's ``tvd``; undefined, so not counted, where a copy has no value at all);
* numeric and temporal columns (not identifiers): the Kolmogorov-Smirnov distance (diff's ``ks``). diff estimates
  it from each copy's quantile sketch (DuckDB's ``approx_quantile`` at every percentile), not from the values: the
  estimate is a multiple of 0.005 and within about 0.01 of the exact two-sample statistic, more for columns with
  few values (patients.dod: 0.53 where the exact statistic is 0.562). No demo table reaches the million rows
  above which diff samples rows for its sketches, so no sampling is involved here.
Identifiers (``*_id``, integer ``*id``, foreign keys, the keys they reference) and free text are not compared as
distributions (diff compares keys as sets and text by length).

**Times.** MIMIC shifts every patient's dates by its own random offset (into 2110-2210), so a timestamp's absolute
value says nothing beyond its patient; what is real is where it falls in the patient's timeline. Each temporal
value is therefore compared as the seconds after a reference in its own row's patient: the admission time of the
row's ``hadm_id`` (for every table that has one; in admissions itself, the admission time for the other times),
else 1 January of the patient's ``anchor_year`` (patients.dod, omr, rows without a ``hadm_id``, and
admissions.admittime). ``copy_with_relative_times`` writes such a copy as a DuckDB database in mimic-code's layout,
with each time stored as 1970-01-01 plus its offset, so diff, comparing timestamps as seconds since the epoch,
compares the offsets.

**What is fidelity's own.** The relative times; the small-cell floor of each categorical column (the share of the
real values the calibration cannot give back, ``small_cell_floors``); the summary against issue 17's thresholds.
Every statistic is diff's: this file computes no TVD or KS of its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from mimic_qa.diff import compare
from mimic_qa.spec import Spec, Table, load_spec
from mimic_qa.synth import generate

RESULTS = Path(__file__).parent / "results"
DEMO_BESIDE_CHECKOUT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mimic-iv-demo-2.2"

# Issue 17, item 3.
THRESHOLDS = {"null_delta": 0.05, "null_share": 0.95, "tvd_median": 0.10, "tvd_cap": 0.2, "tvd_share": 0.85,
              "ks_median": 0.10}


@dataclass
class ColumnStat:
    table: str
    column: str
    role: str  # diff's: identifier, categorical, numeric, temporal, free_text, text, other
    null_delta: float | None
    tvd: float | None = None
    ks: float | None = None
    floor: float | None = None  # categorical: share of the demo's values the small-cell rule withholds


# --- the copies -------------------------------------------------------------------------------------------------

def tables_in(folder: Path, spec: Spec) -> list[Table]:
    return [t for t in spec.tables.values() if (folder / t.file).is_file()]


def _reference(table: Table, column: str) -> str:
    """SQL for the time a temporal value is measured from (see the module docstring)."""
    if table.name == "admissions":
        return "_anchor.t0" if column == "admittime" else "x.admittime"
    if "hadm_id" in table.column_names:
        return "coalesce(_adm.a0, _anchor.t0)"
    return "_anchor.t0"


def copy_with_relative_times(folder: Path, db: Path, tables: list[Table], spec: Spec) -> None:
    """A DuckDB database of ``folder``'s tables (typed by the spec, mimic-code's schemas) with every date and
    timestamp replaced by 1970-01-01 plus its offset from the row's reference time."""
    db.unlink(missing_ok=True)
    con = duckdb.connect()  # the parsed files in memory; only the relative-time tables are written to ``db``
    try:
        con.execute(f"ATTACH '{db}' AS rel")
        con.execute("CREATE SCHEMA raw; CREATE SCHEMA rel.mimiciv_hosp; CREATE SCHEMA rel.mimiciv_icu")
        for t in tables:
            cols = "{" + ", ".join(f"'{c.name}': '{c.sql_type('duckdb')}'" for c in t.columns) + "}"
            con.execute(f"""CREATE TABLE raw."{t.name}" AS SELECT * FROM read_csv('{folder / t.file}', header=true,
                            columns={cols}, allow_quoted_nulls=false, auto_detect=false, quote='"', escape='"')""")
        con.execute("CREATE TABLE raw._anchor AS SELECT subject_id, make_timestamp(anchor_year, 1, 1, 0, 0, 0) AS t0 "
                    "FROM raw.patients")
        con.execute("CREATE TABLE raw._adm AS SELECT hadm_id, admittime AS a0 FROM raw.admissions")
        for t in tables:
            joins = ""
            if any(c.kind in ("date", "timestamp") for c in t.columns):
                joins = " LEFT JOIN raw._anchor _anchor USING (subject_id)"
                if "hadm_id" in t.column_names and t.name != "admissions":
                    joins += " LEFT JOIN raw._adm _adm ON _adm.hadm_id = x.hadm_id"
            sel = []
            for c in t.columns:
                if c.kind in ("date", "timestamp"):
                    offset = f'epoch(CAST(x."{c.name}" AS TIMESTAMP)) - epoch({_reference(t, c.name)})'
                    sel.append(f"TIMESTAMP '1970-01-01' + to_microseconds(round(({offset}) * 1e6)::BIGINT) "
                               f'AS "{c.name}"')
                else:
                    sel.append(f'x."{c.name}"')
            con.execute(f'CREATE TABLE rel.mimiciv_{t.module}."{t.name}" AS SELECT {", ".join(sel)} '
                        f'FROM raw."{t.name}" x{joins}')
    finally:
        con.close()


# --- the measure: mimic-qa diff ----------------------------------------------------------------------------------

def measure(real_db: Path, synth_db: Path, tables: list[Table]) -> list[ColumnStat]:
    """Per column: its role, NULL-share delta, and TVD (categorical) or KS (numeric, temporal), as
    ``mimic_qa.diff.compare`` computes them on the two relative-time databases (real as copy A)."""
    result = compare(real_db, synth_db, tables=[t.name for t in tables])
    out = []
    for t in result.tables:
        if not t.compared:
            raise RuntimeError(f"diff could not compare {t.name}: {t.unreadable_a or t.unreadable_b or 'missing'}")
        for c in t.columns:
            out.append(ColumnStat(t.name, c.name, c.role or "other", _rounded(c.null_rate_delta), _rounded(c.tvd),
                                  _rounded(c.ks)))
    return out


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


# --- figures ----------------------------------------------------------------------------------------------------

def small_cell_floors(real_db: Path, stats: list[ColumnStat], spec: Spec) -> None:
    """Set each categorical column's ``floor``: the share of the real demo's non-NULL values that lie in
    categories fewer than 10 patients have. The calibration withholds those (small-cell rule), so the column's
    TVD cannot be below it, unless the spec documents the column's values (the withheld share is then spread
    over the documented ones)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{real_db}' AS a (READ_ONLY)")
    try:
        for s in stats:
            t = spec.tables[s.table]
            if s.tvd is None or "subject_id" not in t.column_names:
                continue
            col = f'"{s.column}"'
            s.floor = con.execute(f"""
                WITH v AS (SELECT {col} v, count(*) n, count(DISTINCT subject_id) p FROM a.mimiciv_{t.module}."{t.name}"
                           WHERE {col} IS NOT NULL GROUP BY 1)
                SELECT round(coalesce(sum(n) FILTER (WHERE p < 10), 0) / sum(n), 6) FROM v""").fetchone()[0]
    finally:
        con.close()


def summarize(stats: list[ColumnStat]) -> dict:
    nulls = [s.null_delta for s in stats if s.null_delta is not None]
    tvds = [s.tvd for s in stats if s.tvd is not None]
    kss = [s.ks for s in stats if s.ks is not None]
    reachable = [s.tvd for s in stats if s.tvd is not None and (s.floor or 0) <= THRESHOLDS["tvd_cap"]]
    th = THRESHOLDS
    return {
        "columns": len(nulls),
        "null_share_within": round(sum(d <= th["null_delta"] for d in nulls) / len(nulls), 4),
        "categorical_columns": len(tvds),
        "tvd_median": round(statistics.median(tvds), 4),
        "tvd_share_within": round(sum(d <= th["tvd_cap"] for d in tvds) / len(tvds), 4),
        "tvd_floor_above_cap": len(tvds) - len(reachable),
        "tvd_share_within_reachable": round(sum(d <= th["tvd_cap"] for d in reachable) / len(reachable), 4),
        "numeric_columns": len(kss),
        "ks_median": round(statistics.median(kss), 4),
        "ks_median_numeric": round(statistics.median([s.ks for s in stats if s.ks is not None and s.role == "numeric"]), 4),
        "ks_median_temporal": round(statistics.median([s.ks for s in stats if s.ks is not None and s.role == "temporal"]), 4),
    }


def compare_copies(real: Path, synth: Path, work: Path, spec: Spec | None = None,
                   real_db: Path | None = None) -> tuple[list[ColumnStat], dict]:
    """Relative-time copies of both (``real_db``: the real one, already written by ``copy_with_relative_times``),
    the measure, each categorical column's small-cell floor, the summary."""
    spec = spec or load_spec()
    tables = tables_in(real, spec)
    if real_db is None:
        real_db = work / "real.duckdb"
        copy_with_relative_times(real, real_db, tables, spec)
    copy_with_relative_times(synth, work / "synth.duckdb", tables, spec)
    stats = measure(real_db, work / "synth.duckdb", tables)
    small_cell_floors(real_db, stats, spec)
    return stats, summarize(stats)


def report(summary: dict, label: str, note: str) -> str:
    th = THRESHOLDS
    ok = {
        "null": summary["null_share_within"] >= th["null_share"],
        "tvd_median": summary["tvd_median"] <= th["tvd_median"],
        "tvd_share": summary["tvd_share_within"] >= th["tvd_share"],
        "ks": summary["ks_median"] <= th["ks_median"],
    }
    mark = {True: "meets", False: "MISSES"}
    return "\n".join([
        f"mimic-qa synth fidelity: {label} vs the real MIMIC-IV demo 2.2 ({note})",
        f"columns compared: {summary['columns']} over the demo's 30 tables; times as offsets within the patient's "
        "timeline (see bench/fidelity.py)",
        f"NULL share within {th['null_delta']} of the real one: {summary['null_share_within']:.1%} of columns "
        f"(target >= {th['null_share']:.0%}: {mark[ok['null']]})",
        f"categorical TVD median: {summary['tvd_median']:.3f} over {summary['categorical_columns']} columns "
        f"(target <= {th['tvd_median']}: {mark[ok['tvd_median']]})",
        f"categorical TVD <= {th['tvd_cap']}: {summary['tvd_share_within']:.1%} of columns (target >= "
        f"{th['tvd_share']:.0%}: {mark[ok['tvd_share']]}); {summary['tvd_floor_above_cap']} columns have more than "
        f"{th['tvd_cap']} of their real values in categories fewer than 10 patients have (withheld by the small-cell "
        f"rule); over the other columns: {summary['tvd_share_within_reachable']:.1%}",
        f"numeric KS median: {summary['ks_median']:.3f} over {summary['numeric_columns']} columns (target <= "
        f"{th['ks_median']}: {mark[ok['ks']]}); numeric {summary['ks_median_numeric']:.3f}, temporal "
        f"{summary['ks_median_temporal']:.3f}",
    ]) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", type=Path, default=DEMO_BESIDE_CHECKOUT, help="the real demo 2.2 folder (read only)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--synth", type=Path, help="compare this synthetic copy instead of generating one")
    ap.add_argument("--label", default="demo-2.2")
    ap.add_argument("--note", help="what the --synth copy is, for the report's first line")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synth-fidelity-"))
    try:
        synth = args.synth
        note = args.note or (f"copy at {synth.name}" if synth else f"generated now, seed {args.seed}")
        if synth is None:
            synth = generate(work / "synth", release="demo-2.2", seed=args.seed).out_dir
        stats, summary = compare_copies(args.demo, synth, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    text = report(summary, f"synth {args.label}", note)
    (RESULTS / f"fidelity-{args.label}.txt").write_text(text)
    (RESULTS / f"fidelity-{args.label}.json").write_text(json.dumps(
        {"summary": summary, "thresholds": THRESHOLDS, "columns": [asdict(s) for s in stats]}, indent=1) + "\n")
    print(text, end="")


if __name__ == "__main__":
    main()
