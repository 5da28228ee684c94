"""``mimic-qa demo`` end to end, as a new user runs it: a synthetic copy, validated, with the report written."""

from __future__ import annotations

import json

from tests.cli import run_cli


def test_demo_generates_validates_and_reports(tmp_path):
    out = tmp_path / "demo"
    done = run_cli("demo", "--out", str(out))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    run = json.loads((out / "results" / "validate.json").read_text(encoding="utf-8"))
    assert run["summary"]["ok"] and run["summary"]["failed_by_severity"]["error"] == 0
    assert run["summary"]["total"] == 1050 and len(run["row_counts"]) == 31
    assert (out / "results" / "validate.junit.xml").is_file()
    html = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert "PASS" in html.upper() and "10.13026/kpb9-mt58" in html
    assert "synthetic copy:" in done.stdout and "next: mimic-qa validate" in done.stdout


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").write_text("mine")
    done = run_cli("demo", "--out", str(tmp_path))
    assert done.returncode == 2 and "not empty" in done.stderr and "Traceback" not in done.stderr
