"""Reading a table's CSV file: the one ``read_csv`` builder every command uses, its header, and its rejects.

MIMIC-IV's files are RFC 4180 CSV (``"`` quotes, ``""`` escapes, ``\\N``-free: an empty field is NULL, a quoted
empty string is not). Values that do not parse as their column's type are rejected by DuckDB and counted per
column with the first line number; the offending text itself is never read back. Parsing into a typed table
(``load_table``) is what validate does once per file; diff, scan-phi and synth's calibration read the same way.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mimic_qa.errors import WriteError
from mimic_qa.sources.naming import quote_ident, quote_literal
from mimic_qa.spec import Table

VARCHAR = None  # ``csv_read(types=VARCHAR)``: every column as text


def read_header(path: Path) -> list[str]:
    """The header names of a (possibly gzip-compressed) CSV; raises ValueError with a one-line reason."""
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as fh:
            line = fh.readline(1 << 20)
    except gzip.BadGzipFile:
        raise ValueError("not a gzip stream (a damaged or mislabelled file)") from None
    except EOFError:
        raise ValueError("gzip stream ends early (truncated file)") from None
    except (OSError, zlib.error) as exc:
        raise ValueError(f"cannot decompress: {type(exc).__name__}") from None
    if not line:
        raise ValueError("empty file (no header line)")
    try:
        text = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ValueError("header is not valid UTF-8") from None
    return [name.strip().strip('"') for name in text.split(",")]


def csv_read(path: Path | str, header: list[str] | None = None, types: dict[str, str] | None = VARCHAR, *,
             rejects: str | None = None) -> str:
    """``read_csv(...)`` over one file, as a FROM-able DuckDB expression.

    ``header``: the file's column names (None: take them from the file, every column as text). ``types``: header
    name -> DuckDB type (``Table.duckdb_types``); VARCHAR reads every column as text. ``rejects``: a tag naming
    the tables DuckDB stores the rows that do not parse in (read them with ``collect_rejects``)."""
    options = ["header=true", "delim=','", "quote='\"'", "escape='\"'", "allow_quoted_nulls=false"]
    if header is None:
        options.append("all_varchar=true")
    else:
        typed = types or {}
        cols = ", ".join(f"{quote_literal(n)}: {quote_literal(typed.get(n, 'VARCHAR'))}" for n in header)
        options += ["auto_detect=false", f"columns={{{cols}}}"]
    if rejects:
        options += ["store_rejects=true", f"rejects_scan='rejects_scan_{rejects}'", f"rejects_table='rejects_{rejects}'"]
    return f"read_csv({quote_literal(str(path))}, {', '.join(options)})"


@dataclass
class ColumnRejects:
    """Values of one column that failed to parse: how many, and the first line (1 = header)."""

    count: int
    first_line: int


@dataclass
class Rejects:
    """What a read rejected: values per column that did not parse, lines that were not valid UTF-8, and lines
    that could not be read at all (wrong field count, unterminated quote)."""

    columns: dict[str, ColumnRejects] = field(default_factory=dict)
    bad_unicode_lines: int = 0
    other_lines: int = 0


def collect_rejects(con: duckdb.DuckDBPyConnection, tag: str, columns: list[str]) -> Rejects:
    """The rejects of a ``csv_read(..., rejects=tag)``, keyed by the spec's spelling of ``columns``; the rejects
    tables are dropped. Only counts, column names, error types and line numbers are read: never the line."""
    names = {c.lower(): c for c in columns}
    out = Rejects()
    rows = con.execute(f"SELECT error_type, column_name, count(*), min(line) FROM rejects_{tag} GROUP BY ALL").fetchall()
    for error_type, column, count, first in rows:
        kind = str(error_type).upper()
        if "UNICODE" in kind or "ENCODING" in kind:
            out.bad_unicode_lines += count
        elif kind == "CAST" and str(column).lower() in names:
            name = names[str(column).lower()]
            seen = out.columns.get(name)
            out.columns[name] = ColumnRejects((seen.count if seen else 0) + count,
                                              min(first, seen.first_line) if seen else first)
        else:
            out.other_lines += count
    con.execute(f"DROP TABLE IF EXISTS rejects_{tag}")
    con.execute(f"DROP TABLE IF EXISTS rejects_scan_{tag}")
    return out


# What the operating system says when a database file cannot grow (DuckDB passes its strerror on).
_WRITE_FAILURES = ("no space left on device", "disk quota exceeded", "file too large", "read-only file system")


def write_failure(exc: duckdb.Error) -> str | None:
    """The operating system's reason when ``exc`` is DuckDB failing to write its own files, else None."""
    text = str(exc).lower()
    return next((reason for reason in _WRITE_FAILURES if reason in text), None)


def unreadable_reason(exc: duckdb.Error) -> str:
    """Why a file cannot be read, in one line that never quotes the data (DuckDB messages can embed a CSV line)."""
    text = str(exc).lower()
    if "end of gzip" in text or "unexpected end" in text:
        return "gzip stream ends early (truncated file)"
    if "gzip" in text or "decompress" in text or "zlib" in text or "inflate" in text:
        return "gzip stream is damaged (data or checksum error)"
    if "unicode" in text or "utf-8" in text or "utf8" in text:
        return "text is not valid UTF-8"
    return f"cannot be parsed as CSV ({type(exc).__name__})"


@dataclass
class LoadOutcome:
    """What happened when one table file was parsed into its typed table."""

    table: str
    header: list[str] | None = None  # the file's header names; None when unreadable
    loaded: bool = False
    rows: int = 0
    unreadable: str | None = None  # one-line reason: truncated gzip, bad encoding, empty file ...
    rejects: Rejects = field(default_factory=Rejects)


def create_table_sql(table: Table, qualified: str) -> str:
    cols = ", ".join(f"{quote_ident(c.name)} {c.sql_type('duckdb')}" for c in table.columns)
    return f"CREATE OR REPLACE TABLE {qualified} ({cols})"


def load_table(con: duckdb.DuckDBPyConnection, table: Table, path: Path, qualified: str) -> LoadOutcome:
    """Parse one file into its typed table ``qualified`` (created empty when the file cannot be parsed)."""
    out = LoadOutcome(table.name)
    con.execute(create_table_sql(table, qualified))
    try:
        out.header = read_header(path)
    except ValueError as exc:
        out.unreadable = str(exc)
        return out
    spelled = table.spelled_in(out.header)
    select = ", ".join(quote_ident(spelled[c]) for c in spelled)
    target = ", ".join(quote_ident(c) for c in spelled)
    read = csv_read(path, out.header, table.duckdb_types(out.header), rejects=table.name)
    try:
        con.execute(f"INSERT INTO {qualified} ({target}) SELECT {select} FROM {read}")
    except duckdb.Error as exc:
        if why := write_failure(exc):  # our database cannot grow: not the file's fault, and the run cannot go on
            raise WriteError(f"cannot write the database {table.name} is parsed into: {why}") from None
        out.unreadable = unreadable_reason(exc)
        con.execute(f"DELETE FROM {qualified}")
        return out
    out.loaded = True
    row = con.execute(f"SELECT count(*) FROM {qualified}").fetchone()
    out.rows = int(row[0]) if row else 0
    out.rejects = collect_rejects(con, table.name, table.column_names)
    return out


__all__ = ["ColumnRejects", "LoadOutcome", "Rejects", "collect_rejects", "create_table_sql", "csv_read",
           "load_table", "read_header", "unreadable_reason", "write_failure"]
