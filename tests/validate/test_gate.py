"""The gate: --fail-on error / warning / info, and the JUnit failures a CI system reads."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from tests.cli import run_cli
from tests.damage import ReleaseCopy

SEVERITIES = ["error", "warning", "info"]
# outputevents' back-charting quirk is an info-level failure; these tables have no warning on the real demo
INFO_ONLY = ["outputevents", "icustays", "patients", "admissions", "d_items", "caregiver", "transfers"]


def _tables(tables: list[str]) -> list[str]:
    return [a for t in tables for a in ("--tables", t)]


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 0), ("info", 1)])
def test_each_gate_level_on_info_failures(real_demo, fail_on, code):
    done = run_cli("validate", str(real_demo), *_tables(INFO_ONLY), "--checks", "sql", "--fail-on", fail_on, "-q")
    assert done.returncode == code, done.stdout + done.stderr


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1)])
def test_each_gate_level_on_the_demos_warnings(real_demo, real_demo_tables, fail_on, code, tmp_path):
    done = run_cli("validate", str(real_demo), *_tables(real_demo_tables), "--checks", "sql", "--fail-on", fail_on,
                   "--json", str(tmp_path / "run.json"))
    assert done.returncode == code, done.stdout + done.stderr
    # The verdict line splits the failures at the gate: a PASS does not say "14 failed" as if they counted.
    checks = json.loads((tmp_path / "run.json").read_text())["checks"]
    failed = {s: sum(c["status"] == "failed" and c["severity"] == s for c in checks) for s in SEVERITIES}
    gate = SEVERITIES[:SEVERITIES.index(fail_on) + 1]
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("FAIL  " if code else "PASS  ")
    blocking = ", ".join(f"{failed[s]} {s}" for s in gate if failed[s])
    below = ", ".join(f"{failed[s]} {s}" for s in SEVERITIES if s not in gate and failed[s])
    assert (f" failed ({blocking})," in line) == bool(blocking), line
    assert (f" failed below the gate ({below})," in line) == bool(below), line


def test_an_unknown_gate_is_a_usage_error(real_demo):
    done = run_cli("validate", str(real_demo), "--fail-on", "fatal")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_junit_marks_the_failing_checks_of_a_damaged_copy(real_demo, tmp_path):
    tables = ["labevents", "d_labitems", "patients", "admissions", "provider"]
    copy = ReleaseCopy(real_demo, tmp_path / "copy", tables=tables)
    deleted = copy.delete_rows("d_labitems", lambda r: r["itemid"] == "50912", detail="a lab item used by labevents")
    junit = tmp_path / "junit.xml"
    done = run_cli("validate", str(copy.root), *_tables(tables), "--checks", "sql", "--junit", str(junit), "-q")
    assert done.returncode == 1
    root = ET.parse(junit).getroot()
    failures = {case.get("name"): case.find("failure") for case in root.iter("testcase")}
    failed = sorted(name for name, f in failures.items() if f is not None)
    assert failed == [f"{deleted.table}.row_count", "hosp.labevents.fk.itemid"]
    assert all(f.get("type") in ("row_count", "fk") for f in failures.values() if f is not None)
    suites = {s.get("name"): int(s.get("failures")) for s in root.iter("testsuite")}
    assert suites["labevents"] == 1 and suites["d_labitems"] == 1 and suites["patients"] == 0
