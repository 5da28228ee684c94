"""Turn one GX expectation result into a ``CheckResult``: counts and identifiers only, never data values."""

from __future__ import annotations

from typing import Any

from mimic_qa.checks.header import compare_header
from mimic_qa.results import CheckResult, Status
from mimic_qa.spec import CheckDef

ENGINE = "gx"


def result_for(check: CheckDef, status: Status, message: str, failing_rows: int | None = None) -> CheckResult:
    """A CheckResult carrying the catalogue's severity and category (quirk tolerances are the caller's)."""
    return CheckResult(id=check.id, table=check.table, kind=check.kind, category=check.category,
                       severity=check.severity, status=status, failing_rows=failing_rows, message=message,
                       engine=ENGINE)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 row`` / ``2,000 rows``."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def _cols(columns: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(columns) + ")"


def _columns_outcome(check: CheckDef, expected: list[str], observed: list[str]) -> CheckResult:
    found = compare_header(expected, observed)
    n = found.differences
    if n == 0:
        return result_for(check, Status.PASSED, f"The table has the spec's {len(expected)} columns in order.", 0)
    return result_for(check, Status.FAILED, f"{_count(n, 'column difference')} from the spec; {found.columns_message()}.", n)


def _row_count_outcome(check: CheckDef, expected: int, observed: int) -> CheckResult:
    diff = abs(observed - expected)
    if diff == 0:
        return result_for(check, Status.PASSED, f"{_count(observed, 'row')}, as expected.", 0)
    return result_for(check, Status.FAILED, f"{_count(observed, 'row')}; expected {expected:,} (difference {diff:,}).", diff)


def _count_outcome(check: CheckDef, n: int) -> CheckResult:
    key = _cols(check.columns)
    if check.kind == "fk":
        ref = f"{check.params['ref_table']}{_cols(check.params['ref_columns'])}"
        if n == 0:
            return result_for(check, Status.PASSED, f"Every non-NULL {key} has a row in {ref}.", 0)
        return result_for(check, Status.FAILED, f"{_count(n, 'row')} with a {key} that has no row in {ref} (orphans).", n)
    what = "primary key" if check.kind == "pk" else "candidate key"
    if n == 0:
        never_null = " and never NULL" if check.kind == "pk" else ""
        return result_for(check, Status.PASSED, f"The {what} {key} is unique{never_null}.", 0)
    problem = "duplicated or NULL" if check.kind == "pk" else "duplicated"
    return result_for(check, Status.FAILED, f"{_count(n, 'key value')} of the {what} {key} "
                                            f"{'is' if n == 1 else 'are'} {problem} "
                                            "(failing rows counts key values, not rows).", n)


def _raised(exception_info: Any) -> bool:
    """GX reports an exception either flat or per failed metric."""
    if not isinstance(exception_info, dict):
        return False
    if "raised_exception" in exception_info:
        return bool(exception_info["raised_exception"])
    return any(isinstance(v, dict) and v.get("raised_exception") for v in exception_info.values())


def outcome(check: CheckDef, expectation: dict[str, Any], success: bool | None, result: dict[str, Any],
            exception_info: Any) -> CheckResult:
    """Map a GX result (SUMMARY format) for one of the validate kinds to a CheckResult."""
    observed = result.get("observed_value")
    if _raised(exception_info) or success is None or observed is None:
        return result_for(check, Status.ERROR, "GX could not evaluate this expectation on the database "
                                                "(a query or metric failed).")
    kwargs = expectation.get("kwargs", {})
    if check.kind == "columns":
        return _columns_outcome(check, list(kwargs.get("column_list", [])), [str(c) for c in observed])
    if check.kind == "row_count":
        return _row_count_outcome(check, int(kwargs["value"]), int(observed))
    return _count_outcome(check, int(observed))
