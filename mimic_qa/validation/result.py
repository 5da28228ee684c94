"""Stage 6: the run record, and the CI-gate verdict ``mimic_qa.validate()`` returns with it.

The stages record what they found, whatever the gate; the verdict at ``fail_on`` is given here, by the one gate
rule (``mimic_qa.results.gate``), and written into the record's summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from mimic_qa.results import CheckResult, RunResult, Status
from mimic_qa.results.gate import blocking, failing, waived
from mimic_qa.results.model import RunSummary, SeverityCounts
from mimic_qa.selection import gate_level
from mimic_qa.spec.severity import Severity
from mimic_qa.sources.release import Expectation, detect_release
from mimic_qa.spec import Spec
from mimic_qa.version import __version__


class ValidationFailed(Exception):
    """Raised by ``ValidationResult.raise_for_failures`` (message: ids and counts only)."""


def counts(checks: list[CheckResult]) -> dict[str, Any]:
    """Results by outcome, failures (or checks not run) by severity less those a waiver holds for, and those."""
    by_status = Counter(c.status.value for c in checks)
    by_severity = Counter(Severity(c.severity).value for c in checks if failing(c))
    return {"total": len(checks), **{s.value: by_status.get(s.value, 0) for s in Status},
            "failed_by_severity": SeverityCounts(**{s.value: by_severity.get(s.value, 0) for s in Severity}),
            "waived": sum(waived(c) for c in checks)}


def run_record(spec: Spec, checks: list[CheckResult], expectation: Expectation, rows: dict[str, int | None],
               selected: list[str], *, command: str | None, shown: str, source_kind: str, started: str,
               finished: str, seconds: float, show_values: bool, notes: list[str], tables_loaded: int) -> RunResult:
    """What the run found, for JSON, JUnit and the reports (no gate: that is the ``ValidationResult``'s)."""
    mismatches = {} if expectation.synthetic else \
        {chosen: found for chosen in expectation.releases.values()
         if (found := detect_release(spec, dict(rows), chosen)) is not None}
    notes = [*notes, *(f"this copy looks like {spec.releases[found].title}, not {spec.release(chosen).title}"
                       for chosen, found in mismatches.items())]
    detected = next(iter(mismatches.values()), None)
    return RunResult(
        tool="mimic-qa", tool_version=__version__, command=command or "mimic_qa.validate(...)", source=shown,
        release=expectation.release, releases=dict(expectation.releases), release_reason=expectation.reason,
        spec_version=spec.spec_version,
        started_at=started, finished_at=finished, show_values=show_values, detected_release=detected, notes=notes,
        row_counts={t: {"observed": rows.get(t), "expected": expectation.row_counts[t]} for t in selected},
        checks=checks,
        summary=RunSummary(**counts(checks), duration_seconds=round(seconds, 2), source_kind=source_kind,
                           synthetic=expectation.synthetic, tables_loaded=tables_loaded),
    )


@dataclass
class ValidationResult:
    """A finished validation: the run record plus the gate verdict at ``fail_on`` (also written into the
    record's summary, so the JSON, JUnit and the reports say which gate it passed or failed)."""

    run: RunResult
    fail_on: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        self.fail_on = gate_level(self.fail_on)
        self.run.summary.fail_on = self.fail_on
        self.run.summary.ok = self.ok

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> list[CheckResult]:
        """Checks that fail the gate (failed or could not run, at or above ``fail_on``)."""
        return blocking(self.run.checks, self.fail_on)

    @property
    def warnings(self) -> list[CheckResult]:
        return [c for c in self.run.checks if c.status is Status.FAILED and c.severity == "warning"]

    def raise_for_failures(self) -> None:
        """Raise ``ValidationFailed`` naming the failing check ids, for pipelines and notebooks."""
        if self.failed:
            ids = ", ".join(c.id for c in self.failed[:10])
            more = f" and {len(self.failed) - 10} more" if len(self.failed) > 10 else ""
            raise ValidationFailed(f"{len(self.failed)} checks failed at {self.fail_on} or above: {ids}{more}")
