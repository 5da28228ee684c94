"""The results model: one ``CheckResult`` per check id, gathered in a ``RunResult``.

Results hold identifiers and counts only. ``message`` is built from check metadata and counts,
never from data values, unless the run was made with ``show_values`` (then ``samples`` may hold
offending values and the JSON says so). The attribute docstrings are the field reference of the JSON
output (``docs/json-output.md``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mimic_qa.spec.severity import Severity, SeverityField
from mimic_qa.spec.models import Category


class Status(str, Enum):
    """passed; failed; error: the check could not run (unreadable file, query error); skipped: not applicable
    (table missing or not selected, no SHA256SUMS.txt)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class _Model(BaseModel):
    # the docstrings document the JSON fields; every field is written, defaults included
    model_config = ConfigDict(use_attribute_docstrings=True, json_schema_serialization_defaults_required=True)


class CheckResult(_Model):
    """The outcome of one check."""

    id: str
    """The check id, e.g. hosp.labevents.fk.itemid (docs/checks.md has one entry per id)."""
    table: str | None
    """The table checked (None: the release as a whole)."""
    kind: str
    """The check kind: file.present, columns, type, not_null, pk, fk, identity, domain, rule, row_count, ..."""
    category: Category
    severity: SeverityField
    """Effective severity: a failure explained by a known quirk is a warning."""
    status: Status
    failing_rows: int | None = None
    """Rows (or values, files) violating the check, when it counts them."""
    message: str = ""
    """What was found, in words: counts and identifiers, never a value from the data."""
    quirk_reference: str | None = None
    """The source of the known quirk that explains the result."""
    engine: str | None = None
    """Which engine produced it: sql, pandera, gx."""
    samples: list[Any] | None = None
    """Offending values: only with --show-values."""


class SeverityCounts(_Model):
    """Checks that failed or could not run, by severity."""

    error: int = 0
    warning: int = 0
    info: int = 0


class RunSummary(_Model):
    """A run's counts, and the gate it was judged at (``fail_on``) with the verdict (``ok``)."""

    total: int = 0
    """Checks in the run, whatever their status."""
    passed: int = 0
    failed: int = 0
    """Checks that ran and found violations."""
    error: int = 0
    """Checks that could not run (unreadable file, query error)."""
    skipped: int = 0
    """Checks that did not apply (table missing or not selected)."""
    failed_by_severity: SeverityCounts = Field(default_factory=SeverityCounts)
    duration_seconds: float = 0.0
    source_kind: str = ""
    """directory, duckdb, parquet, postgres, spark or bigquery."""
    synthetic: bool = False
    """The copy was made by mimic-qa synth."""
    tables_loaded: int = 0
    """Tables found in the source and checked."""
    fail_on: Severity = Severity.ERROR
    """The gate: a check that failed, or could not run, at this severity or worse fails the run."""
    ok: bool | None = None
    """No check fails the gate: the run passed (exit 0). None: the run was not judged."""


class RunResult(_Model):
    """A whole validation run: ``mimic-qa validate --json``."""

    tool: str
    tool_version: str
    command: str
    """The command line (passwords redacted), or mimic_qa.validate(...) from Python."""
    source: str
    """What was checked: a path, or a database URL without its password."""
    release: str
    """The release the first project of the copy was checked against (the clinical database's, when the copy
    holds it: 3.1, demo-2.2, or a release file's key)."""
    releases: dict[str, str] = Field(default_factory=dict)
    """Project -> release, for every PhysioNet project the copy holds (mimiciv, mimic-iv-ed, mimic-iv-note)."""
    release_reason: str
    """Why that release: --release, the synthetic release file, the demo marker, or the default."""
    spec_version: int
    started_at: str
    """ISO 8601 time, UTC."""
    finished_at: str
    show_values: bool = False
    """Run with --show-values: samples may hold values from the data."""
    summary: RunSummary = Field(default_factory=RunSummary)
    detected_release: str | None = None
    """The release the row counts match better, when it is not the one checked against."""
    notes: list[str] = Field(default_factory=list)
    """Plain-words remarks for the summary (release detection, ...)."""
    row_counts: dict[str, dict[str, int | None]] = Field(default_factory=dict)
    """Per table: observed and expected rows."""
    checks: list[CheckResult] = Field(default_factory=list)
