"""The results model: one ``CheckResult`` per check id, gathered in a ``RunResult``.

Results hold identifiers and counts only. ``message`` is built from check metadata and counts,
never from data values, unless the run was made with ``show_values`` (then ``samples`` may hold
offending values and the JSON says so). The attribute docstrings are the field reference of the JSON
output (``docs/json-output.md``).
"""

from __future__ import annotations

from datetime import date
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


class WaiverState(str, Enum):
    """holds: the failure is waived and does not block; expired: the waiver's date has passed; exceeded: more
    failing rows than the waiver's ceiling (or a ceiling that cannot be checked). An expired or exceeded waiver
    blocks like the check itself."""

    HOLDS = "holds"
    EXPIRED = "expired"
    EXCEEDED = "exceeded"


class Waiver(_Model):
    """A site's acceptance of a failing check, with its reason, owner and expiry (``[[waivers]]`` in
    mimic-qa.toml)."""

    check: str
    """A check id, or a glob of ids (``*``, ``?``, ``[...]``): ``hosp.*.fk.poe_id``."""
    reason: str
    owner: str
    expires: date
    """The last day the waiver holds."""
    max_failing_rows: int | None = None
    """Ceiling: the waiver holds up to this many failing rows (as the check counts them)."""
    max_failing_fraction: float | None = None
    """Ceiling: the waiver holds up to this share of the table's rows failing (0 to 1)."""


class AppliedWaiver(_Model):
    """The waiver that matched a failed check (or one that could not run), and whether it held."""

    check: str
    """The waiver's check id or glob."""
    reason: str
    owner: str
    expires: date
    state: WaiverState
    why: str
    """In words: until when it holds, or why it does not (expired on, ceiling exceeded)."""


class WaiverUse(Waiver):
    """A declared waiver and the checks of the run it matched (none: a warning in ``notes``)."""

    matched: list[str] = Field(default_factory=list)
    """Ids of the checks of the run the waiver names, whatever their status."""


class LocalCheck(_Model):
    """A check the site declared in its configuration file (``[[local-checks]]``), run as compiled SQL."""

    id: str
    """``local.<table>.<kind>[.<name>]``."""
    table: str
    relation: str
    """Where the table is: a MIMIC table's name, or a site table's ``schema.table``."""
    site_table: bool
    """On a table of the site (a derived table, a concept), not of the release."""
    kind: str
    severity: SeverityField
    description: str


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
    waiver: AppliedWaiver | None = None
    """The site's waiver of this failure (None: not waived). A waiver that holds keeps the check from blocking."""
    reused: bool = False
    """Taken from the earlier run's results (``--reuse``): nothing it depends on changed since."""


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
    """Failed or not run, waived failures left out."""
    waived: int = 0
    """Checks that failed (or could not run) under a waiver that holds: they do not block."""
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


class CheckChange(_Model):
    """One check between two runs: its severity and failing rows in each (None: not in that run, or not counted)."""

    id: str
    severity: SeverityField
    before: int | None = None
    after: int | None = None


class RowChange(_Model):
    """A table whose row count differs between two runs (None: not counted in that run)."""

    table: str
    before: int | None
    after: int | None


class RunRef(_Model):
    """One run kept in a history folder."""

    id: str
    started_at: str
    release: str
    releases: dict[str, str] = Field(default_factory=dict)
    source: str
    ok: bool | None = None
    fingerprint: str | None = None
    """The source's content fingerprint, where validate records one (None: not recorded)."""


class Comparison(_Model):
    """Two runs compared check by check: what began to fail, what was fixed, what still fails (failed or could not
    run, waived or not), and the tables whose row counts changed."""

    before: RunRef
    after: RunRef
    same_release: bool
    note: str | None = None
    """Said when the runs were checked against different releases (then counts and checks differ by release)."""
    newly_failing: list[CheckChange] = Field(default_factory=list)
    fixed: list[CheckChange] = Field(default_factory=list)
    still_failing: list[CheckChange] = Field(default_factory=list)
    row_changes: list[RowChange] = Field(default_factory=list)


class TrendPoint(_Model):
    """One run of the history, per table: its observed rows and how many of its checks failed or could not run."""

    run: str
    started_at: str
    release: str
    rows: dict[str, int | None] = Field(default_factory=dict)
    failing: dict[str, int] = Field(default_factory=dict)
    """Checks that failed or could not run, waived or not, whatever their severity."""
    blocking: dict[str, int] = Field(default_factory=dict)
    """Of those, the checks that failed that run's gate."""


class RunHistory(_Model):
    """This run in its history folder (``--history DIR``): the comparison with the run before it and the trend of
    the last runs (oldest first, this run last). Identifiers and counts only."""

    folder: str
    run: str
    """This run's id in the folder."""
    runs_kept: int
    since_last_run: Comparison | None = None
    """None: the first run kept in the folder."""
    trend: list[TrendPoint] = Field(default_factory=list)


class TableFingerprint(_Model):
    """A table's content in one digest, computed where it lives: ``sha256-file`` (a release file's bytes),
    ``duckdb-hash-sum-1`` or ``postgres-hashtext-sum-1`` (a database table's rows, columns and types). Digests of
    different methods never compare equal. Never a value from the data."""

    method: str
    value: str
    """The digest (hex)."""
    rows: int | None = None
    """Rows counted (None: not counted)."""


class Reuse(_Model):
    """``--reuse FILE``: what this run took from an earlier run's results, and what it checked again."""

    results: str
    """The earlier results file."""
    earlier_started_at: str | None = None
    """When the earlier run started (None: no earlier results were found: every check ran)."""
    tables_reused: list[str] = Field(default_factory=list)
    """Unchanged tables: their checks' results were taken from the earlier run (unless a table they refer to
    changed)."""
    tables_changed: list[str] = Field(default_factory=list)
    """Tables whose fingerprint differs from the earlier run's (edited, rows added or removed, or not in it)."""
    checks_reused: int = 0
    checks_run: int = 0
    """Checks run again: those of changed tables and those whose relationships name one."""
    reason: str | None = None
    """Why nothing was reused, when the earlier run cannot stand for this one (another release, mode or tool
    version; no fingerprints)."""


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
    config: str | None = None
    """The configuration file (mimic-qa.toml, or a pyproject.toml) the run's defaults, waivers and local checks
    came from."""
    waivers: list[WaiverUse] = Field(default_factory=list)
    local_checks: list[LocalCheck] = Field(default_factory=list)
    """The site's own checks of this run (their results are among ``checks``)."""
    history: RunHistory | None = None
    """With --history: this run beside the runs kept before it."""
    checks_mode: str | None = None
    """The --checks mode of the run (all or sql; None: not recorded)."""
    fingerprints: dict[str, TableFingerprint] = Field(default_factory=dict)
    """Per table checked: its content's fingerprint (empty on Spark and BigQuery, which record none)."""
    fingerprint: str | None = None
    """One digest of the whole copy: its releases and every table's fingerprint (None: none recorded)."""
    database_sha256: str | None = None
    """A DuckDB database file's SHA-256 (with its write-ahead log): a re-run that finds the same bytes takes the
    tables' fingerprints from these results instead of scanning them (None: not a DuckDB file)."""
    reuse: Reuse | None = None
    """With --reuse: what was taken from the earlier run and what changed since (None: not asked)."""

