"""Typed model of the MIMIC-IV family spec: projects, their modules and releases, tables, quirks, identities."""

from __future__ import annotations

import math
import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["error", "warning", "info"]
Category = Literal["conformance", "completeness", "plausibility"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
SCHEMA_PREFIX = "mimiciv"  # mimic-code's schema names: mimiciv_<module>

_TYPE_RE = re.compile(
    r"^(INTEGER|SMALLINT|BIGINT|DOUBLE PRECISION|REAL|NUMERIC|TEXT|DATE|TIMESTAMP)$"
    r"|^(VARCHAR|CHAR)\((\d+)\)$|^TIMESTAMP\((\d)\)$|^NUMERIC\(\d+, ?\d+\)$"
)


_DUCKDB_TYPES = {
    "INTEGER": "INTEGER", "SMALLINT": "SMALLINT", "BIGINT": "BIGINT", "DOUBLE PRECISION": "DOUBLE",
    "REAL": "FLOAT", "NUMERIC": "DOUBLE", "DATE": "DATE", "TIMESTAMP": "TIMESTAMP",
}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Model):
    """One CSV column, in header order, with its PostgreSQL type from mimic-code's create.sql."""

    name: str
    type: str
    nullable: bool

    @model_validator(mode="after")
    def _known_type(self) -> Column:
        if not _TYPE_RE.match(self.type):
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        return self

    @property
    def base_type(self) -> str:
        """Type name without length or precision: VARCHAR, CHAR, TIMESTAMP, ..."""
        return self.type.split("(")[0]

    @property
    def max_length(self) -> int | None:
        """Maximum character length for VARCHAR(n) / CHAR(n), else None."""
        m = re.match(r"^(?:VARCHAR|CHAR)\((\d+)\)$", self.type)
        return int(m.group(1)) if m else None

    @property
    def precision(self) -> int | None:
        """Fractional-second digits of TIMESTAMP(n) (None for plain TIMESTAMP)."""
        m = re.match(r"^TIMESTAMP\((\d)\)$", self.type)
        return int(m.group(1)) if m else None

    def sql_type(self, dialect: Literal["postgres", "duckdb"] = "postgres") -> str:
        """The column's type in a database dialect (PostgreSQL: create.sql's own name)."""
        if dialect == "postgres":
            return self.type
        return _DUCKDB_TYPES.get(self.base_type, "VARCHAR")

    @property
    def kind(self) -> Literal["integer", "float", "string", "date", "timestamp"]:
        """Coarse value kind, used by checks, generators and schema builders."""
        base = self.base_type
        if base in ("INTEGER", "SMALLINT", "BIGINT"):
            return "integer"
        if base in ("DOUBLE PRECISION", "REAL", "NUMERIC"):
            return "float"
        if base == "DATE":
            return "date"
        if base == "TIMESTAMP":
            return "timestamp"
        return "string"


class ForeignKey(_Model):
    """A reference to another table: declared in constraint.sql, or documented but undeclared. ``where`` limits
    it to the rows a SQL condition over the table's columns holds for (an entity-attribute-value table whose
    ``field_value`` is a note id only where ``field_name`` says so); ``label`` then names it apart from the
    table's other references through the same columns."""

    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    declared: bool
    severity: Severity = "error"
    note: str | None = None
    where: str | None = None
    label: str | None = None
    observed: list[str] = Field(default_factory=list)  # releases whose real data hold it (no orphan)

    @property
    def name(self) -> str:
        return self.label or "_".join(self.columns)


class CandidateKey(_Model):
    """A key expected to be unique but not declared as a primary key."""

    columns: list[str]
    severity: Severity
    source: str
    observed: list[str] = Field(default_factory=list)  # releases whose real data hold it (no duplicate)

    @property
    def name(self) -> str:
        return "_".join(self.columns)


class Domain(_Model):
    """Allowed values of one column: an enumeration, a numeric range, or a regular expression."""

    column: str
    severity: Severity
    values: list[str | int] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    case_insensitive: bool = False
    category: Category = "conformance"
    source: str
    observed: list[str] = Field(default_factory=list)  # releases whose real values all lie in it

    @model_validator(mode="after")
    def _one_kind(self) -> Domain:
        kinds = [self.values is not None, self.min is not None or self.max is not None, self.pattern is not None]
        if sum(kinds) != 1:
            raise ValueError(f"domain on {self.column}: give exactly one of values, min/max, pattern")
        return self

    def describe(self) -> str:
        """Plain-words statement of the domain."""
        if self.values is not None:
            shown = ", ".join(repr(v) for v in self.values)
            return f"{self.column} is one of {shown}" + (" (any case)" if self.case_insensitive else "")
        if self.pattern is not None:
            return f"{self.column} matches the pattern {self.pattern}"
        low = "" if self.min is None else f">= {_num(self.min)}"
        high = "" if self.max is None else f"<= {_num(self.max)}"
        return f"{self.column} is " + " and ".join(p for p in (low, high) if p)


