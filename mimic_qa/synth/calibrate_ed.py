"""Derive the ED generator's calibration from the real MIMIC-IV-ED demo 2.2 (ODbL 1.0).

    python -m mimic_qa.synth.calibrate_ed /path/to/mimic-iv-ed-demo-2.2 [--out mimic_qa/synth/data]

writes ``calibration-ed.json`` (aggregates only) under the clinical calibration's small-cell rule: a category or
tuple is kept only when at least ``MIN_PATIENTS`` (10) distinct patients have it, and numeric distributions are
quantiles clipped to the range at least that many patients reach at either end (``calibrate.categorical`` and
``calibrate.quantiles``). Deterministic: the same demo gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from mimic_qa.sources.database import scalar
from mimic_qa.spec import Spec, load_spec
from mimic_qa.synth.calibrate import ITEM_GRID, MIN_PATIENTS, _round, categorical, dumps, load, quantiles
from mimic_qa.synth.calibration import DATA_DIR

FILE = "calibration-ed.json"
VITALS = ("temperature", "heartrate", "resprate", "o2sat", "sbp", "dbp")
# Per child table: the columns drawn together as one tuple (joint structure and NULL patterns kept).
TUPLES = {"medrecon": ["name", "gsn", "ndc", "etc_rn", "etccode", "etcdescription"], "pyxis": ["name", "gsn"]}
CHILDREN = ("diagnosis", "medrecon", "pyxis", "vitalsign")


def _stays(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Share of stays with rows and quantiles of rows per stay among them; charted tables: hours after intime."""
    total = scalar(con, "SELECT count(*) FROM edstays")
    rel = f'(SELECT e.subject_id, count(*) n FROM "{table}" x JOIN edstays e USING (stay_id) GROUP BY e.stay_id, e.subject_id)'
    out = {"share": _round(scalar(con, f"SELECT count(*) FROM {rel}") / total), "q": quantiles(con, rel, "n", ITEM_GRID)}
    if table != "diagnosis":
        rel = f'(SELECT x.subject_id, x.charttime, e.intime FROM "{table}" x JOIN edstays e USING (stay_id))'
        out["hours_after_intime"] = quantiles(con, rel, "epoch(charttime - intime) / 3600", ITEM_GRID)
    return out


def derive(demo: Path, spec: Spec | None = None) -> dict:
    spec = spec or load_spec()
    con = duckdb.connect()
    load(con, demo, spec)
    numeric = {t: {c: {"null": _round(scalar(con, f'SELECT avg(("{c}" IS NULL)::INTEGER) FROM {t}')),
                       "q": quantiles(con, t, f'"{c}"', ITEM_GRID)} for c in VITALS} for t in ("triage", "vitalsign")}
    out = {
        "source": {"title": spec.release("ed-demo-2.2").title, "doi": spec.release("ed-demo-2.2").doi,
                   "license": "Open Database License (ODbL) 1.0"},
        "rules": {"min_patients": MIN_PATIENTS, "grid": ITEM_GRID},
        "edstays": {
            "admitted_share": _round(scalar(con, "SELECT avg((hadm_id IS NOT NULL)::INTEGER) FROM edstays")),
            "hours": quantiles(con, "edstays", "epoch(outtime - intime) / 3600", ITEM_GRID),
            "arrival_transport": categorical(con, "edstays", ["arrival_transport"]),
            "disposition_admitted": categorical(con, "edstays", ["disposition"], "hadm_id IS NOT NULL"),
            "disposition_not_admitted": categorical(con, "edstays", ["disposition"], "hadm_id IS NULL"),
            "race": categorical(con, "edstays", ["race"]),
        },
        "triage": {"numeric": numeric["triage"], "acuity": categorical(con, "triage", ["acuity"]),
                   "pain": categorical(con, "triage", ["pain"]),
                   "chiefcomplaint": categorical(con, "triage", ["chiefcomplaint"])},
        "vitalsign": {"numeric": numeric["vitalsign"], "rhythm": categorical(con, "vitalsign", ["rhythm"]),
                      "pain": categorical(con, "vitalsign", ["pain"])},
        "tuples": {t: categorical(con, t, cols) for t, cols in TUPLES.items()},
        "gsn_rn": categorical(con, "pyxis", ["gsn_rn"]),
        "icd9_share": _round(scalar(con, "SELECT avg((icd_version = 9)::INTEGER) FROM diagnosis")),
        "stays": {t: _stays(con, t) for t in CHILDREN},
    }
    con.close()
    return out


def write(demo: Path, out: Path = DATA_DIR) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / FILE).write_text(dumps(derive(demo)), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("demo", type=Path, help="the real MIMIC-IV-ED demo 2.2 folder (read only)")
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    args = ap.parse_args()
    write(args.demo, args.out)
    print(f"wrote {args.out / FILE}")


if __name__ == "__main__":
    main()
