"""The gate: --fail-on error / warning / info, and the JUnit failures a CI system reads."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

import mimic_qa
from mimic_qa.errors import UsageError
from mimic_qa.validation import ValidateOptions
from tests.cli import run_cli
from tests.damage import ReleaseCopy

# written here, not taken from mimic_qa: how bad each severity is, and which outcomes block a gate
RANK = {"info": 0, "warning": 1, "error": 2}
BLOCKING = ("failed", "error")  # failed, or could not run

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
def test_each_gate_level_in_the_exit_code_the_json_and_junit(real_demo, real_demo_tables, tmp_path, fail_on, code):
    """The real demo (no error, warnings and info failures, all explained by quirks) at each --fail-on: the exit
    code, the JSON's fail_on/ok and the JUnit failures agree with the gate as computed here from the JSON's raw
    statuses and severities."""
    out, junit = tmp_path / "run.json", tmp_path / "run.xml"
    done = run_cli("validate", str(real_demo), "--exclude-tables", "chartevents", "--checks", "sql",
                   "--fail-on", fail_on, "--json", str(out), "--junit", str(junit), "-q")
    assert done.returncode == code, done.stdout + done.stderr
    run = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(run["row_counts"]) == [t for t in real_demo_tables if t != "chartevents"] == sorted(real_demo_tables)
    blocking = {c["id"] for c in run["checks"] if c["status"] in BLOCKING and RANK[c["severity"]] >= RANK[fail_on]}
    warnings = {c["id"] for c in run["checks"] if c["status"] == "failed" and c["severity"] == "warning"}
    infos = {c["id"] for c in run["checks"] if c["status"] == "failed" and c["severity"] == "info"}
    assert warnings and infos  # the demo's quirks: otherwise this test proves nothing
    assert blocking == {"error": set(), "warning": warnings, "info": warnings | infos}[fail_on]
    assert run["summary"]["fail_on"] == fail_on and run["summary"]["ok"] is (not blocking)
    assert (done.returncode == 1) is bool(blocking)
    marked = {case.get("name") for case in ET.parse(junit).iter("testcase")
              if case.find("failure") is not None or case.find("error") is not None}
    assert marked == blocking  # --fail-on warning: the warnings are JUnit failures
    verdict, = done.stdout.splitlines()  # --quiet: the verdict line only
    assert verdict.startswith("FAIL" if blocking else "PASS") and f"gate: --fail-on {fail_on}" in verdict
    # the counts split at the gate: a PASS does not say "14 failed" as if they counted
    failed = {s: sum(c["status"] == "failed" and c["severity"] == s for c in run["checks"]) for s in SEVERITIES}
    gate = SEVERITIES[:SEVERITIES.index(fail_on) + 1]
    at_gate = ", ".join(f"{failed[s]} {s}" for s in gate if failed[s])
    below = ", ".join(f"{failed[s]} {s}" for s in SEVERITIES if s not in gate and failed[s])
    assert (f" failed ({at_gate})," in verdict) == bool(at_gate), verdict
    assert (f" failed below the gate ({below})," in verdict) == bool(below), verdict


def test_an_unknown_gate_is_a_usage_error(real_demo):
    done = run_cli("validate", str(real_demo), "--fail-on", "fatal")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("settings", [{"fail_on": "fatal"}, {"engine": "sprak"}, {"tables": ["patient"]},
                                      {"exclude_tables": "patients,nosuch"}])
def test_the_python_api_rejects_bad_settings_before_it_runs(real_demo, settings):
    """Nothing fails on patients alone, so a bad gate would pass unnoticed if it were checked only on failures."""
    assert mimic_qa.validate(real_demo, tables=["patients"], checks="sql").ok
    with pytest.raises(UsageError):
        mimic_qa.validate(real_demo, **{"tables": ["patients"], "checks": "sql", **settings})
    if "fail_on" in settings or "engine" in settings:  # table names are checked against the spec by validate()
        with pytest.raises(UsageError):
            ValidateOptions(**settings)


def test_the_python_api_gate_keyword_and_options_object(real_demo):
    info = mimic_qa.validate(real_demo, ValidateOptions(tables=["outputevents"], checks="sql"), fail_on="info")
    assert info.fail_on == "info" and not info.ok and info.run.summary.fail_on == "info"
    assert {c.severity for c in info.failed} == {"info"}
    gate = mimic_qa.validate(real_demo, tables="outputevents", checks="sql")  # a string, as from a notebook
    assert gate.fail_on == "error" and gate.ok and gate.run.summary.ok is True


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


@pytest.fixture(scope="module")
def with_an_error(real_demo, tmp_path_factory) -> ReleaseCopy:
    """The whole demo (its warnings and info failures, all known quirks) with two lab rows naming no lab item."""
    copy = ReleaseCopy(real_demo, tmp_path_factory.mktemp("gate") / "copy")
    copy.set_value("labevents", "itemid", "99999999", lambda r: True, limit=2)
    return copy


@pytest.mark.parametrize("fail_on", SEVERITIES)
def test_every_output_agrees_with_the_gate_on_a_copy_with_an_error(with_an_error, tmp_path, fail_on):
    """One run per --fail-on level writing every output: the JSON on stdout (--json -), JUnit, the HTML and
    Markdown reports and the summary on stderr. Each names the same verdict and the same blocking checks, computed
    here from the JSON's raw statuses and severities; an error blocks at every level, a warning from --fail-on
    warning on (JUnit included), an info failure only at --fail-on info."""
    junit, report = tmp_path / "junit.xml", tmp_path / "report"
    done = run_cli("validate", str(with_an_error.root), "--exclude-tables", "chartevents", "--checks", "sql",
                   "--fail-on", fail_on, "--json", "-", "--junit", str(junit), "--report-dir", str(report))
    run = json.loads(done.stdout)  # stdout is the JSON alone
    failed = {c["id"]: c["severity"] for c in run["checks"] if c["status"] in BLOCKING}
    assert {i for i, s in failed.items() if s == "error"} == {"hosp.labevents.fk.itemid"}
    assert {"warning", "info"} <= set(failed.values())
    blocking = {i for i, s in failed.items() if RANK[s] >= RANK[fail_on]}
    assert done.returncode == 1 and run["summary"]["ok"] is False and run["summary"]["fail_on"] == fail_on
    marked = {case.get("name") for case in ET.parse(junit).iter("testcase")
              if case.find("failure") is not None or case.find("error") is not None}
    assert marked == blocking
    not_blocking = {case.get("name") for case in ET.parse(junit).iter("testcase")
                    if (case.findtext("system-out") or "").startswith("not blocking")}
    assert not_blocking == set(failed) - blocking
    lines = done.stderr.strip().splitlines()
    verdict = " ".join(" ".join(lines[max(i for i, line in enumerate(lines) if line.startswith(("FAIL", "PASS"))):])
                       .split())  # wrapped at 80 columns in a log
    assert verdict.startswith("FAIL") and f"gate: --fail-on {fail_on}" in verdict, verdict
    for name in ("report.md", "report.html"):
        text = (report / name).read_text(encoding="utf-8")
        assert "FAIL" in text and "PASS" not in text.split("## Run")[0], name
        assert f"a failure at {fail_on} severity" in text, name
    result = mimic_qa.validate(with_an_error.root, exclude_tables=["chartevents"], checks="sql", fail_on=fail_on)
    assert result.ok is False and {c.id for c in result.failed} == blocking  # the Python API's gate
