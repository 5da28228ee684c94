"""What a guard scan reports: findings (counts and locations, never values) and skipped files."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import ConfigDict

# the attribute docstrings are the field reference of ``guard --format json`` (docs/json-output.md); its findings
# and skipped files always carry every field, a location only those that apply
DOCUMENTED = ConfigDict(use_attribute_docstrings=True)
WRITTEN_WHOLE = ConfigDict(use_attribute_docstrings=True, json_schema_serialization_defaults_required=True)

FindingKind = Literal["release-file", "open-data-file", "data-rows", "notebook-output"]
Level = Literal["error", "info"]
SkipReason = Literal["synthetic", "allowed", "too-large", "unreadable"]

RULES: dict[str, str] = {
    "release-file": "Byte-identical copy of an official MIMIC-IV release file",
    "open-data-file": "Byte-identical copy of a file of the open MIMIC-IV demo (ODbL): shareable with its attribution",
    "data-rows": "Row-level MIMIC-IV data in a data file",
    "notebook-output": "Row-level MIMIC-IV data in a saved notebook output",
}


@dataclass(frozen=True)
class Location:
    """Where in a file: a text line, a notebook cell/output, or a spreadsheet sheet (in JSON, only the keys
    that apply)."""

    __pydantic_config__ = DOCUMENTED
    line: int | None = None
    cell: int | None = None
    output: int | None = None
    sheet: str | None = None

    def describe(self) -> str:
        if self.cell is not None:
            return f"cell {self.cell}, output {self.output}"
        if self.sheet is not None:
            return f"sheet {self.sheet!r}"
        return f"line {self.line}" if self.line is not None else ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Finding:
    """A file (or a part of one) that holds MIMIC-IV data."""

    __pydantic_config__ = WRITTEN_WHOLE
    path: str
    """Relative to the scan root, '/'-separated."""
    kind: FindingKind
    reason: str
    """What was found, in words: counts and column names, never a value."""
    rows: int | None
    """Rows that look like MIMIC (None: not countable, e.g. a release copy)."""
    location: Location = field(default_factory=Location)
    table: str | None = None
    """Spec table whose columns matched, or whose release file was copied."""
    level: Level = "error"
    """info: reported, but not a leak (the open demo's own files)."""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "level": self.level, "location": self.location.to_json(),
                "reason": self.reason, "rows": self.rows, "table": self.table}


@dataclass(frozen=True)
class Skipped:
    """A file not scanned, and why."""

    __pydantic_config__ = WRITTEN_WHOLE
    path: str
    reason: SkipReason


@dataclass
class ScanResult:
    root: str
    scanned: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """Something that must not be committed (info findings, the open demo's files, do not count)."""
        return any(f.level == "error" for f in self.findings)
