"""The two copies diff compares, each a ``Source`` (``mimic_qa.sources``), and the workspace it compares them in.

Every DuckDB-readable copy lives in one DuckDB *workspace* connection, so two such copies share it and key sets
and frequency tables are compared there directly:

* a release folder: each table file is parsed once (the source layer's ``read_csv`` builder, typed from the
  spec, rejects counted per column as validate does) into a workspace table, dropped when it has been profiled;
* a DuckDB database: attached read-only; a Parquet folder: views over the files; both queried in place;
* PostgreSQL: queried in place on a read-only connection; the small results that must meet the other copy
  (distinct keys, category frequencies) are copied into the workspace.

Source data is only ever read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.diff.roles import Kind
from mimic_qa.sources.base import Source
from mimic_qa.sources.csv_loader import collect_rejects, unreadable_reason
from mimic_qa.sources.dialects import Spelling, spelling
from mimic_qa.sources.folder import FolderSource
from mimic_qa.sources.naming import quote_ident, quote_literal
from mimic_qa.sources.open import Options, open_source
from mimic_qa.sources.postgres import PostgresSource
from mimic_qa.sources.release import choose_release
from mimic_qa.spec import Spec, Table
from mimic_qa.spec.types import stored_kind

MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool, as in validate: peak RSS stays under 6 GB at any scale
READS = ("folder", "duckdb", "parquet", "postgres")  # the kinds of copy diff compares


class Unreadable(Exception):
    """A table of a copy that cannot be read; the message is one line and never quotes data."""


@dataclass(frozen=True)
class StoredColumn:
    """A column as a copy stores it: its name, the kind of value it holds (None: another type) and type."""

    name: str
    kind: Kind | None
    stored: str


@dataclass
class Opened:
    """A table ready to query: its relation in the side's SQL, and values that did not parse (folders)."""

    relation: str
    unparsed: dict[str, int] = field(default_factory=dict)  # column -> values that did not parse
    malformed: int = 0  # lines that could not be read at all (wrong field count, bad encoding)


