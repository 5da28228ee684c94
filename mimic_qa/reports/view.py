"""What a report shows, computed once from a ``RunResult`` and the spec; templates only lay it out.

Every check result is joined to its catalogue entry (description, module, known quirk) by id.
Nothing here reads data: results hold identifiers and counts, plus ``samples`` only when the run
was made with ``--show-values`` (and then only ``show_values`` lets them through).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mimic_qa.checks import CheckDef, build_catalog
from mimic_qa.errors import UsageError
from mimic_qa.reports import dua
from mimic_qa.reports.citations import Reference, references
from mimic_qa.results.gate import BLOCKING_STATUSES, blocking, waived
from mimic_qa.results.model import CheckResult, Comparison, LocalCheck, RunResult, Status, WaiverUse
from mimic_qa.spec.severity import Severity
from mimic_qa.spec import Spec

CATEGORIES = ("conformance", "completeness", "plausibility")
RELEASE_GROUP = "release"  # checks on the release as a whole (no table)

# Outcome of one check as a reader sees it, worst first. A failed check counts at its effective
# severity; a check that could not run is shown apart (it still blocks the gate at its severity).
OUTCOMES: dict[str, str] = {
    "error": "failed (error)",
    "not_run": "could not run",
    "warning": "warning",
    "info": "info",
    "waived": "waived",
    "passed": "passed",
    "skipped": "skipped",
}

PHI_SUMMARY_FILE = "scan-summary.json"


def outcome(check: CheckResult) -> str:
    """One of ``OUTCOMES`` for a check result (a failure under a waiver that holds is waived)."""
    if waived(check):
        return "waived"
    if check.status == Status.FAILED:
        return Severity(check.severity).value
    if check.status == Status.ERROR:
        return "not_run"
    return check.status.value


def worst(outcomes: list[str]) -> str | None:
    order = list(OUTCOMES)
    return min(outcomes, key=order.index) if outcomes else None


class PhiSummary(BaseModel):
    """The PHI scanner's ``scan-summary.json``: counts only, never the text."""

    model_config = ConfigDict(extra="ignore")

    tool_version: str | None = None
    source: str | None = None
    release: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    min_score: float | None = None
    tables_scanned: int | None = None
    columns_scanned: list[str] = []
    rows_scanned: int | None = None
    distinct_values: int | None = None
    values_analyzed: int | None = None
    findings_total: int = 0
    by_entity_type: dict[str, int] = {}
    by_table: dict[str, int] = {}


