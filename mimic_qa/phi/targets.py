"""What to scan: tables, their free-text columns and row keys, read from a release directory, a DuckDB
database in mimic-code layout, or one CSV/Parquet file of a derived dataset."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.phi.vocabulary import DICTIONARY_COLUMNS, dictionary_words_sql
from mimic_qa.sources.database import is_duckdb_file, list_columns
from mimic_qa.sources.database import open_duckdb as open_database_file
from mimic_qa.sources.layout import find_release_root, table_files
from mimic_qa.sources.naming import qualified, quote_ident, quote_literal, schema_name
from mimic_qa.spec import Spec, Table

DUCKDB_SUFFIXES = (".duckdb", ".db", ".ddb")
FILE_SUFFIXES = (".csv", ".csv.gz", ".parquet")


@dataclass
class Target:
    """One table to scan: a SQL relation, its text columns, and the key columns that locate a row."""

    table: str
    relation: str  # a FROM-able SQL expression
    location: str  # file or qualified table name, for the report
    columns: list[str]
    key: list[str]  # empty: rows are located by 1-based row number
    key_casts: dict[str, str] = field(default_factory=dict)  # key column -> DuckDB type to cast to
    size: int | None = None  # bytes of the file read, when it is one


@dataclass
class Source:
    """An open source: the DuckDB connection to query and the targets found in it."""

    kind: str  # "release" | "duckdb" | "file"
    path: Path
    con: duckdb.DuckDBPyConnection
    targets: list[Target]
    vocabulary_texts: list[str]


def row_key(table: Table) -> list[str]:
    """The columns that locate a row: the primary key, else the first candidate key, else none (row number)."""
    if table.primary_key:
        return list(table.primary_key)
    if table.candidate_keys:
        return list(table.candidate_keys[0].columns)
    return []


def _integer_casts(table: Table, key: list[str]) -> dict[str, str]:
    return {c: table.column(c).sql_type("duckdb") for c in key if table.column(c).kind == "integer"}


def _chosen(spec: Spec, tables: list[str], columns: list[str]) -> dict[str, list[str]]:
    """table -> text columns: ``--columns table.col`` wins, else the spec's free-text columns of ``--tables``."""
    for t in tables:
        if t not in spec.tables:
            raise UsageError(f"unknown table {t!r}; tables are: {', '.join(spec.tables)}")
    if columns:
        out: dict[str, list[str]] = {}
        for item in columns:
            table, _, col = item.partition(".")
            if not col or table not in spec.tables:
                raise UsageError(f"--columns {item}: expected table.column with a table of the spec")
            if col not in spec.tables[table].column_names:
                raise UsageError(f"--columns {item}: {table} has no column {col!r}")
            if not tables or table in tables:
                out.setdefault(table, []).append(col)
        return out
    names = tables or list(spec.tables)
    return {t: list(spec.tables[t].free_text) for t in names if spec.tables[t].free_text}


def _release_relation(path: Path, table: Table) -> str:
    cols = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in table.column_names)
    return (f"read_csv({quote_literal(str(path))}, header=true, all_varchar=true, allow_quoted_nulls=false, "
            f"auto_detect=false, delim=',', quote='\"', escape='\"', columns={{{cols}}})")


def open_release(path: Path, spec: Spec, tables: list[str], columns: list[str]) -> Source:
    root = find_release_root(path)
    files = table_files(root, spec)
    con = duckdb.connect()
    targets = []
    for name, cols in _chosen(spec, tables, columns).items():
        if name not in files:
            if tables or columns:
                raise UsageError(f"{name}: no {spec.tables[name].file} under {root}")
            continue
        t = spec.tables[name]
        key = row_key(t)
        targets.append(Target(name, _release_relation(files[name].path, t), files[name].relative, cols, key,
                              _integer_casts(t, key), files[name].path.stat().st_size))
    dicts = [(_release_relation(files[n].path, spec.tables[n]), n) for n in DICTIONARY_COLUMNS if n in files]
    return Source("release", root, con, targets, _vocabulary_texts(con, dicts))


def open_duckdb(path: Path, spec: Spec, tables: list[str], columns: list[str]) -> Source:
    con = open_database_file(path)
    present = list_columns(con, spec)
    targets = []
    for name, cols in _chosen(spec, tables, columns).items():
        t = spec.tables[name]
        if name not in present:
            if tables or columns:
                raise UsageError(f"{path}: no table {qualified(t)}")
            continue
        key = row_key(t)
        targets.append(Target(name, f"{schema_name(t.module)}.{quote_ident(name)}", qualified(t), cols, key, {}))
    dicts = [(f"{schema_name(spec.tables[n].module)}.{quote_ident(n)}", n) for n in DICTIONARY_COLUMNS if n in present]
    return Source("duckdb", path, con, targets, _vocabulary_texts(con, dicts))


def open_file(path: Path, key: list[str], columns: list[str]) -> Source:
    con = duckdb.connect()
    if path.name.endswith(".parquet"):
        relation = f"read_parquet({quote_literal(str(path))})"
    else:
        relation = f"read_csv({quote_literal(str(path))}, header=true, all_varchar=true, allow_quoted_nulls=false)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.Error as exc:
        raise UsageError(f"{path}: cannot read as CSV/Parquet ({type(exc).__name__})") from None
    names = [row[0] for row in described]
    table = path.name.split(".")[0]
    for k in key:
        if k not in names:
            raise UsageError(f"--key {k}: {path.name} has no such column")
    cols = [c.partition(".")[2] if "." in c else c for c in columns] or [n for n in names if n not in key]
    for c in cols:
        if c not in names:
            raise UsageError(f"--columns {c}: {path.name} has no such column")
    return Source("file", path, con, [Target(table, relation, path.name, cols, list(key), {}, path.stat().st_size)], [])


def _vocabulary_texts(con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]) -> list[str]:
    """Distinct words of the data's own dictionaries (item and lab labels, ICD titles, drug names)."""
    words: list[str] = []
    for relation, name in relations:
        for column in DICTIONARY_COLUMNS[name]:
            try:
                words += [w for (w,) in con.execute(dictionary_words_sql(relation, column)).fetchall()]
            except duckdb.Error:
                continue  # an unreadable dictionary only weakens false-positive suppression
    return words


def open_source(path: Path, spec: Spec, *, tables: list[str], columns: list[str], key: list[str]) -> Source:
    """Open SOURCE as a release directory, a DuckDB database, or a single CSV/Parquet file."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        return open_release(path, spec, tables, columns)
    if path.name.endswith(DUCKDB_SUFFIXES) or is_duckdb_file(path):
        return open_duckdb(path, spec, tables, columns)
    if path.name.endswith(FILE_SUFFIXES):
        return open_file(path, key, columns)
    raise UsageError(f"{path}: expected a release directory, a DuckDB database ({', '.join(DUCKDB_SUFFIXES)}) "
                     f"or a CSV/Parquet file")
