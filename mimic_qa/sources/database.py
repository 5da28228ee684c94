"""What every database source shares: recognising and opening a DuckDB file read-only, fetching an aggregate's
row, and listing the spec tables a database holds from its information schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Columns
from mimic_qa.sources.naming import listed
from mimic_qa.spec import Spec


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


def list_columns(con: Any, spec: Spec, schemas: dict[str, str] | None = None, catalog: str | None = None) -> Columns:
    """The spec tables present in their module's schema, with their columns and stored types in order.

    ``con``: any connection whose ``execute(sql).fetchall()`` works (DuckDB, psycopg). ``schemas``: module ->
    schema name where it is not the spec's (``mimiciv_<module>``); ``catalog``: an attached DuckDB database."""
    where = {m: (schemas or {}).get(m, mod.schema_name) for m, mod in spec.modules.items()}
    module_of = {s: m for m, s in where.items()}
    in_catalog = f"table_catalog = '{catalog}' AND " if catalog else ""
    rows = con.execute("SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                       f"WHERE {in_catalog}table_schema IN ({listed(list(where.values()))}) "
                       "ORDER BY table_schema, table_name, ordinal_position").fetchall()
    found: Columns = {}
    for schema, table, column, type_name in rows:
        t = spec.tables.get(table)
        if t is not None and module_of.get(schema) == t.module:
            found.setdefault(table, []).append((column, str(type_name)))
    return {t: found[t] for t in spec.tables if t in found}  # in spec order