def load_phi_summary(phi_dir: Path) -> PhiSummary:
    """Read ``scan-summary.json`` from a scan-phi output folder, or a one-line usage error."""
    path = phi_dir / PHI_SUMMARY_FILE
    try:
        return PhiSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UsageError(f"no {PHI_SUMMARY_FILE} in {phi_dir} (run mimic-qa scan-phi --out {phi_dir})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise UsageError(f"{path} is not a PHI scan summary: {str(exc).splitlines()[0]}") from None


@dataclass
class CheckRow:
    """One check result with its catalogue description."""

    result: CheckResult
    outcome: str
    description: str
    quirk: str | None  # the known quirk's description, when a quirk explains the result
    samples: list[Any]  # offending values: empty unless the run was made with --show-values

    @property
    def detail(self) -> str:
        """The result's message, unless it only says the check passed; and its waiver's word, if one named it."""
        message = "" if self.result.message.strip().lower() in ("", "ok") else self.result.message
        waiver = self.result.waiver
        return f"{message} [{waiver.why}]".strip() if waiver else message

    @property
    def reference(self) -> str | None:
        """The known quirk's reference, unless the message already quotes it (it then would show twice)."""
        ref = self.result.quirk_reference
        return ref if ref and ref not in self.detail else None


@dataclass
class TableView:
    """All checks of one table (or of the release as a whole), with its row counts."""

    name: str
    module: str
    checks: list[CheckRow] = field(default_factory=list)
    observed: int | None = None
    expected: int | None = None

    @property
    def counts(self) -> Counter[str]:
        return Counter(c.outcome for c in self.checks)

    def category_cell(self, category: str) -> tuple[str | None, Counter[str]]:
        """Worst outcome and outcome counts of this table's checks in one Kahn category."""
        outcomes = [c.outcome for c in self.checks if c.result.category == category]
        return worst(outcomes), Counter(outcomes)

    @property
    def problems(self) -> list[CheckRow]:
        return [c for c in self.checks if c.outcome not in ("passed", "skipped")]


@dataclass
class WaiverRow:
    """A declared waiver and what it did in this run: the failed checks it held for, and those it did not."""

    waiver: WaiverUse
    held: list[str]
    broke: list[CheckResult]  # failed checks it names whose waiver expired or was exceeded

    @property
    def ceiling(self) -> str:
        w = self.waiver
        parts = ([f"{w.max_failing_rows:,} failing"] if w.max_failing_rows is not None else []) + \
                ([f"{w.max_failing_fraction * 100:g}% of the rows"] if w.max_failing_fraction is not None else [])
        return " and ".join(parts) or "none"


@dataclass
class LocalRow:
    """A local check of the site, with its result."""

    declared: LocalCheck
    row: CheckRow


@dataclass
class ReportView:
    """Everything a report template needs."""

    run: RunResult
    release_title: str
    release_kind: str | None
    verdict: str  # pass | fail
    fail_on: Severity  # the gate: a failure at this severity or worse fails the run
    blocking: int  # checks that fail the gate
    counts: Counter[str]
    modules: dict[str, list[TableView]]
    cite_release: str  # the release the citations are for
    references: list[Reference]
    phi: PhiSummary | None
    generated_at: str
    obligations: tuple[dua.Obligation, ...] = dua.OBLIGATIONS
    phi_address: str = dua.PHI_REPORT_ADDRESS
    agreement: str = dua.AGREEMENT
    agreement_source: str = dua.AGREEMENT_SOURCE
    license: str = dua.LICENSE
    categories: tuple[str, ...] = CATEGORIES
    waivers: list[WaiverRow] = field(default_factory=list)
    local: list[LocalRow] = field(default_factory=list)
    since: Comparison | None = None

    @property
    def tables(self) -> list[TableView]:
        return [t for group in self.modules.values() for t in group]

    @property
    def outcomes(self) -> list[str]:
        """The outcomes the report counts: ``waived`` only for a run with waivers."""
        return [o for o in OUTCOMES if o != "waived" or self.run.waivers]

    @property
    def problems(self) -> list[CheckRow]:
        rows = [c for t in self.tables for c in t.problems]
        order = list(OUTCOMES)
        return sorted(rows, key=lambda c: order.index(c.outcome))

    @property
    def duration(self) -> str | None:
        try:
            seconds = (datetime.fromisoformat(self.run.finished_at) - datetime.fromisoformat(self.run.started_at))
        except (TypeError, ValueError):
            return None
        total = seconds.total_seconds()
        if total < 60:
            return f"{total:.1f} s"
        minutes, secs = divmod(round(total), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min {secs:02d} s" if hours else f"{minutes} min {secs:02d} s"

    @property
    def synthetic(self) -> bool:
        """Was the checked copy made by ``mimic-qa synth`` (as validate records it)?"""
        return self.run.summary.synthetic

    @property
    def dua_note(self) -> str | None:
        return dua.demo_note(self.release_kind or "")


def _citation_release(spec: Spec, key: str) -> str:
    """The release to cite: the run's own (or, for a demo with no citation text, its project's default release),
    or the newest full release when the run's is not in the spec."""
    release = spec.releases.get(key)
    if release is not None and not release.citation:
        return spec.projects[release.project].default_release
    if release is not None and release.citation:
        return key
    return next(k for k in spec.validatable_releases if spec.releases[k].kind == "full")


def _waiver_row(waiver: WaiverUse, rows: dict[str, CheckRow]) -> WaiverRow:
    """The checks a waiver held for in the run, and the failed ones it named but did not hold for."""
    named = [rows[i].result for i in waiver.matched if i in rows]
    broke = [r for r in named if r.status in BLOCKING_STATUSES and not waived(r)
             and r.waiver is not None and r.waiver.check == waiver.check]
    return WaiverRow(waiver, [r.id for r in named if waived(r)], broke)


def build_view(run: RunResult, spec: Spec, *, phi: PhiSummary | None = None) -> ReportView:
    """Join results to the catalogue and group them by module and table, in spec order."""
    catalog: dict[str, CheckDef] = {c.id: c for c in build_catalog(spec)}
    local = {c.id: c for c in run.local_checks}
    rows: dict[str, CheckRow] = {}
    tables: dict[str, TableView] = {}
    for name, t in spec.tables.items():
        tables[name] = TableView(name, t.module)
    release_checks = TableView(RELEASE_GROUP, RELEASE_GROUP)

    for check in run.checks:
        entry = catalog.get(check.id)
        quirk = entry.quirk.description if entry and entry.quirk and check.quirk_reference else None
        samples = list(check.samples or []) if run.show_values else []
        description = entry.description if entry else local[check.id].description if check.id in local else ""
        row = rows[check.id] = CheckRow(check.model_copy(update={"samples": None}), outcome(check), description,
                                        quirk, samples)
        if check.table is None:
            release_checks.checks.append(row)
        else:
            module = entry.module if entry and entry.module else check.id.split(".")[0]
            tables.setdefault(check.table, TableView(check.table, module)).checks.append(row)

    for name, counts in run.row_counts.items():
        view = tables.setdefault(name, TableView(name, spec.tables[name].module if name in spec.tables else "other"))
        view.observed, view.expected = counts.get("observed"), counts.get("expected")

    modules: dict[str, list[TableView]] = defaultdict(list)
    if release_checks.checks:
        modules[RELEASE_GROUP].append(release_checks)
    for view in tables.values():
        if view.checks or view.observed is not None or view.expected is not None:
            modules[view.module].append(view)

    outcomes = Counter(c.outcome for group in modules.values() for t in group for c in t.checks)
    fail_on = run.summary.fail_on
    blocked = len(blocking(run.checks, fail_on))
    release = spec.releases.get(run.release)
    cite_release = _citation_release(spec, run.release)
    return ReportView(
        run=run.model_copy(update={"checks": []}),  # templates read run metadata; checks come grouped
        release_title=release.title if release else run.release,
        release_kind=release.kind if release else None,
        verdict="fail" if blocked else "pass",
        fail_on=fail_on,
        blocking=blocked,
        counts=outcomes,
        modules=dict(modules),
        cite_release=cite_release,
        references=references(spec, [_citation_release(spec, k) for k in (run.releases or {"": run.release}).values()]),
        phi=phi,
        generated_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        waivers=[_waiver_row(w, rows) for w in run.waivers],
        local=[LocalRow(d, rows[d.id]) for d in run.local_checks if d.id in rows],
        since=run.history.since_last_run if run.history else None,
    )

