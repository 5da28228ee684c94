"""The results model: one ``CheckResult`` per check id, gathered in a ``RunResult``.

Results hold identifiers and counts only. ``message`` is built from check metadata and counts,
never from data values, unless the run was made with ``show_values`` (then ``samples`` may hold
offending values and the JSON says so).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

from mimic_qa.spec.models import Category, Severity


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
    severity: Severity  # effective severity: a failure explained by a known quirk is a warning
    status: Status
    failing_rows: int | None = None
    message: str = ""
    quirk_reference: str | None = None
    engine: str | None = None  # which engine produced it: sql, pandera, gx
    samples: list[Any] | None = None  # only with --show-values


class RunResult(BaseModel):
    """A whole run (validate or scan)."""

    tool: str
    tool_version: str
    command: str
    source: str
    release: str  # the first project's (the clinical database's, when the copy holds it)
    releases: dict[str, str] = Field(default_factory=dict)  # project -> release, for every project the copy holds
    release_reason: str
    spec_version: int
    started_at: str
    finished_at: str
    show_values: bool = False
    summary: dict[str, Any] = Field(default_factory=dict)
    detected_release: str | None = None
    notes: list[str] = Field(default_factory=list)  # plain-words remarks for the summary (release detection, ...)
    row_counts: dict[str, dict[str, int | None]] = Field(default_factory=dict)
    checks: list[CheckResult] = Field(default_factory=list)
