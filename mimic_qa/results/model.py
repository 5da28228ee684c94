"""The results model: one ``CheckResult`` per check id, gathered in a ``RunResult``.

Results hold identifiers and counts only. ``message`` is built from check metadata and counts,
never from data values, unless the run was made with ``show_values`` (then ``samples`` may hold
offending values and the JSON says so).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

from mimic_qa.severity import Severity, SeverityField
from mimic_qa.spec.models import Category


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the check could not run (unreadable file, query error)
    SKIPPED = "skipped"  # not applicable (table missing, excluded by --tables, no SHA256SUMS.txt)


class CheckResult(BaseModel):
    """The outcome of one check."""

    id: str
    table: str | None
    kind: str
    category: Category
    severity: SeverityField  # effective severity: a failure explained by a known quirk is a warning
    status: Status
    failing_rows: int | None = None
    message: str = ""
    quirk_reference: str | None = None
    engine: str | None = None  # which engine produced it: sql, pandera, gx
    samples: list[Any] | None = None  # only with --show-values


class SeverityCounts(BaseModel):
    """Checks that failed or could not run, by severity."""

    error: int = 0
    warning: int = 0
    info: int = 0


class RunSummary(BaseModel):
    """A run's counts, and the gate it was judged at (``fail_on``) with the verdict (``ok``)."""

    total: int = Field(default=0, description="Checks run, skipped or not.")
    passed: int = 0
    failed: int = Field(default=0, description="Checks that ran and found violations.")
    error: int = Field(default=0, description="Checks that could not run (unreadable file, query error).")
    skipped: int = Field(default=0, description="Checks that did not apply (table missing or not selected).")
    failed_by_severity: SeverityCounts = Field(default_factory=SeverityCounts)
    duration_seconds: float = 0.0
    source_kind: str = Field(default="", description="directory, duckdb, parquet, postgres, spark or bigquery.")
    synthetic: bool = Field(default=False, description="The copy was made by `mimic-qa synth`.")
    tables_loaded: int = Field(default=0, description="Tables found in the source and checked.")
    fail_on: Severity = Field(default=Severity.ERROR, description="The gate: a check failed or not run at this severity "
                              "or worse fails the run.")
    ok: bool | None = Field(default=None, description="No check fails the gate (None: the run was not judged).")


class RunResult(BaseModel):
    """A whole run (validate or scan)."""

    tool: str
    tool_version: str
    command: str
    source: str
    release: str
    release_reason: str
    spec_version: int
    started_at: str
    finished_at: str
    show_values: bool = False
    summary: RunSummary = Field(default_factory=RunSummary)
    detected_release: str | None = None
    notes: list[str] = Field(default_factory=list)  # plain-words remarks for the summary (release detection, ...)
    row_counts: dict[str, dict[str, int | None]] = Field(default_factory=dict)
    checks: list[CheckResult] = Field(default_factory=list)
