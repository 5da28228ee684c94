"""Parse each CSV of a release directory once, typed from the spec, into a DuckDB database.

The database uses mimic-code's layout (schemas ``mimiciv_hosp`` and ``mimiciv_icu``), so it is a
ready database for analysis afterwards (``validate --keep-db``). Values that do not parse as their
column's type are rejected by DuckDB and counted per column with the first line number; the
offending text itself is never read back.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mimic_qa.checks.kinds.columns import spec_to_observed
from mimic_qa.errors import WriteError
from mimic_qa.sources.database import scalar
from mimic_qa.sources.layout import TableFile
from mimic_qa.sources.naming import MODULES, qualified, schema_name
from mimic_qa.spec import Table


@dataclass
class ColumnRejects:
    """Values of one column that failed to parse: how many, and the first line (1 = header)."""

    count: int
    first_line: int


@dataclass
class LoadOutcome:
    """What happened when one table file was read."""

    table: str
    header: list[str] | None = None  # the file's header names; None when unreadable
    loaded: bool = False
    rows: int = 0
    unreadable: str | None = None  # one-line reason: truncated gzip, bad encoding, empty file ...
    rejects: dict[str, ColumnRejects] = field(default_factory=dict)
    bad_unicode_lines: int = 0
    other_rejects: int = 0  # malformed lines (wrong field count, unterminated quote)


def read_header(path: Path) -> list[str]:
    """The header names of a (possibly gzip-compressed) CSV; raises ValueError with a reason."""
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as fh:
            line = fh.readline(1 << 20)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"cannot decompress: {type(exc).__name__}") from None
    if not line:
        raise ValueError("empty file (no header line)")
    try:
        text = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ValueError("header is not valid UTF-8") from None
    return [name.strip().strip('"') for name in text.split(",")]


def _csv_options(table: Table, header: list[str]) -> str:
    """read_csv arguments: the file's own columns, typed from the spec where names match (in any letter case)."""
    known = {c.name.lower(): c.sql_type("duckdb") for c in table.columns}
    cols = ", ".join(f"'{name}': '{known.get(name.lower(), 'VARCHAR')}'" for name in header)
    return (f"header=true, delim=',', quote='\"', escape='\"', auto_detect=false, "
            f"allow_quoted_nulls=false, columns={{{cols}}}, store_rejects=true, "
            f"rejects_scan='rejects_scan_{table.name}', rejects_table='rejects_{table.name}'")


def create_table_sql(table: Table) -> str:
    cols = ", ".join(f'"{c.name}" {c.sql_type("duckdb")}' for c in table.columns)
    return f"CREATE OR REPLACE TABLE {qualified(table)} ({cols})"


def load_table(con: duckdb.DuckDBPyConnection, table: Table, tf: TableFile) -> LoadOutcome:
    """Read one file into its typed table (created empty when the file cannot be parsed)."""
    out = LoadOutcome(table.name)
    con.execute(create_table_sql(table))
    try:
        out.header = read_header(tf.path)
    except ValueError as exc:
        out.unreadable = str(exc)
        return out
    spelled = spec_to_observed(table.column_names, out.header)
    select = ", ".join(f'"{spelled[c]}"' for c in spelled)
    target = ", ".join(f'"{c}"' for c in spelled)
    path = str(tf.path).replace("'", "''")
    try:
        con.execute(f"INSERT INTO {qualified(table)} ({target}) "
                    f"SELECT {select} FROM read_csv('{path}', {_csv_options(table, out.header)})")
    except duckdb.Error as exc:
        if why := write_failure(exc):  # our database cannot grow: not the file's fault, and the run cannot go on
            raise WriteError(f"cannot write the database {table.name} is parsed into: {why}") from None
        out.unreadable = _reason(exc)
        con.execute(f"DELETE FROM {qualified(table)}")
        return out
    out.loaded = True
    out.rows = scalar(con, f"SELECT count(*) FROM {qualified(table)}")
    _collect_rejects(con, table, out)
    return out


# What the operating system says when a database file cannot grow (DuckDB passes its strerror on).
_WRITE_FAILURES = ("no space left on device", "disk quota exceeded", "file too large", "read-only file system")


def write_failure(exc: duckdb.Error) -> str | None:
    """The operating system's reason when ``exc`` is DuckDB failing to write its own files, else None."""
    text = str(exc).lower()
    return next((reason for reason in _WRITE_FAILURES if reason in text), None)


def _reason(exc: duckdb.Error) -> str:
    """A one-line reason that never quotes the data (DuckDB messages can embed a CSV line)."""
    text = str(exc).lower()
    if "end of gzip" in text or "unexpected end" in text:
        return "gzip stream ends early (truncated file)"
    if "gzip" in text or "decompress" in text or "zlib" in text or "inflate" in text:
        return "gzip stream is damaged (data or checksum error)"
    if "unicode" in text or "utf-8" in text or "utf8" in text:
        return "text is not valid UTF-8"
    return f"cannot be parsed as CSV ({type(exc).__name__})"


def _collect_rejects(con: duckdb.DuckDBPyConnection, table: Table, out: LoadOutcome) -> None:
    # Only counts, column names, error types and line numbers are read: never csv_line or error_message.
    names = {c.lower(): c for c in table.column_names}
    rows = con.execute(
        f"SELECT error_type, column_name, count(*), min(line) FROM rejects_{table.name} "
        f"GROUP BY ALL"
    ).fetchall()
    for error_type, column, count, first in rows:
        kind = str(error_type).upper()
        if "UNICODE" in kind or "ENCODING" in kind:
            out.bad_unicode_lines += count
        elif kind == "CAST" and str(column).lower() in names:
            out.rejects[names[str(column).lower()]] = ColumnRejects(count, first)
        else:
            out.other_rejects += count
    con.execute(f"DROP TABLE IF EXISTS rejects_{table.name}")
    con.execute(f"DROP TABLE IF EXISTS rejects_scan_{table.name}")


def create_empty(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Create the typed table with no rows (for a missing file), so the layout is complete."""
    con.execute(create_table_sql(table))


def open_database(path: Path | None, memory_limit: str | None = None, threads: int | None = None,
                  spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB database in mimic-code's layout: the file ``path``, or in memory (``None``), which stores its
    tables uncompressed (cheaper to load) and spills what exceeds ``memory_limit`` to ``spill_dir``."""
    try:
        con = duckdb.connect(":memory:" if path is None else str(path))
    except duckdb.Error as exc:
        why = write_failure(exc) or type(exc).__name__
        raise WriteError(f"{path}: cannot create the database ({why})") from None
    if spill_dir:
        con.execute(f"SET temp_directory = '{spill_dir}'")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    for module in MODULES:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema_name(module)}")
    return con


__all__ = ["ColumnRejects", "LoadOutcome", "create_empty", "create_table_sql", "load_table", "open_database",
           "read_header"]
