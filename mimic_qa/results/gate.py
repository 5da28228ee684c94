"""The CI gate, decided in one place: a check blocks a run judged at ``fail_on`` when it failed or could not run
at that severity or worse. The validation result, JUnit, the reports and the CLI all ask here."""

from __future__ import annotations

from collections.abc import Iterable

from mimic_qa.results.model import CheckResult, Status
from mimic_qa.spec.severity import Severity

# a check that could not run blocks like a failed one: nothing says the copy is fine
BLOCKING_STATUSES = (Status.FAILED, Status.ERROR)


def blocks(check: CheckResult, fail_on: Severity) -> bool:
    """Does this result fail a gate set at ``fail_on``?"""
    return check.status in BLOCKING_STATUSES and Severity(check.severity).reaches(fail_on)


def blocking(checks: Iterable[CheckResult], fail_on: Severity) -> list[CheckResult]:
    """The results that fail the gate, in their order."""
    return [c for c in checks if blocks(c, fail_on)]
