"""What every check kind owns, once: its category and guide, how the spec gives rise to its checks, its result
message, and either its verdict on what the reading stages learned (``evaluate``: files, headers, stored types,
row counts) or, for the kinds a database counts, its violation query and its Great Expectations and pandera forms.

Queries are sqlglot expressions over the spec's bare table names (``labevents``); ``mimic_qa.checks.sql`` binds
them to an engine's relations and compiles them to its dialect, and the GX suites bind the checked table to GX's
``{batch}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import sqlglot
from sqlglot import exp

from mimic_qa.checks.definition import CheckDef, define
from mimic_qa.results import Status
from mimic_qa.spec.models import Category, Column, Spec, Table

Stage = Literal["files", "structure", "data"]
GxExpectation = tuple[str, dict[str, Any]]  # GX 1.x expectation type and its kwargs (``UNEXPECTED_ROWS``: a query)


@dataclass(frozen=True)
class Guide:
    """Plain words for every check of a kind: why a failure matters and what to try."""

    title: str
    why: str
    fix: str


@dataclass
class FileFacts:
    """What reading one table's file showed (release folders): never a value from it."""

    relative: str | None = None  # where it is, relative to its release root; None: missing
    listed: bool | None = None  # in its root's SHA256SUMS.txt (None: the root has none)
    sha256_matches: bool | None = None  # None: not hashed (not listed, or not yet)
    damaged: str | None = None  # what a full scan of the gzip stream found wrong
    unreadable: str | None = None  # why the file could not be parsed at all
    bad_unicode_lines: int = 0
    malformed_lines: int = 0
    read: bool = False  # the parse has finished (the counts above are known)
    scanned: bool = False  # the hash and the full gzip scan have finished


@dataclass
class TableFacts:
    """What the reading stages learned about one table, for the kinds that judge it without a query."""

    where: str  # the file or relation, as shown in messages
    file: FileFacts | None = None  # release folders only
    header: list[str] | None = None  # the names the file's header or the stored table has, in order
    stored_types: dict[str, str] | None = None  # databases: stored column -> its type
    rejects: dict[str, tuple[int, int]] = field(default_factory=dict)  # column -> (values not parsed, first line)
    rows: int | None = None
    expected_rows: int | None = None
    in_database: bool = True  # False: a database without this table


@dataclass
class ReleaseFacts:
    """What the release roots showed: SHA256SUMS.txt's listing and the files nobody expects."""

    listed: int | None = None  # entries in the SHA256SUMS.txt files (None: no root has one)
    absent: list[str] = field(default_factory=list)  # listed files that are missing
    mismatched: list[str] = field(default_factory=list)  # listed non-table files whose bytes changed
    not_selected: int = 0  # listed files of tables not selected (--tables)
    unexpected: list[str] = field(default_factory=list)  # table files the spec does not define


@dataclass(frozen=True)
class Outcome:
    """A kind's verdict on one check from the facts: its status, how many failed, and why (counts, names)."""

    status: Status
    failing: int | None
    message: str

    @classmethod
    def of(cls, failed: bool, failing: int | None, message: str) -> Outcome:
        return cls(Status.FAILED if failed else Status.PASSED, failing, message)


@dataclass(frozen=True)
class PanderaCheck:
    """A pandera check, as data (``mimic_qa.schemas`` builds it): one of pandera's builtins (``isin``,
    ``str_matches``, ``in_range``, ``ge``, ``le``) or mimic-qa's own (``isin_any_case``, ``rule``), with its
    arguments, named by the check id."""

    test: str
    args: tuple[Any, ...]
    name: str
    description: str


@dataclass(frozen=True)
class PanderaPart:
    """What one check contributes to its table's pandera schema."""

    column: str | None  # None: a dataframe-level check
    nullable: bool | None = None
    typed: Column | None = None  # the column whose spec type (as the database reports it) is the dtype
    check: PanderaCheck | None = None


UNEXPECTED_ROWS = "unexpected_rows_expectation"  # GX's expectation whose ``query`` kwarg a kind gives as sqlglot


