"""``validate --reuse RESULTS.json``: the earlier run's verdict stands for what has not changed since.

Each table's fingerprint (``mimic_qa.sources.fingerprint``) is compared with the one the earlier results recorded. A
check is reused when neither its table nor the table its relationship names (``ref_table``: references, identities,
time windows) changed, unless it could not run (an engine error may not recur); the checks of the whole release are
reused only when nothing changed. The earlier run stands for this one only if it was made the same way: the same
tool and spec versions, releases, kind of source, ``--checks`` mode and ``--show-values``. A release folder is all
or nothing: any changed file and every check runs again (its files are parsed whole anyway).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.checks.definition import CheckDef
from mimic_qa.results import CheckResult, RunResult, Status
from mimic_qa.results.io import load_results
from mimic_qa.results.model import Reuse, TableFingerprint
from mimic_qa.sources.fingerprint import Fingerprint
from mimic_qa.spec import Spec
from mimic_qa.version import __version__


@dataclass
class Plan:
    """What an earlier run lends this one: its results for the checks nothing changed under, by id."""

    record: Reuse
    earlier: RunResult | None = None
    reused: dict[str, CheckResult] = field(default_factory=dict)

    def complete(self, catalog: list[CheckDef]) -> bool:
        """Every check of the catalogue reused: nothing needs the source beyond its fingerprints."""
        return bool(catalog) and all(c.id in self.reused for c in catalog)

    def observed_rows(self, tables: list[str]) -> dict[str, int | None]:
        """The rows the earlier run counted in the reused tables (unchanged since)."""
        earlier = self.earlier.row_counts if self.earlier else {}
        return {t: earlier[t].get("observed") for t in tables if t in self.record.tables_reused and t in earlier}


def merged(catalog: list[CheckDef], reused: Mapping[str, CheckResult], fresh: list[CheckResult]) -> list[CheckResult]:
    """The run's results in catalogue order, each reused or fresh; then the fresh ones beyond the catalogue (the
    site's local checks)."""
    by_id = {c.id: c for c in fresh}
    return [reused.get(c.id) or by_id.pop(c.id) for c in catalog] + list(by_id.values())


def read_earlier(path: Path) -> RunResult | None:
    """The earlier results (None: no such file yet, as on a CI gate's first run); a usage error if unreadable."""
    return load_results(path) if path.exists() else None


def recorded(fingerprints: Mapping[str, Fingerprint]) -> dict[str, TableFingerprint]:
    """The fingerprints as the results model holds them."""
    return {t: TableFingerprint(method=f.method, value=f.value, rows=f.rows) for t, f in fingerprints.items()}


def changed_tables(tables: list[str], now: Mapping[str, Fingerprint],
                   before: Mapping[str, TableFingerprint]) -> list[str]:
    """Tables whose fingerprint differs (a table absent both times is unchanged; one fingerprinted only once is not)."""
    def same(t: str) -> bool:
        earlier = before.get(t)
        if now.get(t) is None or earlier is None:
            return now.get(t) is None and earlier is None
        return now[t].same(Fingerprint(earlier.method, earlier.value))
    return [t for t in tables if not same(t)]


def _mismatch(earlier: RunResult, now: dict[str, object]) -> str | None:
    """Why the earlier run cannot stand for this one, or None."""
    then = {"tool version": earlier.tool_version, "spec version": earlier.spec_version,
            "releases": dict(earlier.releases), "kind of source": earlier.summary.source_kind,
            "--checks mode": earlier.checks_mode, "--show-values": earlier.show_values}
    differ = [what for what, value in then.items() if now[what] != value]
    return f"the earlier run differs in: {', '.join(differ)}" if differ else None


def earlier_fingerprints(earlier: RunResult | None, database_sha256: str | None) -> dict[str, Fingerprint]:
    """The earlier run's fingerprints when it validated the very same database file (none otherwise)."""
    if earlier is None or database_sha256 is None or earlier.database_sha256 != database_sha256:
        return {}
    return {t: Fingerprint(f.method, f.value, f.rows) for t, f in earlier.fingerprints.items()}


def plan_reuse(path: Path, earlier: RunResult | None, spec: Spec, catalog: list[CheckDef], tables: list[str],
               fingerprints: Mapping[str, Fingerprint], *, releases: Mapping[str, str], source_kind: str,
               checks_mode: str, show_values: bool, whole: bool) -> Plan:
    """Which of the catalogue's checks the ``earlier`` results (read from ``path``) answer (``whole``: all or
    none)."""
    record = Reuse(results=str(path))
    if earlier is None:
        record.reason = "no earlier results yet: every check ran"
        return Plan(record)
    record.earlier_started_at = earlier.started_at
    now = {"tool version": __version__, "spec version": spec.spec_version, "releases": dict(releases),
           "kind of source": source_kind, "--checks mode": checks_mode, "--show-values": show_values}
    reason = _mismatch(earlier, now)
    if reason is None and not fingerprints:
        reason = f"no fingerprints on {source_kind}"
    if reason is None and not earlier.fingerprints:
        reason = "the earlier results record no fingerprints"
    changed = changed_tables(tables, fingerprints, earlier.fingerprints)
    record.tables_changed = changed
    if reason is None and whole and changed:
        reason = "a release folder is checked again whole when a file changed"
    if reason is not None:
        record.reason = reason
        return Plan(record, earlier)
    record.tables_reused = [t for t in tables if t not in changed]
    before = {c.id: c for c in earlier.checks}
    reused: dict[str, CheckResult] = {}
    for check in catalog:
        needs = set(tables) if check.table is None else {check.table, check.params.get("ref_table")} - {None}
        if check.id in before and before[check.id].status is not Status.ERROR and not needs & set(changed):
            reused[check.id] = before[check.id].model_copy(update={"reused": True, "waiver": None})
    return Plan(record, earlier, reused)
