"""Open a copy for diff: a release folder, a DuckDB database, a Parquet folder or a PostgreSQL database.

Built on the source layer (``mimic_qa.sources``: naming, detection, read-only connections). Every DuckDB-readable
copy is read inside one DuckDB *workspace* connection, so two such copies share it and key sets and
frequency tables are compared there directly:

* a release folder: each table file is parsed once, typed from the spec, into a workspace table (dropped
  when the table has been profiled); values that do not parse are counted per column, as validate does;
* a DuckDB database: attached read-only; a Parquet folder: views over the files; both queried in place;
* PostgreSQL: queried in place on a read-only connection; the small results that must meet the other copy
  (distinct keys, category frequencies) are copied into the workspace.

Source data is only ever read.
"""

from __future__ import annotations

import re
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.diff.roles import Kind
from mimic_qa.errors import UsageError
from mimic_qa.sources.csv_loader import read_header
from mimic_qa.sources.database import is_duckdb_file
from mimic_qa.sources.layout import DEMO_SUBJECTS, SYNTH_MARKER, find_release_root, table_files
from mimic_qa.sources.naming import META_SCHEMA, MODULES, quote_ident, quote_literal, schema_name, schema_names
from mimic_qa.sources.parquet import is_parquet_dir, parquet_location
from mimic_qa.sources.postgres import connect, is_dsn, mask_dsn
from mimic_qa.sources.types import stored_kind
from mimic_qa.spec import Spec, Table
from mimic_qa.validation.release import choose_release

MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool, as in validate: peak RSS stays under 6 GB at any scale


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


def _listed(names: Iterable[str]) -> str:
    """``'a', 'b'``: names as a SQL IN list."""
    return ", ".join(quote_literal(n) for n in names)


class Dialect:
    """The few expressions whose spelling differs between DuckDB and PostgreSQL."""

    name = "duckdb"
    text_type = "VARCHAR"

    def quantiles(self, expr: str, probs: Sequence[float]) -> str:
        """A list of quantiles (t-digest sketch in DuckDB)."""
        return f"approx_quantile(CAST({expr} AS DOUBLE), [{', '.join(f'{p:g}' for p in probs)}])"

    def distinct(self, expr: str) -> str:
        return f"approx_count_distinct({expr})"

    def epoch(self, expr: str) -> str:
        return f"epoch(CAST({expr} AS TIMESTAMP))"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS VARCHAR)"

    def as_double(self, expr: str) -> str:
        return f"CAST({expr} AS DOUBLE)"


class PostgresDialect(Dialect):
    name = "postgres"
    text_type = "TEXT"

    def quantiles(self, expr: str, probs: Sequence[float]) -> str:
        """Exact quantiles (the generalized inverse of the CDF, as the sketch approximates)."""
        grid = ", ".join(f"{p:g}" for p in probs)
        return f"percentile_disc(ARRAY[{grid}]::float8[]) WITHIN GROUP (ORDER BY CAST({expr} AS float8))"

    def distinct(self, expr: str) -> str:
        return f"count(DISTINCT {expr})"

    def epoch(self, expr: str) -> str:
        return f"extract(epoch FROM CAST({expr} AS timestamp))"

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS TEXT)"  # CHAR(n) padding is dropped by the cast

    def as_double(self, expr: str) -> str:
        return f"CAST({expr} AS float8)"


