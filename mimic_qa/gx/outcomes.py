"""Turn one GX expectation result into a ``CheckResult``: counts and identifiers only, never data values."""

from __future__ import annotations

from typing import Any

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds import kind
from mimic_qa.results import CheckResult, Status

ENGINE = "gx"


def result_for(check: CheckDef, status: Status, message: str, failing_rows: int | None = None) -> CheckResult:
    """A CheckResult carrying the catalogue's severity and category (quirk tolerances are the caller's)."""
    return CheckResult(id=check.id, table=check.table, kind=check.kind, category=check.category,
                       severity=check.severity, status=status, failing_rows=failing_rows, message=message,
                       engine=ENGINE)


def _raised(exception_info: Any) -> bool:
    """GX reports an exception either flat or per failed metric."""
    if not isinstance(exception_info, dict):
        return False
    if "raised_exception" in exception_info:
        return bool(exception_info["raised_exception"])
    return any(isinstance(v, dict) and v.get("raised_exception") for v in exception_info.values())


def outcome(check: CheckDef, expectation: dict[str, Any], success: bool | None, result: dict[str, Any],
            exception_info: Any, rows: int | None = None) -> CheckResult:
    """Map a GX result (SUMMARY format) to a CheckResult with the kind's own count and message."""
    observed = result.get("observed_value")
    if _raised(exception_info) or success is None or observed is None:
        return result_for(check, Status.ERROR, "GX could not evaluate this expectation on the database "
                                                "(a query or metric failed).")
    failing, message = kind(check.kind).gx_outcome(check, expectation.get("kwargs", {}), observed, rows)
    return result_for(check, Status.FAILED if failing else Status.PASSED, message, failing)