class Rule(_Model):
    """A row-level rule as a SQL boolean expression; rows where it is FALSE violate it (NULL passes)."""

    name: str
    expr: str
    severity: Severity
    description: str
    source: str | None = None
    observed: list[str] = Field(default_factory=list)  # releases whose real rows all satisfy it


class Identity(_Model):
    """Identifiers that name one row of ``ref_table`` together: wherever a table carries them all, the row of
    ``ref_table`` its last column names must carry the same other identifiers (a row's hadm_id is an admission
    of the row's own subject_id)."""

    columns: list[str]
    ref_table: str
    severity: Severity = "error"
    description: str
    source: str
    modules: list[str] | None = None  # the modules whose tables it applies to (None: every module)
    observed: list[str] = Field(default_factory=list)  # releases whose real rows all agree

    def applies_to(self, table: Table) -> bool:
        """True for a table (other than the reference table) of its modules carrying all its columns."""
        return (table.name != self.ref_table and (self.modules is None or table.module in self.modules)
                and set(self.columns) <= set(table.column_names))

    @property
    def key(self) -> str:
        """The identifier that names the row of ``ref_table`` (the last column)."""
        return self.columns[-1]


class Table(_Model):
    """One table of a module, as its file ``<module>/<table>.csv.gz`` holds it."""

    name: str = ""
    module: str = ""
    description: str
    columns: list[Column]
    primary_key: list[str] | None = None
    candidate_keys: list[CandidateKey] = Field(default_factory=list)
    foreign_keys: list[ForeignKey] = Field(default_factory=list)
    domains: list[Domain] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    free_text: list[str] = Field(default_factory=list)
    # Releases whose real file was checked against this table's header, types, NOT NULLs, lengths and key.
    observed: list[str] = Field(default_factory=list)

    @property
    def file(self) -> str:
        """Path of the table's file inside a release, as PhysioNet ships it."""
        return f"{self.module}/{self.name}.csv.gz"

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"

    @cached_property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def spelled_in(self, observed: list[str]) -> dict[str, str]:
        """Each spec column's spelling among ``observed`` names (SQL names are case-insensitive: PhysioNet's
        procedureevents header spells ``ORIGINALAMOUNT``); only the columns present."""
        seen = {o.lower(): o for o in observed}
        return {c: seen[c.lower()] for c in self.column_names if c.lower() in seen}

    def duckdb_types(self, observed: list[str]) -> dict[str, str]:
        """Observed column name -> the DuckDB type to read it as: the spec's type where a name matches (in any
        letter case), VARCHAR for a column the spec does not know."""
        known = {c.name.lower(): c.sql_type("duckdb") for c in self.columns}
        return {name: known.get(name.lower(), "VARCHAR") for name in observed}

    def referenced_columns(self) -> set[str]:
        """Every column named by a key, domain or free-text entry (for validation)."""
        names: set[str] = set(self.primary_key or []) | set(self.free_text)
        for k in self.candidate_keys:
            names.update(k.columns)
        for f in self.foreign_keys:
            names.update(f.columns)
        names.update(d.column for d in self.domains)
        return names


class Module(_Model):
    """A folder of a PhysioNet project (``hosp/``, ``icu/``, ...): its tables live in ``modules/<name>.yaml``."""

    name: str = ""
    project: str
    description: str

    @property
    def schema_name(self) -> str:
        """Its schema (PostgreSQL, DuckDB) or dataset (BigQuery, Spark) in mimic-code's layout: ``mimiciv_hosp``."""
        return f"{SCHEMA_PREFIX}_{self.name}"


class Project(_Model):
    """A PhysioNet project published as its own download (with its own SHA256SUMS.txt and releases)."""

    key: str = ""
    title: str
    folders: list[str]  # physionet.org/files/<folder>/<version>/, as wget -r leaves it
    modules: list[str]
    default_release: str  # the release a copy is checked against when nothing says otherwise


class Release(_Model):
    """A published release of one project: its identity, citation and exact row counts per table."""

    key: str = ""
    project: str = ""
    marker: str | None = None  # a file at the release root that only this release has (the demo's subject list)
    title: str
    version: str
    kind: Literal["full", "demo"]
    published: str = ""  # '' where no source gives it (the ED demo's page was not found)
    doi: str = ""  # '' where no source gives it (a detection-only release; validatable ones need it)
    citation: str | None = None
    url: str | None = None
    detection_only: bool = False
    license: str | None = None
    row_count_sources: dict[str, str]
    row_counts: dict[str, int]
    files: dict[str, dict[str, int | str]] = Field(default_factory=dict)
    bigquery: dict[str, str] = Field(default_factory=dict)  # module -> PhysioNet's versioned BigQuery dataset

    @property
    def open_access(self) -> bool:
        """The open demo: shareable under its licence, unlike the credentialed releases."""
        return self.kind == "demo"

    def row_count_source(self, table: str) -> str:
        return self.row_count_sources.get(table, self.row_count_sources["default"])