class Kind:
    """One kind of check. Subclasses set the class attributes and override what applies to them."""

    name: ClassVar[str]
    category: ClassVar[Category]
    tests: ClassVar[str]  # what one check of this kind tests, for the catalogue
    guide: ClassVar[Guide]
    stage: ClassVar[Stage] = "data"  # files: the integrity of release files; structure: headers, stored types
    per_column: ClassVar[bool] = False  # checks are listed column by column, in file order

    def release_checks(self, spec: Spec) -> Iterator[CheckDef]:
        """Checks of the whole release (not of one table)."""
        return iter(())

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        return iter(())

    def column_checks(self, spec: Spec, table: Table, column: Column) -> Iterator[CheckDef]:
        return iter(())

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        """This check's verdict on what the reading stages learned (None: the facts do not decide it)."""
        return None

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation | None:
        """This check as a GX expectation in the table's suite (None: the suite does not express it)."""
        return None

    def to_pandera(self, check: CheckDef, table: Table, dialect: str) -> PanderaPart | None:
        """This check's part of the table's pandera schema (None: pandera does not express it)."""
        return None

    def gx_outcome(self, check: CheckDef, kwargs: dict[str, Any], observed: Any, rows: int | None) -> tuple[int, str]:
        """(failing count, message) from the observed value of this check's GX expectation."""
        raise NotImplementedError(f"GX does not evaluate {self.name} checks in validate")

    def define(self, spec: Spec, table: Table, name: str | None, **fields: Any) -> CheckDef:
        return define(spec, table, self.name, name, category=fields.pop("category", None) or self.category, **fields)


class Counted(Kind):
    """A kind whose checks a database answers with a count of violations."""

    unit: ClassVar[str] = "rows"  # what the count counts
    what: ClassVar[str]  # the violations, in the plural: "NULL values", "key values held by more than one row"

    def violations_named(self, check: CheckDef) -> str:
        """The violations of this check, in the plural (names only, never values)."""
        return self.what

    def gx_outcome(self, check: CheckDef, kwargs: dict[str, Any], observed: Any, rows: int | None) -> tuple[int, str]:
        return int(observed), self.message(check, int(observed), rows)

    def message(self, check: CheckDef, failing: int, rows: int | None) -> str:
        """The result line of every engine (counts only, never a value)."""
        what = self.violations_named(check)
        if not failing:
            return f"{what}: none" + (f" among {rows:,} rows" if rows is not None else "")
        if rows and self.unit == "rows":
            return f"{what}: {failing:,} of {rows:,} rows ({percent(failing / rows)})"
        return f"{what}: {failing:,}"


class PerRow(Counted):
    """A test of each row on its own: one aggregate scan per table counts every such check."""

    sampled: ClassVar[bool] = False  # --show-values may list a few offending values

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        """A predicate that is TRUE exactly on the violating rows (NULL passes) over the table's columns."""
        raise NotImplementedError


class SetBased(Counted):
    """A test across rows or tables (keys, references): one query per check, returning one row per violation."""

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        """The violating rows (or key values), over the spec's bare table names; the checked table is aliased c."""
        raise NotImplementedError

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation | None:
        return UNEXPECTED_ROWS, {"query": self.violations(check, spec)}


def checked(table: Table, alias: str | None = None) -> exp.Expr:
    """The checked table, by its bare spec name: the table of a query's FROM clause (engines bind it to their
    relation, GX suites to their batch). Queries joining another table alias it ``c``, the other ``p``."""
    node = exp.to_table(table.name)
    return node.as_(alias) if alias else node


def relation(table: Table, alias: str) -> exp.Expr:
    """Another table of the spec in a query, by its bare name."""
    return exp.to_table(table.name).as_(alias)


def percent(share: float) -> str:
    """``2.9664%``: four decimals at most, no trailing zeros."""
    return f"{share * 100:.4f}".rstrip("0").rstrip(".") + "%"


def col(name: str, table: str | None = None) -> exp.Column:
    """A quoted column reference (MIMIC has columns named like keywords: value, warning, language)."""
    return exp.column(name, table=table, quoted=True)


def parse(sql: str) -> exp.Expr:
    """A condition or query written in DuckDB SQL (the spec's rules are)."""
    return sqlglot.parse_one(sql, read="duckdb")


def all_of(conditions: Sequence[exp.Expr]) -> exp.Expr:
    return exp.and_(*conditions) if len(conditions) > 1 else conditions[0]


def any_of(conditions: Sequence[exp.Expr]) -> exp.Expr:
    return exp.or_(*conditions) if len(conditions) > 1 else conditions[0]


def literal(value: object) -> exp.Expr:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return exp.Literal.number(value) if isinstance(value, (int, float)) else exp.Literal.string(str(value))