DUCKDB = Dialect()
POSTGRES = PostgresDialect()


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
        import shutil

        self.con.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Side(ABC):
    """One copy as diff reads it. ``label`` ("a" / "b") names its objects in the workspace."""

    kind: str  # how the copy is described to the user
    dialect: Dialect = DUCKDB

    def __init__(self, label: str, location: str, ws: Workspace):
        self.label = label
        self.location = location
        self.ws = ws

    @abstractmethod
    def tables(self, spec: Spec) -> set[str]:
        """The spec tables this copy holds."""

    @abstractmethod
    def header(self, table: Table) -> list[StoredColumn]:
        """The table's columns in stored order; raises Unreadable."""

    def size(self, table: Table) -> int:
        """Bytes to read (0 when unknown): the biggest tables are started first."""
        return 0

    def file_bytes(self, table: Table) -> int | None:
        """The size on disk of the table's file, when it is one (shown in progress)."""
        return None

    def release(self, spec: Spec) -> tuple[str | None, bool]:
        """The release this copy says it is, and whether mimic-qa synth made it (None: it does not say)."""
        return None, False

    @contextmanager
    def open(self, table: Table, types: dict[str, str]) -> Iterator[Opened]:
        """The table, ready to query, for the duration of the block. ``types``: stored column -> spec type
        to read it as (used where the copy has no types of its own)."""
        yield Opened(self.relation(table))

    @abstractmethod
    def relation(self, table: Table) -> str:
        """The table's name in this side's SQL."""

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self.ws.cursor()
        try:
            return cur.execute(sql).fetchall()
        finally:
            cur.close()

    def into_workspace(self, sql: str, name: str, columns: Sequence[tuple[str, str]]) -> None:
        """Store the result of ``sql`` (run on this side) as workspace table ``name`` with ``columns``
        ((name, DuckDB type) pairs, in the query's order)."""
        cols = ", ".join(f"CAST(q{i} AS {t}) AS {quote_ident(n)}" for i, (n, t) in enumerate(columns))
        aliases = ", ".join(f"q{i}" for i in range(len(columns)))
        cur = self.ws.cursor()
        try:
            cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols} FROM ({sql}) AS src({aliases})")
        finally:
            cur.close()

    def close(self) -> None:
        """Release connections."""


class FolderSide(Side):
    """A release folder: each file parsed once into the workspace while its table is profiled."""

    kind = "release folder"

    def __init__(self, label: str, root: Path, spec: Spec, ws: Workspace):
        super().__init__(label, str(root), ws)
        self.root = root
        self.files = table_files(root, spec)
        ws.con.execute(f"CREATE SCHEMA IF NOT EXISTS side_{label}")

    def tables(self, spec: Spec) -> set[str]:
        return set(self.files)

    def release(self, spec: Spec) -> tuple[str | None, bool]:
        if not (self.root / SYNTH_MARKER).is_file() and not (self.root / DEMO_SUBJECTS).is_file():
            return None, False
        expectation = choose_release(spec, None, self.root)
        return expectation.release, expectation.synthetic

    def size(self, table: Table) -> int:
        f = self.files[table.name].path
        return f.stat().st_size * (5 if f.name.endswith(".gz") else 1)  # about 5 bytes of CSV per byte of gzip

    def file_bytes(self, table: Table) -> int | None:
        return self.files[table.name].path.stat().st_size

    def header(self, table: Table) -> list[StoredColumn]:
        try:
            names = read_header(self.files[table.name].path)
        except ValueError as exc:
            raise Unreadable(f"{self.files[table.name].relative}: {exc}") from None
        return [StoredColumn(n, None, "CSV") for n in names]

    def relation(self, table: Table) -> str:
        return f"side_{self.label}.{quote_ident(table.name)}"

    @contextmanager
    def open(self, table: Table, types: dict[str, str]) -> Iterator[Opened]:
        tf = self.files[table.name]
        header = [c.name for c in self.header(table)]
        cols = ", ".join(f"{quote_literal(n)}: {quote_literal(types.get(n, 'VARCHAR'))}" for n in header)
        tag = f"{self.label}_{table.name}"
        options = (f"header=true, delim=',', quote='\"', escape='\"', auto_detect=false, allow_quoted_nulls=false, "
                   f"columns={{{cols}}}, store_rejects=true, rejects_scan='rejscan_{tag}', rejects_table='rej_{tag}'")
        cur = self.ws.cursor()
        try:
            try:
                cur.execute(f"CREATE OR REPLACE TABLE {self.relation(table)} AS "
                            f"SELECT * FROM read_csv({quote_literal(str(tf.path))}, {options})")
            except duckdb.Error as exc:
                raise Unreadable(f"{tf.relative}: {_reason(exc)}") from None
            opened = Opened(self.relation(table))
            # counts, column names and error types only: never the rejected line or its message
            for error_type, column, count in cur.execute(
                    f"SELECT error_type, column_name, count(*) FROM rej_{tag} GROUP BY ALL").fetchall():
                if str(error_type).upper() == "CAST" and column in header:
                    opened.unparsed[column] = opened.unparsed.get(column, 0) + count
                else:
                    opened.malformed += count
            cur.execute(f"DROP TABLE IF EXISTS rej_{tag}")
            cur.execute(f"DROP TABLE IF EXISTS rejscan_{tag}")
            yield opened
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {self.relation(table)}")
            cur.close()


