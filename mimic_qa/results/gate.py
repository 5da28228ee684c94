"""The CI gate, decided in one place: a check blocks a run judged at ``fail_on`` when it failed or could not run
at that severity or worse, unless a site's waiver of it holds. The validation result, JUnit, the reports and the
CLI all ask here.

A waiver (``[[waivers]]`` in mimic-qa.toml) names a check id or a glob of ids. It holds for a failed check (or one
that could not run) until its expiry date and up to its ceiling of failing rows; past either it no longer holds
and the check blocks like any other, its result saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from fnmatch import fnmatchcase

from mimic_qa.results.model import AppliedWaiver, CheckResult, Status, Waiver, WaiverState, WaiverUse
from mimic_qa.spec.severity import Severity

# a check that could not run blocks like a failed one: nothing says the copy is fine
BLOCKING_STATUSES = (Status.FAILED, Status.ERROR)


def waived(check: CheckResult) -> bool:
    """Does a waiver that holds cover this result?"""
    return check.waiver is not None and check.waiver.state is WaiverState.HOLDS


def blocks(check: CheckResult, fail_on: Severity) -> bool:
    """Does this result fail a gate set at ``fail_on``?"""
    return check.status in BLOCKING_STATUSES and Severity(check.severity).reaches(fail_on) and not waived(check)


def blocking(checks: Iterable[CheckResult], fail_on: Severity) -> list[CheckResult]:
    """The results that fail the gate, in their order."""
    return [c for c in checks if blocks(c, fail_on)]


def failing(check: CheckResult) -> bool:
    """Failed or could not run, and not waived: what the counts by severity count."""
    return check.status in BLOCKING_STATUSES and not waived(check)


def matches(waiver: Waiver, check_id: str) -> bool:
    return fnmatchcase(check_id, waiver.check)


def _percent(share: float) -> str:
    return f"{share * 100:.4f}".rstrip("0").rstrip(".") + "%"


def _state(waiver: Waiver, check: CheckResult, table_rows: int | None, today: date) -> tuple[WaiverState, str]:
    """Whether ``waiver`` holds for the failed ``check`` on ``today``, and why, in words (counts only)."""
    if waiver.expires < today:
        return WaiverState.EXPIRED, f"waiver expired on {waiver.expires.isoformat()}: blocks like the check"
    failed = check.failing_rows
    if waiver.max_failing_rows is not None or waiver.max_failing_fraction is not None:
        if failed is None:
            return WaiverState.EXCEEDED, "the waiver's ceiling cannot be checked: the check counted no rows"
        if waiver.max_failing_rows is not None and failed > waiver.max_failing_rows:
            return WaiverState.EXCEEDED, (f"{failed:,} failing exceed the waiver's ceiling of "
                                          f"{waiver.max_failing_rows:,}: blocks like the check")
        if waiver.max_failing_fraction is not None:
            if not table_rows:
                return WaiverState.EXCEEDED, "the waiver's ceiling cannot be checked: the table's rows are not known"
            if failed / table_rows > waiver.max_failing_fraction:
                return WaiverState.EXCEEDED, (f"{failed:,} failing of {table_rows:,} rows ({_percent(failed / table_rows)}) "
                                              f"exceed the waiver's ceiling of {_percent(waiver.max_failing_fraction)}: "
                                              "blocks like the check")
    return WaiverState.HOLDS, f"waived until {waiver.expires.isoformat()} ({waiver.owner}): {waiver.reason}"


def judge_waivers(checks: Iterable[CheckResult], waivers: Iterable[Waiver], table_rows: Mapping[str, int | None],
                  today: date) -> list[WaiverUse]:
    """Record on each failed check (or one that could not run) the waiver naming it, and whether it holds on
    ``today``: a waiver naming the id exactly first, else the first glob that matches. Returns each waiver with
    the ids it matched."""
    uses = [WaiverUse(**w.model_dump()) for w in waivers]
    for check in checks:
        named = [u for u in uses if matches(u, check.id)]
        for use in named:
            use.matched.append(check.id)
        if not named or check.status not in BLOCKING_STATUSES:
            continue
        waiver = next((u for u in named if u.check == check.id), named[0])
        state, why = _state(waiver, check, table_rows.get(check.table or ""), today)
        check.waiver = AppliedWaiver(check=waiver.check, reason=waiver.reason, owner=waiver.owner,
                                     expires=waiver.expires, state=state, why=why)
    return uses