class Quirk(_Model):
    """A known deviation of the real release, tolerated (as a warning) up to a bound."""

    check: str
    rows: dict[str, int | str]
    max_fraction: float
    min_rows: int = 0
    description: str
    reference: str
    synth_rate: float | None = None  # the rate synth reproduces where the full release's count is not published

    def tolerance(self, table_rows: int) -> int:
        """Most failing rows still explained by this quirk in a table of ``table_rows`` rows."""
        return max(self.min_rows, math.ceil(self.max_fraction * table_rows))


class Citation(_Model):
    doi: str
    text: str


class Spec(_Model):
    """The whole spec: projects, modules, releases, tables, quirks, identities and citations."""

    spec_version: int
    dataset: str
    projects: dict[str, Project]
    modules: dict[str, Module]
    releases: dict[str, Release]
    tables: dict[str, Table]
    quirks: list[Quirk]
    identities: list[Identity] = Field(default_factory=list)
    citations: dict[str, Citation]

    @model_validator(mode="before")
    @classmethod
    def _inject_names(cls, data: dict) -> dict:
        data = dict(data)
        for part, field in (("tables", "name"), ("releases", "key"), ("projects", "key"), ("modules", "name")):
            data[part] = {n: {**v, field: n} for n, v in data.get(part, {}).items()}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Spec:
        problems: list[str] = []
        for p in self.projects.values():
            problems += [f"project {p.key}: unknown module {m}" for m in p.modules if m not in self.modules]
            if self.releases.get(p.default_release, None) is None:
                problems.append(f"project {p.key}: unknown default release {p.default_release}")
        for m in self.modules.values():
            if m.project not in self.projects or m.name not in self.projects[m.project].modules:
                problems.append(f"module {m.name}: not a module of project {m.project}")
        for t in self.tables.values():
            if t.module not in self.modules:
                problems.append(f"{t.name}: unknown module {t.module!r}")
            missing = t.referenced_columns() - set(t.column_names)
            if missing:
                problems.append(f"{t.name}: unknown columns {sorted(missing)}")
            for fk in t.foreign_keys:
                ref = self.tables.get(fk.ref_table)
                if ref is None:
                    problems.append(f"{t.name}: foreign key to unknown table {fk.ref_table}")
                elif set(fk.ref_columns) - set(ref.column_names) or len(fk.ref_columns) != len(fk.columns):
                    problems.append(f"{t.name}: bad foreign key columns {fk.ref_columns} on {fk.ref_table}")
        for i in self.identities:
            ref = self.tables.get(i.ref_table)
            if ref is None or set(i.columns) - set(ref.column_names):
                problems.append(f"identity {i.columns}: {i.ref_table} lacks them")
            problems += [f"identity {i.columns}: unknown module {m}" for m in i.modules or [] if m not in self.modules]
        for r in self.releases.values():
            if r.project not in self.projects:
                problems.append(f"release {r.key}: unknown project {r.project!r}")
                continue
            own = {t for m in self.projects[r.project].modules for t in self.module_tables(m)}
            counted = set(r.row_counts)
            if not counted <= own:
                problems.append(f"release {r.key}: row counts for tables of other projects {sorted(counted - own)}")
            if not r.detection_only and counted != own:
                problems.append(f"release {r.key}: row counts missing for {sorted(own - counted)}")
            if not r.detection_only and not r.doi:
                problems.append(f"release {r.key}: a validatable release needs its DOI")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def module_tables(self, module: str) -> list[str]:
        """The module's tables, in spec order."""
        return [n for n, t in self.tables.items() if t.module == module]

    def project_of(self, table: str) -> Project:
        return self.projects[self.modules[self.tables[table].module].project]

    def schema_of(self, table: Table) -> str:
        """``mimiciv_hosp``: where mimic-code's layout keeps the table."""
        return self.modules[table.module].schema_name

    @property
    def validatable_releases(self) -> list[str]:
        """Releases with a complete spec (the ones a copy can be validated against)."""
        return [k for k, r in self.releases.items() if not r.detection_only]

    def project_releases(self, project: str, *, validatable: bool = False) -> list[str]:
        return [k for k, r in self.releases.items()
                if r.project == project and not (validatable and r.detection_only)]

    def demo_of(self, project: str) -> Release | None:
        """The project's open demo release (what synth calibrates on), if it has one."""
        return next((r for r in self.releases.values() if r.project == project and r.kind == "demo"), None)

    def release(self, key: str) -> Release:
        try:
            return self.releases[key]
        except KeyError:
            raise KeyError(f"unknown release {key!r}; choose from {', '.join(self.validatable_releases)}") from None

    def quirk_for(self, check_id: str) -> Quirk | None:
        for q in self.quirks:
            if q.check == check_id:
                return q
        return None
