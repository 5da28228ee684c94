"""Stage 6: the run record, and the CI-gate verdict ``mimic_qa.validate()`` returns with it.

The gate (``fail_on``) is applied here only: the stages record what they found, whatever the gate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mimic_qa.version import __version__
from mimic_qa.results import CheckResult, RunResult, Status
from mimic_qa.spec import Spec
from mimic_qa.spec.models import SEVERITY_RANK, Severity
from mimic_qa.sources.release import Expectation, detect_release


class ValidationFailed(Exception):
    """Raised by ``ValidationResult.raise_for_failures`` (message: ids and counts only)."""


def is_blocking(check: CheckResult, fail_on: Severity) -> bool:
    """Does this result fail a gate set at ``fail_on``?"""
    return check.status in (Status.FAILED, Status.ERROR) and SEVERITY_RANK[check.severity] >= SEVERITY_RANK[fail_on]


def counts(checks: list[CheckResult]) -> dict[str, object]:
    """Results by outcome, and failures by severity."""
    by_status = Counter(c.status.value for c in checks)
    by_severity = Counter(c.severity for c in checks if c.status in (Status.FAILED, Status.ERROR))
    return {"total": len(checks), **{s.value: by_status.get(s.value, 0) for s in Status},
            "failed_by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")}}


def run_record(spec: Spec, checks: list[CheckResult], expectation: Expectation, rows: dict[str, int | None],
               selected: list[str], *, command: str | None, shown: str, source_kind: str, started: str,
               finished: str, seconds: float, show_values: bool, notes: list[str], tables_loaded: int) -> RunResult:
    """What the run found, for JSON, JUnit and the reports (no gate: that is the ``ValidationResult``'s)."""
    detected = None if expectation.synthetic else detect_release(spec, dict(rows), expectation.release)
    if detected:
        looks_like = f"this copy looks like {spec.releases[detected].title}, not {spec.release(expectation.release).title}"
        notes = [*notes, looks_like]
    return RunResult(
        tool="mimic-qa", tool_version=__version__, command=command or "mimic_qa.validate(...)", source=shown,
        release=expectation.release, release_reason=expectation.reason, spec_version=spec.spec_version,
        started_at=started, finished_at=finished, show_values=show_values, detected_release=detected, notes=notes,
        row_counts={t: {"observed": rows.get(t), "expected": expectation.row_counts[t]} for t in selected},
        checks=checks,
        summary={**counts(checks), "duration_seconds": round(seconds, 2), "source_kind": source_kind,
                 "synthetic": expectation.synthetic, "tables_loaded": tables_loaded},
    )


@dataclass
class ValidationResult:
    """A finished validation: the run record plus the gate verdict at ``fail_on`` (also written into the
    record's summary, so the JSON says which gate it passed or failed)."""

    run: RunResult
    fail_on: Severity = "error"

    def __post_init__(self) -> None:
        self.run.summary.update(fail_on=self.fail_on, ok=self.ok)

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