class Workspace:
    """The DuckDB database diff computes in: in memory, compressed (a parsed table takes about its csv.gz
    size, not five times it), evicted to a scratch folder beyond ``MEMORY_LIMIT``. Removed on close."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mimic-qa-diff-"))
        self.con = duckdb.connect()
        self.con.execute(f"SET temp_directory = {quote_literal(str(self.dir / 'spill'))}")
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute("SET threads = 2")
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.con.execute("ATTACH ':memory:' AS ws (COMPRESS)")
        except duckdb.Error:  # a DuckDB without compressed in-memory databases
            self.con.execute("ATTACH ':memory:' AS ws")
        self.con.execute("USE ws")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self.con.cursor()
        cur.execute("USE ws")
        return cur

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Side:
    """One copy as diff reads it. ``label`` ("a" / "b") names its objects in the workspace."""

    def __init__(self, label: str, source: Source, ws: Workspace):
        self.label = label
        self.source = source
        self.ws = ws
        self.kind = source.kind  # how the copy is described to the user
        self.location = source.location
        self.dialect: Spelling = spelling(source.dialect)
        self.folder = source if isinstance(source, FolderSource) else None
        if self.folder:
            ws.con.execute(f"CREATE SCHEMA IF NOT EXISTS side_{label}")

    def tables(self) -> set[str]:
        """The spec tables this copy holds."""
        return set(self.folder.files) if self.folder else set(self.source.columns())

    def header(self, table: Table) -> list[StoredColumn]:
        """The table's columns in stored order; raises Unreadable."""
        if self.folder is None:
            return [StoredColumn(n, stored_kind(t), t) for n, t in self.source.columns()[table.name]]  # type: ignore[arg-type]
        return [StoredColumn(n, None, "CSV") for n in _as_spec_spells(table, self._file_header(table))]

    def _file_header(self, table: Table) -> list[str]:
        assert self.folder is not None
        try:
            return self.folder.header(table)
        except ValueError as exc:
            raise Unreadable(f"{self.folder.files[table.name].relative}: {exc}") from None

    def size(self, table: Table) -> int:
        """Bytes to read (0 when unknown): the biggest tables are started first."""
        if self.folder is None:
            return 0
        f = self.folder.files[table.name].path
        return f.stat().st_size * (5 if f.name.endswith(".gz") else 1)  # about 5 bytes of CSV per byte of gzip

    def file_bytes(self, table: Table) -> int | None:
        """The size on disk of the table's file, when it is one (shown in progress)."""
        return self.folder.files[table.name].path.stat().st_size if self.folder else None

    def release(self, spec: Spec) -> tuple[str | None, bool]:
        """The release this copy says it is, and whether mimic-qa synth made it (None: it does not say)."""
        says = self.source.meta() is not None or (self.folder is not None and self.folder.recognised_releases())
        if not says:
            return None, False
        chosen = choose_release(spec, None, self.source)
        return chosen.release, chosen.synthetic

    def relation(self, table: Table) -> str:
        """The table's name in this side's SQL."""
        if self.folder:
            return f"side_{self.label}.{quote_ident(table.name)}"
        return self.source.relation(table).sql(dialect=self.source.dialect)

    @contextmanager
    def open(self, table: Table, types: dict[str, str]) -> Iterator[Opened]:
        """The table, ready to query, for the duration of the block. ``types``: stored column -> spec type to
        read it as (used where the copy has no types of its own: a release folder's file is parsed into the
        workspace, with the values that do not parse counted per column)."""
        if self.folder is None:
            yield Opened(self.relation(table))
            return
        tf = self.folder.files[table.name]
        tag = f"{self.label}_{table.name}"
        cur = self.ws.cursor()
        try:
            try:
                header = self._file_header(table)  # types are keyed by the names header() gave
                named = dict(zip(header, _as_spec_spells(table, header)))
                by_file = {f: types[n] for f, n in named.items() if n in types}
                read = self.folder.read(table, types=by_file, rejects=tag)
                cur.execute(f"CREATE OR REPLACE TABLE {self.relation(table)} AS SELECT * FROM {read}")
            except ValueError as exc:
                raise Unreadable(f"{tf.relative}: {exc}") from None
            except duckdb.Error as exc:
                raise Unreadable(f"{tf.relative}: {unreadable_reason(exc)}") from None
            rejects = collect_rejects(cur, tag, list(types))  # keyed by types' spelling, in any letter case
            yield Opened(self.relation(table), {c: r.count for c, r in rejects.columns.items()},
                         rejects.bad_unicode_lines + rejects.other_lines)
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {self.relation(table)}")
            cur.close()

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        if isinstance(self.source, PostgresSource):
            try:
                return self.source.fetch_all(sql)
            except Exception as exc:  # noqa: BLE001  (psycopg's messages can quote data: keep the type)
                raise Unreadable(f"query failed on PostgreSQL ({type(exc).__name__})") from None
        cur = self.ws.cursor()
        try:
            return cur.execute(sql).fetchall()
        finally:
            cur.close()

    def into_workspace(self, sql: str, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """Store the result of ``sql`` (run on this side) as workspace table ``name`` with ``columns``
        ((name, DuckDB type) pairs, in the query's order)."""
        cur = self.ws.cursor()
        try:
            if isinstance(self.source, PostgresSource):
                rows = self.fetchall(sql)
                lists = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in columns]
                cols = ", ".join(f"unnest(CAST(? AS {t}[])) AS {quote_ident(n)}" for n, t in columns)
                cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols}", lists)
                return
            cols = ", ".join(f"CAST(q{i} AS {t}) AS {quote_ident(n)}" for i, (n, t) in enumerate(columns))
            aliases = ", ".join(f"q{i}" for i in range(len(columns)))
            cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols} FROM ({sql}) AS src({aliases})")
        finally:
            cur.close()

    def close(self) -> None:
        """Release connections."""
        self.source.close()


def _as_spec_spells(table: Table, names: list[str]) -> list[str]:
    """A file's header names, those naming a spec column in another letter case spelled as the spec does: SQL
    names are case-insensitive, and validate reads such a header by the spec's names (the header_case check
    reports the spelling; PhysioNet's procedureevents spells ``ORIGINALAMOUNT``), so a database loaded from
    the file holds the same columns."""
    spec_case = {c.lower(): c for c in table.column_names}
    return [spec_case.get(n.lower(), n) for n in names]


def open_side(argument: str, label: str, spec: Spec, ws: Workspace, others: list[Side]) -> Side:
    """The copy SOURCE names; a one-line UsageError when it cannot be read at all. A DuckDB file both sides name
    is attached once (DuckDB attaches a file once)."""
    for other in others:
        if other.source.kind == "DuckDB database" and Path(argument).expanduser().resolve() == \
                Path(other.location).expanduser().resolve():
            return Side(label, other.source, ws)
    source = open_source(argument, spec, Options(host=ws.con, label=f"src_{label}"), accept=READS, command="diff")
    return Side(label, source, ws)
