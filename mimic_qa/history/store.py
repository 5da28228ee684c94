"""A history folder (``--history DIR``): one small JSON file per validation run, and the runs compared.

Each file keeps what a run found, never a value: check ids with their status, severity, failing rows and waiver
state; observed rows per table; the run's times, release and source; the source's fingerprint where validate
records one. Files are written atomically under names of their own, so runs kept at once do not collide.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mimic_qa.errors import UsageError
from mimic_qa.results.gate import BLOCKING_STATUSES, waived
from mimic_qa.results.io import write_atomic
from mimic_qa.results.model import (CheckChange, Comparison, RowChange, RunHistory, RunRef, RunResult, Status,
                                    TrendPoint)
from mimic_qa.spec.severity import Severity, SeverityField

FORMAT = 1
RUNS = "runs"  # the folder's subfolder of run files
TREND_RUNS = 12  # runs a report's trend pictures show


class KeptCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str | None = None  # None: a check of the whole release
    status: Status
    severity: SeverityField
    failing_rows: int | None = None
    waived: bool = False


class KeptRun(BaseModel):
    """One run as a history folder keeps it (identifiers and counts only)."""

    model_config = ConfigDict(extra="forbid")

    format: int = FORMAT
    id: str
    started_at: str
    finished_at: str
    duration_seconds: float
    tool_version: str
    spec_version: int
    command: str
    source: str
    source_kind: str
    release: str
    releases: dict[str, str] = Field(default_factory=dict)
    fingerprint: str | None = None  # the source's content fingerprint (RunResult.fingerprint)
    fail_on: Severity
    ok: bool | None
    rows: dict[str, int | None] = Field(default_factory=dict)
    checks: dict[str, KeptCheck] = Field(default_factory=dict)

    @property
    def ref(self) -> RunRef:
        return RunRef(id=self.id, started_at=self.started_at, release=self.release, releases=self.releases,
                      source=self.source, ok=self.ok, fingerprint=self.fingerprint)

    def failing(self) -> dict[str, KeptCheck]:
        """Checks that failed or could not run (waived or not)."""
        return {i: c for i, c in self.checks.items() if c.status in BLOCKING_STATUSES}

    def failing_per_table(self, blocking: bool = False) -> dict[str, int]:
        """Per table, its checks that failed or could not run (``blocking``: those that failed the run's gate)."""
        per: dict[str, int] = {t: 0 for t in self.rows}
        for check in self.failing().values():
            if check.table is None:
                continue
            blocks = not check.waived and Severity(check.severity).reaches(self.fail_on)
            per[check.table] = per.get(check.table, 0) + (blocks or not blocking)
        return per


def _run_id(started_at: str) -> str:
    """``20261127T100000Z-3f9a``: sortable by time, unique among runs kept at once."""
    stamp = datetime.fromisoformat(started_at).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(2)}"


def kept(run: RunResult) -> KeptRun:
    s = run.summary
    return KeptRun(
        id=_run_id(run.started_at), started_at=run.started_at, finished_at=run.finished_at,
        duration_seconds=s.duration_seconds, tool_version=run.tool_version, spec_version=run.spec_version,
        command=run.command, source=run.source, source_kind=s.source_kind, release=run.release,
        releases=dict(run.releases), fingerprint=run.fingerprint, fail_on=s.fail_on, ok=s.ok,
        rows={t: counts.get("observed") for t, counts in run.row_counts.items()},
        checks={c.id: KeptCheck(table=c.table, status=c.status, severity=c.severity, failing_rows=c.failing_rows,
                                waived=waived(c)) for c in run.checks})


def load_runs(folder: Path) -> list[KeptRun]:
    """The runs kept in ``folder``, oldest first (a missing folder holds none; an unreadable file is an error)."""
    runs_dir = Path(folder) / RUNS
    if Path(folder).exists() and not Path(folder).is_dir():
        raise UsageError(f"{folder} is not a history folder")
    runs = []
    for path in sorted(runs_dir.glob("*.json")) if runs_dir.is_dir() else []:
        try:
            runs.append(KeptRun.model_validate_json(path.read_bytes()))
        except (OSError, ValidationError) as exc:
            raise UsageError(f"{path}: not a run kept by mimic-qa ({type(exc).__name__})") from None
    return sorted(runs, key=lambda r: (r.started_at, r.id))


def _change(check_id: str, before: KeptCheck | None, after: KeptCheck | None) -> CheckChange:
    latest = after or before
    assert latest is not None
    return CheckChange(id=check_id, severity=latest.severity, before=before.failing_rows if before else None,
                       after=after.failing_rows if after else None)


def compare(before: KeptRun, after: KeptRun) -> Comparison:
    """What changed from ``before`` to ``after``: checks newly failing, fixed (failing, then passed) and still
    failing, and the tables whose observed rows differ; runs of different releases are compared with that said."""
    was, now = before.failing(), after.failing()
    same = (before.releases or {"": before.release}) == (after.releases or {"": after.release})
    note = None if same else (f"the runs were checked against different releases ({before.release}, then "
                              f"{after.release}): row counts and checks differ by release")
    return Comparison(
        before=before.ref, after=after.ref, same_release=same, note=note,
        newly_failing=[_change(i, before.checks.get(i), now[i]) for i in sorted(set(now) - set(was))],
        fixed=[_change(i, was[i], after.checks[i]) for i in sorted(set(was) - set(now))
               if i in after.checks and after.checks[i].status is Status.PASSED],
        still_failing=[_change(i, was[i], now[i]) for i in sorted(set(was) & set(now))],
        row_changes=[RowChange(table=t, before=before.rows.get(t), after=after.rows.get(t))
                     for t in dict.fromkeys([*after.rows, *before.rows])
                     if before.rows.get(t) != after.rows.get(t)])


def trend(runs: list[KeptRun]) -> list[TrendPoint]:
    return [TrendPoint(run=r.id, started_at=r.started_at, release=r.release, rows=dict(r.rows),
                       failing=r.failing_per_table(), blocking=r.failing_per_table(blocking=True)) for r in runs]


def keep_run(run: RunResult, folder: Path) -> RunHistory:
    """Keep ``run`` in ``folder`` and say how it compares with the run kept before it."""
    before = load_runs(folder)
    this = kept(run)
    write_atomic(folder / RUNS / f"{this.id}.json", this.model_dump_json(indent=1).encode("utf-8"))
    runs = [*before, this]
    return RunHistory(folder=str(folder), run=this.id, runs_kept=len(runs),
                      since_last_run=compare(before[-1], this) if before else None,
                      trend=trend(runs[-TREND_RUNS:]))


def find_run(runs: list[KeptRun], ref: str) -> KeptRun:
    """A run by its number in the listing (1 = oldest; -1 = latest) or by (the start of) its id."""
    try:
        n = int(ref)
    except ValueError:
        found = [r for r in runs if r.id.startswith(ref)]
        if len(found) != 1:
            raise UsageError(f"{'no run' if not found else 'several runs'} with an id starting {ref!r}") from None
        return found[0]
    if not runs or not (1 <= n <= len(runs) or -len(runs) <= n <= -1):
        raise UsageError(f"no run number {n}: the folder keeps {len(runs)} run(s)")
    return runs[n - 1 if n > 0 else n]

