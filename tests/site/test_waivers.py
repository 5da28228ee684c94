"""Waivers at the one gate: a waiver holds until its expiry and up to its ceiling, names ids or globs, and every
output (counts, JUnit) reads the same decision. Expected states are worked out here by hand."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree as ET

import pytest

from mimic_qa.results.gate import blocks, judge_waivers
from mimic_qa.results.io import junit_xml
from mimic_qa.results.model import CheckResult, RunResult, Status, Waiver, WaiverState
from mimic_qa.spec.severity import Severity
from mimic_qa.validation.result import ValidationResult, counts

TODAY = date(2026, 6, 1)


def result(check_id: str, failing: int | None = 5, status: Status = Status.FAILED, severity: str = "error",
           table: str | None = "patients") -> CheckResult:
    return CheckResult(id=check_id, table=table, kind=check_id.split(".")[2], category="conformance",
                       severity=severity, status=status, failing_rows=failing, message=f"{failing} rows")


def waiver(check: str, expires: date = TODAY, **ceiling: float) -> Waiver:
    return Waiver(check=check, reason="a fix is pending", owner="data team", expires=expires, **ceiling)


@pytest.mark.parametrize("expires, ceiling, state", [
    (TODAY, {}, WaiverState.HOLDS),  # the expiry date is the last day it holds
    (TODAY - timedelta(days=1), {}, WaiverState.EXPIRED),
    (TODAY, {"max_failing_rows": 5}, WaiverState.HOLDS),  # 5 failing, ceiling 5
    (TODAY, {"max_failing_rows": 4}, WaiverState.EXCEEDED),
    (TODAY, {"max_failing_fraction": 0.05}, WaiverState.HOLDS),  # 5 of 100 rows
    (TODAY, {"max_failing_fraction": 0.049}, WaiverState.EXCEEDED),
])
def test_a_waiver_holds_until_its_expiry_and_up_to_its_ceiling(expires, ceiling, state):
    check = result("hosp.patients.fk.subject_id")
    judge_waivers([check], [waiver(check.id, expires, **ceiling)], {"patients": 100}, TODAY)
    assert check.waiver is not None and check.waiver.state is state
    assert blocks(check, Severity.ERROR) is (state is not WaiverState.HOLDS)
    if state is WaiverState.EXPIRED:
        assert "expired on 2026-05-31" in check.waiver.why
    if state is WaiverState.EXCEEDED:
        assert "ceiling" in check.waiver.why


def test_a_check_that_could_not_run_is_waived_only_without_a_ceiling():
    plain, capped = result("hosp.patients.pk", None, Status.ERROR), result("hosp.patients.pk", None, Status.ERROR)
    judge_waivers([plain], [waiver(plain.id)], {}, TODAY)
    judge_waivers([capped], [waiver(capped.id, max_failing_rows=10)], {}, TODAY)
    assert plain.waiver.state is WaiverState.HOLDS and not blocks(plain, Severity.ERROR)
    assert capped.waiver.state is WaiverState.EXCEEDED and blocks(capped, Severity.ERROR)


def test_globs_exact_ids_first_and_a_waiver_matching_nothing():
    fk, other, passed = (result("hosp.admissions.fk.subject_id"), result("icu.icustays.fk.subject_id"),
                         result("hosp.transfers.fk.subject_id", 0, Status.PASSED))
    glob, exact, nothing = (waiver("hosp.*.fk.*", max_failing_rows=1), waiver("hosp.admissions.fk.subject_id"),
                            waiver("ed.*"))
    uses = judge_waivers([fk, other, passed], [glob, exact, nothing], {}, TODAY)
    assert fk.waiver.check == exact.check and fk.waiver.state is WaiverState.HOLDS  # not the glob's ceiling
    assert other.waiver is None and blocks(other, Severity.ERROR)
    assert passed.waiver is None  # nothing to waive
    assert [u.matched for u in uses] == [["hosp.admissions.fk.subject_id", "hosp.transfers.fk.subject_id"],
                                         ["hosp.admissions.fk.subject_id"], []]


def test_counts_junit_and_the_verdict_read_the_same_decision():
    held, expired, warn = result("hosp.patients.pk"), result("hosp.admissions.pk"), result("hosp.omr.pk",
                                                                                           severity="warning")
    judge_waivers([held, expired, warn], [waiver(held.id, TODAY + timedelta(days=30)),
                                          waiver(expired.id, TODAY - timedelta(days=1))], {}, TODAY)
    c = counts([held, expired, warn])
    assert (c["failed"], c["waived"], c["failed_by_severity"].error, c["failed_by_severity"].warning) == (3, 1, 1, 1)
    run = RunResult(tool="mimic-qa", tool_version="0", command="x", source="s", release="3.1", release_reason="r",
                    spec_version=1, started_at="2026-06-01T00:00:00+00:00", finished_at="2026-06-01T00:00:01+00:00",
                    checks=[held, expired, warn])
    verdict = ValidationResult(run, Severity.ERROR)
    assert [c.id for c in verdict.failed] == [expired.id] and not verdict.ok
    cases = {case.get("name"): case for case in ET.fromstring(junit_xml(run)).iter("testcase")}
    skipped = cases[held.id].find("skipped")
    assert skipped is not None and "waived" in skipped.get("message") and "a fix is pending" in skipped.get("message")
    failure = cases[expired.id].find("failure")
    assert failure is not None and "expired on" in failure.get("message")
    assert cases[warn.id].find("failure") is None  # below the gate, as before
