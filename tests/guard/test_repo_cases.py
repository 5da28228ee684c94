"""The issue's cases in one temporary git repository: leaks found, clean files left alone, nothing printed."""

from __future__ import annotations

import re

from mimic_qa.guard import run_guard
from mimic_qa.guard.report import render
from tests.cli import run_cli
from tests.guard.conftest import CLEAN, LEAKS
from tests.guard.mimic_like import mimic_rows


def test_exit_code_is_one_when_something_is_found(leak_scan):
    code, report, _ = leak_scan
    assert code == 1
    assert report["found"] is True


def test_every_leak_is_found_and_nothing_else(leak_scan):
    _, report, _ = leak_scan
    flagged = {f["path"] for f in report["findings"]}
    assert flagged == LEAKS


def test_clean_files_were_scanned_not_skipped(leak_scan):
    _, report, _ = leak_scan
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    assert skipped == {"tests/fixtures/synthetic/labevents.csv": "allowed"}
    assert report["scanned"] == len(LEAKS) + len(CLEAN) - 1 + 2  # + .gitignore and .mimic-qa-guard.yaml


def test_gitignored_files_are_not_scanned(leak_scan):
    _, report, _ = leak_scan
    seen = {f["path"] for f in report["findings"]} | {s["path"] for s in report["skipped"]}
    assert not any(p.startswith("private/") for p in seen)


def test_findings_give_location_rows_and_table(leak_scan):
    _, report, _ = leak_scan
    by_path = {f["path"]: f for f in report["findings"]}
    nb = by_path["notebooks/labs.ipynb"]
    assert nb["kind"] == "notebook-output"
    assert nb["location"] == {"cell": 1, "output": 0}
    assert nb["rows"] == 20
    assert nb["table"] == "hosp.labevents"
    csv = by_path["data/cohort.csv"]
    assert (csv["kind"], csv["location"], csv["rows"], csv["table"]) == ("data-rows", {"line": 2}, 200, "icu.icustays")
    pq = by_path["data/cohort.parquet"]
    assert (pq["rows"], pq["table"]) == (200, "icu.icustays")
    txt = by_path["data/extract.txt"]
    assert (txt["rows"], txt["table"]) == (40, "hosp.labevents")
    assert "subject_id" in csv["reason"] and "shifted dates" in csv["reason"]


def test_no_row_value_reaches_the_output(leak_repo, leak_scan, leak_text):
    _, _, json_out = leak_scan
    sarif = render(run_guard([], cwd=leak_repo), "sarif")
    outputs = [json_out, leak_text.stdout, sarif]
    values = {str(v) for table in ("labevents", "icustays") for row in mimic_rows(table, 200)[1] for v in row}
    values = {v for v in values if re.search(r"\d{6}|\d{4}-\d\d-\d\d", v)}
    assert values
    for out in outputs:
        assert not [v for v in values if v in out]


def test_text_output_is_one_line_per_finding_plus_summary(leak_text):
    done = leak_text
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert sorted(ln.split(":")[0] for ln in lines[: len(LEAKS)]) == sorted(LEAKS)
    assert any(ln.startswith("notebooks/labs.ipynb: cell 1, output 0: 20 rows") for ln in lines)
    assert lines[-2].startswith("mimic-qa guard: 4 findings in 4 files")


def test_clean_paths_alone_exit_zero(leak_repo):
    done = run_cli("guard", *sorted(CLEAN), cwd=str(leak_repo))
    assert done.returncode == 0, done.stdout
    assert "no MIMIC-IV data found" in done.stdout


def test_one_file_is_counted_in_the_singular(leak_repo):
    done = run_cli("guard", "data/cohort.csv", cwd=str(leak_repo))
    assert "mimic-qa guard: 1 finding in 1 file (1 file scanned in " in done.stdout, done.stdout
