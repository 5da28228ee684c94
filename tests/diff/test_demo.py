"""`mimic-qa diff` on the real demo: against itself nothing drifts; against a damaged copy the damage is named."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mimic_qa.spec import load_spec
from tests.diff.conftest import (
    CANARY_BIG,
    CANARY_NUMBER,
    CANARY_SMALL,
    CANARY_TEXT,
    SKEWED,
    Damaged,
    Run,
    read_csv,
    run_diff,
    write_csv,
)

DEMO_TABLES = {t for t in load_spec().tables if load_spec().tables[t].module in ("hosp", "icu")} - {"chartevents"}  # lacks chartevents (data/README.md)


def test_demo_against_itself_nothing_drifts(demo_vs_itself: Run):
    run = demo_vs_itself
    assert run.code == 0, run.stderr
    assert "SAME" in run.stdout and "30 of 30 tables compared: 0 error, 0 warning, 0 info" in run.stdout
    assert run.findings() == []
    counts = load_spec().release("demo-2.2").row_counts
    tables = {t["name"]: t for t in run.result["tables"]}
    assert set(tables) == DEMO_TABLES
    for name, t in tables.items():
        assert t["rows_a"] == t["rows_b"] == counts[name], name
        assert all(k["only_a"] == k["only_b"] == 0 for k in t["keys"]), name
        for c in t["columns"]:
            assert c["null_rate_delta"] == 0, (name, c["name"])
            assert all(c[s] in (None, 0) for s in ("tvd", "ks", "length_ks")), (name, c["name"])
    labevents = tables["labevents"]
    assert labevents["items"]["items_a"] == labevents["items"]["items_b"] > 400
    assert all(i["ks"] in (None, 0) and i["unit_tvd"] in (None, 0) for i in labevents["items"]["items"])


def test_damaged_copy_fails_naming_the_damage(demo_vs_damaged: Run, damaged: Damaged):
    run = demo_vs_damaged
    assert run.code == 1, run.stderr
    assert "DRIFT" in run.stdout
    errors = {(f["table"], f["column"], f["statistic"]) for f in run.findings("error")}
    assert errors == {("labevents", None, "rows"), (SKEWED[0], SKEWED[1], "tvd")}
    # the console names both, with their statistic
    lines = run.stdout.splitlines()
    assert any("labevents" in line and "rows" in line and "error" in line for line in lines)
    assert any(f"{SKEWED[0]}.{SKEWED[1]}" in line and "tvd" in line and "error" in line for line in lines)

    labevents = next(t for t in run.result["tables"] if t["name"] == "labevents")
    assert (labevents["rows_a"], labevents["rows_b"]) == damaged.labevents_rows
    rows = next(f for f in run.findings("error") if f["statistic"] == "rows")
    assert abs(rows["value"] - (1 - damaged.labevents_rows[1] / damaged.labevents_rows[0])) < 1e-12
    skew = next(f for f in run.findings("error") if f["statistic"] == "tvd")
    assert abs(skew["value"] - damaged.skew_tvd) < 1e-9


def test_key_sets_match_counts_from_the_files(demo_vs_damaged: Run, damaged: Damaged):
    labevents = next(t for t in demo_vs_damaged.result["tables"] if t["name"] == "labevents")
    keys = {"+".join(k["columns"]): k for k in labevents["keys"]}
    for key, lost in damaged.only_in_a.items():
        assert keys[key]["only_a"] == lost, key
        assert keys[key]["only_b"] == 0, key
    assert damaged.only_in_a["itemid"] > 0  # rare items vanish: a real test of the count
    assert len(keys["itemid"]["only_a_ids"]) == damaged.only_in_a["itemid"]


def _exact_ks(a: np.ndarray, b: np.ndarray) -> float:
    grid = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.abs(fa - fb).max())


def test_ks_from_sketches_is_close_to_the_exact_statistic(demo: Path, damaged: Damaged, tmp_path: Path):
    """A tail of labevents.valuenum moved (every value above the median doubled): the reported KS distance
    is within 0.02 of the exact two-sample statistic computed here from the files."""
    copy = tmp_path / "copy"
    (copy / "hosp").mkdir(parents=True)
    header, rows = read_csv(demo / "hosp" / "labevents.csv.gz")
    i = header.index("valuenum")
    values = np.array([float(r[i]) for r in rows if r[i]])
    median = float(np.median(values))
    for r in rows:
        if r[i] and float(r[i]) > median:
            r[i] = repr(float(r[i]) * 2)

    write_csv(copy / "hosp" / "labevents.csv.gz", header, rows)
    moved = np.array([float(r[i]) for r in rows if r[i]])
    run = run_diff(demo, copy, tmp_path / "out", "--tables", "labevents")
    column = next(c for c in run.result["tables"][0]["columns"] if c["name"] == "valuenum")
    exact = _exact_ks(values, moved)
    assert exact > 0.1
    assert abs(column["ks"] - exact) <= 0.02, (column["ks"], exact)


def test_no_value_reaches_any_output_without_show_values(demo_vs_damaged: Run):
    text = demo_vs_damaged.outputs
    for canary in (CANARY_BIG, CANARY_SMALL, CANARY_TEXT, CANARY_NUMBER, "Medicaid"):
        assert canary not in text, canary
    assert "no values shown" in demo_vs_damaged.stdout


def test_show_values_adds_values_but_suppresses_small_cells(demo: Path, damaged: Damaged, tmp_path: Path):
    run = run_diff(demo, damaged.path, tmp_path, "--show-values", "--tables", "admissions,labevents")
    assert run.code == 1
    text = run.outputs
    assert CANARY_BIG in text  # 12 rows: shown, proving this test can see a value when one is let through
    assert "Medicaid" in text
    for canary in (CANARY_SMALL, CANARY_TEXT, CANARY_NUMBER):  # 3 rows; free text; the single largest value
        assert canary not in text, canary
    assert "small-cell rule" in run.stdout
    html = (run.report / "diff.html").read_text()
    assert "This report contains values from the data" in html and "small-cell rule" in html
    marital = next(c for t in run.result["tables"] if t["name"] == "admissions" for c in t["columns"]
                   if c["name"] == "marital_status")
    top_b = {c["value"]: c["count"] for c in marital["b"]["top"]}
    assert top_b[CANARY_BIG] == 12 and all(n >= 10 for n in top_b.values())
    assert marital["b"]["suppressed_categories"] >= 1


def test_the_json_is_the_python_result_and_can_be_judged_again(demo_vs_damaged: Run, damaged: Damaged):
    from mimic_qa.diff import DiffResult, Thresholds, rejudge

    result = DiffResult.model_validate(demo_vs_damaged.result)
    assert not result.ok and result.table("labevents").rows_b == damaged.labevents_rows[1]
    rows = next(s for s in result.statistics() if s.table == "labevents" and s.statistic == "rows")
    assert (rows.n_a, rows.n_b) == damaged.labevents_rows
    loose = rejudge(result, Thresholds().with_levels("rows", 0.2, 0.5).with_levels("tvd", 0.5, 0.9))
    assert loose.ok and loose.summary["error"] == 0 and loose.findings  # still reported, below the gate
    strict = rejudge(result, Thresholds(), fail_on="warning")
    assert {(f.table, f.statistic) for f in strict.blocking} >= {("labevents", "rows"), ("labevents", "keys")}
