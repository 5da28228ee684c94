"""A database in mimic-code's layout, however it is given: a DuckDB file, an open DuckDB connection (validate's
own parse), or a PostgreSQL DSN. One place opens it (read-only) and lists its tables."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.sources.naming import DEFAULT_PREFIX, schema_name, schema_names
from mimic_qa.sources.postgres import connect, is_dsn
from mimic_qa.spec import Spec

Database = Path | str | duckdb.DuckDBPyConnection
Columns = dict[str, list[tuple[str, str]]]  # spec table -> [(column, stored type)] in order


def is_duckdb_file(path: Path) -> bool:
    """DuckDB database files carry the magic bytes ``DUCK`` at offset 8."""
    try:
        with path.open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def one_row(con: Any, *query: Any) -> tuple[Any, ...]:
    """The single row an aggregate query returns (``con.execute(*query)``; any DB-API connection)."""
    row = con.execute(*query).fetchone()
    if row is None:
        raise RuntimeError("an aggregate query returned no row")
    return tuple(row)


def scalar(con: Any, *query: Any) -> Any:
    """The first value of the single row an aggregate query returns."""
    return one_row(con, *query)[0]


def open_duckdb(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A DuckDB database file opened read-only; a one-line usage error if it is not one."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such database file")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise UsageError(f"{path}: cannot open it as a DuckDB database ({type(exc).__name__})") from None


@contextlib.contextmanager
def connected(db: Database) -> Iterator[Any]:
    """A read-only DB-API connection to the database (a cursor on a given DuckDB connection), closed after."""
    if is_dsn(db):
        con: Any = connect(str(db), read_only=True)
    elif isinstance(db, duckdb.DuckDBPyConnection):
        con = db.cursor()
    else:
        con = open_duckdb(db)
    try:
        yield con
    finally:
        con.close()


def list_columns(con: Any, spec: Spec, prefix: str = DEFAULT_PREFIX) -> Columns:
    """The spec tables present in their schema of the database, with their columns and stored types in order.

    ``con``: any connection whose ``execute(sql).fetchall()`` works (DuckDB, psycopg)."""
    schemas = ", ".join(f"'{s}'" for s in schema_names(prefix))
    rows = con.execute("SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                       f"WHERE table_schema IN ({schemas}) "
                       "ORDER BY table_schema, table_name, ordinal_position").fetchall()
    found: Columns = {}
    for schema, table, column, type_name in rows:
        t = spec.tables.get(table)
        if t is not None and schema == schema_name(t.module, prefix):
            found.setdefault(table, []).append((column, str(type_name)))
    return found