def _reason(exc: duckdb.Error) -> str:
    """A one-line reason that never quotes the data (DuckDB messages can embed a CSV line)."""
    text = str(exc).lower()
    if "gzip" in text or "decompress" in text or "zlib" in text or "inflate" in text or "unexpected end" in text:
        return "the gzip stream is damaged or ends early"
    if "unicode" in text or "utf-8" in text or "utf8" in text:
        return "the text is not valid UTF-8"
    return f"cannot be parsed as CSV ({type(exc).__name__})"


class _CatalogSide(Side):
    """A copy in mimic-code's layout (schemas mimiciv_hosp / mimiciv_icu) inside the workspace."""

    catalog: str | None = None  # the attached database's name, or None for workspace views

    def _schema(self, table: Table) -> str:
        schema = schema_name(table.module)
        return f"{self.catalog}.{schema}" if self.catalog else f"side_{self.label}_{schema}"

    def relation(self, table: Table) -> str:
        return f"{self._schema(table)}.{quote_ident(table.name)}"

    def _where(self) -> str:
        if self.catalog:
            return f"table_catalog = {quote_literal(self.catalog)} AND table_schema IN ({_listed(schema_names())})"
        return f"table_schema IN ({_listed(f'side_{self.label}_{s}' for s in schema_names())})"

    def tables(self, spec: Spec) -> set[str]:
        rows = self.fetchall(f"SELECT table_schema, table_name FROM information_schema.tables WHERE {self._where()}")
        return {n for s, n in rows if n in spec.tables and s.endswith(schema_name(spec.tables[n].module))}

    def header(self, table: Table) -> list[StoredColumn]:
        schema = self._schema(table).split(".")[-1]
        catalog = f" AND table_catalog = {quote_literal(self.catalog)}" if self.catalog else ""
        rows = self.fetchall("SELECT column_name, data_type FROM information_schema.columns WHERE "
                             f"table_schema = {quote_literal(schema)} AND table_name = {quote_literal(table.name)}{catalog} "
                             "ORDER BY ordinal_position")
        return [StoredColumn(n, stored_kind(str(t)), str(t)) for n, t in rows]  # type: ignore[arg-type]


class DuckDBSide(_CatalogSide):
    kind = "DuckDB database"

    def __init__(self, label: str, path: Path, ws: Workspace, attached: dict[str, str]):
        super().__init__(label, str(path), ws)
        key = str(path.resolve())
        if key in attached:  # the same file on both sides: DuckDB attaches a file once
            self.catalog = attached[key]
            return
        self.catalog = f"src_{label}"
        try:
            ws.con.execute(f"ATTACH {quote_literal(str(path))} AS {self.catalog} (READ_ONLY)")
        except duckdb.Error as exc:
            raise UsageError(f"{path}: cannot open the DuckDB database ({type(exc).__name__})") from None
        attached[key] = self.catalog

    def release(self, spec: Spec) -> tuple[str | None, bool]:
        try:  # what mimic-qa recorded when it built the database (validate --keep-db)
            row = self.fetchall(f"SELECT release, synthetic FROM {self.catalog}.{META_SCHEMA}.release")
        except duckdb.Error:
            return None, False
        return (str(row[0][0]), bool(row[0][1])) if row else (None, False)


