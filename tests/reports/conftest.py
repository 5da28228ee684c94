"""Run results built from the check catalogue: a clean run and a damaged one (with a planted canary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mimic_qa.checks import build_catalog
from mimic_qa.results.model import CheckResult, RunResult, Status
from mimic_qa.spec import load_spec

CANARY = "<b>CANARY-7f3e</b> & 'x'"  # a "data value": must never reach a report unless --show-values

# Damage for the damaged run: check id -> (status, failing rows, message); messages hold counts only.
DAMAGE: dict[str, tuple[Status, int | None, str]] = {
    "hosp.admissions.fk.subject_id": (Status.FAILED, 3, "3 rows reference no patient"),
    "hosp.patients.row_count": (Status.FAILED, 2, "98 rows, expected 100"),
    "hosp.patients.domain.gender": (Status.FAILED, 1, "1 row outside the domain"),
    "icu.icustays.rule.intime_le_outtime": (Status.FAILED, 4, "4 rows violate the rule"),
    "hosp.labevents.file.readable": (Status.ERROR, None, "gzip stream ends early"),
}
CANARY_CHECK = "hosp.patients.domain.gender"
SKIPPED_TABLE = "caregiver"


def quirk_warnings(release: str) -> dict[str, int]:
    """Known quirks of a release as (check id -> failing rows): warnings, not errors."""
    return {q.check: int(str(q.rows[release]).lstrip("<")) for q in load_spec().quirks if release in q.rows}


def make_run(release: str = "3.1", *, damaged: bool = False, show_values: bool = False) -> RunResult:
    """A RunResult over the whole catalogue: all passed, plus known-quirk warnings, plus DAMAGE if asked."""
    spec = load_spec()
    expected = spec.release(release).row_counts
    quirks = quirk_warnings(release)
    checks: list[CheckResult] = []
    for c in build_catalog(spec):
        status, rows, message, severity, ref = Status.PASSED, 0, "ok", c.severity, None
        samples = None
        if c.id in quirks and c.quirk is not None:
            status, rows, severity, ref = Status.FAILED, quirks[c.id], "warning", c.quirk.reference
            message = f"{rows} rows violate the rule (known quirk, tolerated)"
        if damaged and c.id in DAMAGE:
            status, rows, message = DAMAGE[c.id]
            if c.id == CANARY_CHECK:
                samples = [CANARY]
        if damaged and c.table == SKIPPED_TABLE:
            status, rows, message = Status.SKIPPED, None, "table missing"
        checks.append(CheckResult(id=c.id, table=c.table, kind=c.kind, category=c.category, severity=severity,
                                  status=status, failing_rows=rows, message=message, quirk_reference=ref,
                                  engine="sql", samples=samples))
    row_counts: dict[str, dict[str, int | None]] = {t: {"observed": n, "expected": n} for t, n in expected.items()}
    if damaged:
        row_counts["patients"]["observed"] = expected["patients"] - 2
        row_counts[SKIPPED_TABLE]["observed"] = None
    return RunResult(tool="mimic-qa", tool_version="0.1.0",
                     command=f"mimic-qa validate /data/mimic --release {release} --report-dir out",
                     source="/data/mimic", release=release, release_reason="given with --release", spec_version=1,
                     started_at="2026-11-27T10:00:00+00:00", finished_at="2026-11-27T10:03:25.500000+00:00",
                     show_values=show_values, summary={"fail_on": "error"}, row_counts=row_counts, checks=checks)


@pytest.fixture(scope="session")
def clean_run() -> RunResult:
    return make_run("3.1")


@pytest.fixture(scope="session")
def damaged_run() -> RunResult:
    return make_run("demo-2.2", damaged=True)


@pytest.fixture
def phi_dir(tmp_path: Path) -> Path:
    """A scan-phi output folder with its counts-only summary."""
    d = tmp_path / "phi"
    d.mkdir()
    (d / "scan-summary.json").write_text(json.dumps({
        "tool_version": "0.1.0", "source": "/data/mimic", "release": "demo-2.2",
        "started_at": "2026-11-27T10:05:00+00:00", "finished_at": "2026-11-27T10:06:00+00:00", "min_score": 0.5,
        "tables_scanned": 2, "columns_scanned": ["labevents.comments", "microbiologyevents.comments"],
        "rows_scanned": 12345, "distinct_values": 678, "values_analyzed": 678, "findings_total": 7,
        "by_entity_type": {"PERSON": 4, "PHONE_NUMBER": 3}, "by_table": {"labevents": 5, "microbiologyevents": 2},
    }))
    return d
