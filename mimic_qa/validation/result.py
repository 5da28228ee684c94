"""The typed result ``mimic_qa.validate()`` returns, with the CI-gate verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mimic_qa.results import CheckResult, RunResult, Status
from mimic_qa.spec.models import SEVERITY_RANK, Severity


class ValidationFailed(Exception):
    """Raised by ``ValidationResult.raise_for_failures`` (message: ids and counts only)."""


def is_blocking(check: CheckResult, fail_on: Severity) -> bool:
    """Does this result fail a gate set at ``fail_on``?"""
    return check.status in (Status.FAILED, Status.ERROR) and SEVERITY_RANK[check.severity] >= SEVERITY_RANK[fail_on]


def summarize(checks: list[CheckResult], fail_on: Severity) -> dict[str, object]:
    by_status = Counter(c.status.value for c in checks)
    failing = [c for c in checks if c.status in (Status.FAILED, Status.ERROR)]
    by_severity = Counter(c.severity for c in failing)
    return {
        "total": len(checks),
        **{s.value: by_status.get(s.value, 0) for s in Status},
        "failed_by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "fail_on": fail_on,
        "ok": not any(is_blocking(c, fail_on) for c in checks),
    }


@dataclass
class ValidationResult:
    """A finished validation: the run record plus the gate verdict at ``fail_on``."""

    run: RunResult
    fail_on: Severity = "error"

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> list[CheckResult]:
        """Checks that fail the gate (failed or could not run, at or above ``fail_on``)."""
        return [c for c in self.run.checks if is_blocking(c, self.fail_on)]

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.run.checks if c.status is Status.FAILED and c.severity == "warning"]

    def raise_for_failures(self) -> None:
        """Raise ``ValidationFailed`` naming the failing check ids, for pipelines and notebooks."""
        if self.failed:
            ids = ", ".join(c.id for c in self.failed[:10])
            more = f" and {len(self.failed) - 10} more" if len(self.failed) > 10 else ""
            raise ValidationFailed(f"{len(self.failed)} checks failed at {self.fail_on} or above: {ids}{more}")