class ParquetSide(_CatalogSide):
    kind = "Parquet folder"

    def __init__(self, label: str, root: Path, spec: Spec, ws: Workspace):
        super().__init__(label, str(root), ws)
        for module in MODULES:
            ws.con.execute(f"CREATE SCHEMA IF NOT EXISTS side_{label}_{schema_name(module)}")
        for table in spec.tables.values():
            where = parquet_location(root, table)
            if where:
                ws.con.execute(f"CREATE VIEW {self.relation(table)} AS SELECT * FROM "
                               f"read_parquet({quote_literal(where)}, hive_partitioning=false)")


class PostgresSide(Side):
    """PostgreSQL in mimic-code's layout, queried in place on one read-only connection (one query at a time)."""

    kind = "PostgreSQL database"
    dialect = POSTGRES

    def __init__(self, label: str, dsn: str, ws: Workspace):
        super().__init__(label, mask_dsn(dsn), ws)
        self.con = connect(dsn, read_only=True)
        self.lock = threading.Lock()

    def tables(self, spec: Spec) -> set[str]:
        rows = self.fetchall("SELECT table_schema, table_name FROM information_schema.tables "
                             f"WHERE table_schema IN ({_listed(schema_names())})")
        return {n for s, n in rows if n in spec.tables and s == schema_name(spec.tables[n].module)}

    def header(self, table: Table) -> list[StoredColumn]:
        rows = self.fetchall("SELECT column_name, data_type FROM information_schema.columns WHERE "
                             f"table_schema = {quote_literal(schema_name(table.module))} AND table_name = {quote_literal(table.name)} "
                             "ORDER BY ordinal_position")
        return [StoredColumn(n, stored_kind(str(t)), str(t)) for n, t in rows]  # type: ignore[arg-type]

    def relation(self, table: Table) -> str:
        return f"{schema_name(table.module)}.{quote_ident(table.name)}"

    def fetchall(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with self.lock:
            try:
                return [tuple(r) for r in self.con.execute(sql).fetchall()]
            except psycopg.Error as exc:
                raise Unreadable(f"query failed on PostgreSQL ({type(exc).__name__})") from None

    def into_workspace(self, sql: str, name: str, columns: Sequence[tuple[str, str]]) -> None:
        rows = self.fetchall(sql)
        lists = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in columns]
        cols = ", ".join(f"unnest(CAST(? AS {t}[])) AS {quote_ident(n)}" for n, t in columns)
        cur = self.ws.cursor()
        try:
            cur.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {cols}", lists)
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()


def open_side(source: str, label: str, spec: Spec, ws: Workspace, attached: dict[str, str]) -> Side:
    """The copy SOURCE names; a one-line UsageError when it cannot be read at all."""
    if is_dsn(source):
        return PostgresSide(label, source, ws)
    if re.match(r"^(bigquery|spark)://|^local\[", source):
        raise UsageError(f"{source.split('://')[0]}: diff reads release folders, DuckDB databases, Parquet folders "
                         "and PostgreSQL; BigQuery and Spark are not supported yet")
    path = Path(source).expanduser()
    if path.is_file() and is_duckdb_file(path):
        return DuckDBSide(label, path, ws, attached)
    if path.is_file():
        raise UsageError(f"{path}: not a DuckDB database (give a release folder, a DuckDB file, a Parquet folder "
                         "or a postgresql:// URL)")
    if path.is_dir() and is_parquet_dir(path):
        return ParquetSide(label, path, spec, ws)
    return FolderSide(label, find_release_root(path), spec, ws)
