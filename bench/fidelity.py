"""Fidelity of `mimic-qa synth --release demo-2.2` to the real demo 2.2 (issue 17, items 3 and 4).

Usage: python bench/fidelity.py [--demo DIR] [--seed 0] [--synth DIR] [--label NAME]
Writes bench/results/fidelity-<label>.txt (the threshold figures) and .json (every column's statistics; names and
numbers only, never a value from either copy).

What is compared, per column of the 30 tables the demo copy holds (chartevents is absent from it):
* every column: the NULL share, |null_real - null_synth|;
* categorical columns (strings that are neither free text nor identifiers, with at most 10,000 distinct values in
  either copy; integer columns with an enumerated domain): total variation distance of the value frequencies,
  NULLs excluded (undefined, so not counted, where a copy has no value at all);
* numeric and temporal columns (not identifiers): the Kolmogorov-Smirnov distance.
Identifiers (``*_id``, integer ``*id``, foreign keys, the keys they reference) and free text are not compared as
distributions (diff compares keys as sets and text by length).

**Times.** MIMIC shifts every patient's dates by its own random offset (into 2110-2210), so a timestamp's absolute
value says nothing beyond its patient; what is real is where it falls in the patient's timeline. Each temporal
value is therefore compared as the seconds after a reference in its own row's patient: the admission time of the
row's ``hadm_id`` (for every table that has one; in admissions itself, the admission time for the other times),
else 1 January of the patient's ``anchor_year`` (patients.dod, omr, rows without a ``hadm_id``, and
admissions.admittime). ``copy_with_relative_times`` writes such a copy as a DuckDB database in mimic-code's layout,
with each time stored as 1970-01-01 plus its offset, so a tool comparing timestamps as seconds since the epoch
(``mimic-qa diff``) compares the offsets.

**The measure.** ``measure`` is the one place that computes the statistics. ``mimic-qa diff`` (issue 17, item 1)
computes the same ones with a Python API; when it is merged, ``measure`` becomes a call to
``mimic_qa.diff.compare(real_db, synth_db, tables=...)`` over the two relative-time databases written here.
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

from mimic_qa.spec import Spec, Table, load_spec
from mimic_qa.synth import generate

RESULTS = Path(__file__).parent / "results"
DEMO_BESIDE_CHECKOUT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mimic-iv-demo-2.2"

# Issue 17, item 3.
THRESHOLDS = {"null_delta": 0.05, "null_share": 0.95, "tvd_median": 0.10, "tvd_cap": 0.2, "tvd_share": 0.85,
              "ks_median": 0.10}
MAX_CATEGORIES = 10_000  # a string column with more distinct values is text, not categorical (as diff)


@dataclass
class ColumnStat:
    table: str
    column: str
    role: str  # identifier, categorical, numeric, temporal, free_text, text
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
    con = duckdb.connect(str(db))
    try:
        con.execute("CREATE SCHEMA raw; CREATE SCHEMA mimiciv_hosp; CREATE SCHEMA mimiciv_icu")
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
            con.execute(f'CREATE TABLE mimiciv_{t.module}."{t.name}" AS SELECT {", ".join(sel)} '
                        f'FROM raw."{t.name}" x{joins}')
        con.execute("DROP SCHEMA raw CASCADE")
    finally:
        con.close()


# --- roles (the lead's definitions, as diff's roles.py) ------------------------------------------------------------

def _enumerated(t: Table, column: str) -> bool:
    return any(d.column == column and d.values is not None for d in t.domains)


def role(spec: Spec, t: Table, column: str) -> str:
    """identifier, free_text, categorical, numeric, temporal or string (categorical or text by distinct count)."""
    kind = t.column(column).kind
    if column in t.free_text:
        return "free_text"
    keys = {c for fk in t.foreign_keys for c in fk.columns}
    keys |= {c for o in spec.tables.values() for fk in o.foreign_keys if fk.ref_table == t.name for c in fk.ref_columns}
    if t.primary_key and len(t.primary_key) == 1:
        keys.add(t.primary_key[0])
    if column.endswith("_id") or (kind == "integer" and column.endswith("id")):
        return "identifier"
    if column in keys and not _enumerated(t, column):
        return "identifier"
    if kind in ("integer", "float"):
        return "categorical" if _enumerated(t, column) else "numeric"
    if kind in ("date", "timestamp"):
        return "temporal"
    return "string"


# --- the measure (to become mimic_qa.diff.compare when diff is merged) -------------------------------------------

def measure(real_db: Path, synth_db: Path, tables: list[Table], spec: Spec) -> list[ColumnStat]:
    """Per column: NULL-share delta, and TVD (categorical) or exact two-sample KS (numeric, temporal)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{real_db}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{synth_db}' AS b (READ_ONLY)")
    out = []
    try:
        for t in tables:
            ra, rb = (f'{side}.mimiciv_{t.module}."{t.name}"' for side in ("a", "b"))
            for c in t.columns:
                col = f'"{c.name}"'
                r = role(spec, t, c.name)
                na, nna = con.execute(f"SELECT count(*), count({col}) FROM {ra}").fetchone()
                nb, nnb = con.execute(f"SELECT count(*), count({col}) FROM {rb}").fetchone()
                stat = ColumnStat(t.name, c.name, r, round(abs((1 - nna / na) - (1 - nnb / nb)), 6) if na and nb else None)
                if r == "string":  # categorical unless a copy has more distinct values than a category list holds
                    distinct = max(con.execute(f"SELECT approx_count_distinct({col}) FROM {rel}").fetchone()[0]
                                   for rel in (ra, rb))
                    stat.role = r = "categorical" if distinct <= MAX_CATEGORIES else "text"
                if r == "categorical" and nna and nnb:
                    stat.tvd = con.execute(f"""
                        WITH fa AS (SELECT {col} v, count(*) / {nna} p FROM {ra} WHERE {col} IS NOT NULL GROUP BY 1),
                             fb AS (SELECT {col} v, count(*) / {nnb} p FROM {rb} WHERE {col} IS NOT NULL GROUP BY 1)
                        SELECT round(0.5 * sum(abs(coalesce(fa.p, 0) - coalesce(fb.p, 0))), 6)
                        FROM fa FULL JOIN fb ON fa.v = fb.v""").fetchone()[0]
                elif r in ("numeric", "temporal") and nna and nnb:
                    x = f"epoch({col})" if r == "temporal" else f"CAST({col} AS DOUBLE)"
                    stat.ks = con.execute(f"""
                        WITH v AS (SELECT {x} x, 1 a, 0 b FROM {ra} WHERE {col} IS NOT NULL
                                   UNION ALL SELECT {x}, 0, 1 FROM {rb} WHERE {col} IS NOT NULL),
                             g AS (SELECT x, sum(a) a, sum(b) b FROM v GROUP BY x),
                             c AS (SELECT sum(a) OVER w / {nna} fa, sum(b) OVER w / {nnb} fb FROM g
                                   WINDOW w AS (ORDER BY x ROWS UNBOUNDED PRECEDING))
                        SELECT round(max(abs(fa - fb)), 6) FROM c""").fetchone()[0]
                out.append(stat)
    finally:
        con.close()
    return out


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


def compare_copies(real: Path, synth: Path, work: Path, spec: Spec | None = None) -> tuple[list[ColumnStat], dict]:
    """Relative-time copies of both, the measure, each categorical column's small-cell floor, the summary."""
    spec = spec or load_spec()
    tables = tables_in(real, spec)
    copy_with_relative_times(real, work / "real.duckdb", tables, spec)
    copy_with_relative_times(synth, work / "synth.duckdb", tables, spec)
    stats = measure(work / "real.duckdb", work / "synth.duckdb", tables, spec)
    small_cell_floors(work / "real.duckdb", stats, spec)
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
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synth-fidelity-"))
    try:
        synth = args.synth
        note = f"copy at {synth.name}" if synth else f"generated now, seed {args.seed}"
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
