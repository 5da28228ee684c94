"""What to scan: tables, their free-text columns and row keys, from a copy the source layer opens (a release
folder, a DuckDB database or a Parquet folder in mimic-code's layout), or one CSV/Parquet file of a derived
dataset. Every table is read by DuckDB where it lies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.phi.vocabulary import DICTIONARY_COLUMNS, dictionary_words_sql
from mimic_qa.sources.base import Source
from mimic_qa.sources.csv_loader import csv_read
from mimic_qa.sources.duckdb import DuckDBSource
from mimic_qa.sources.folder import FolderSource
from mimic_qa.sources.naming import qualified, quote_ident, quote_literal
from mimic_qa.sources.open import open_source
from mimic_qa.spec import Spec, Table

FILE_SUFFIXES = (".csv", ".csv.gz", ".parquet")
READS = ("folder", "duckdb", "parquet")  # scan-phi reads text where DuckDB can: not on a server


@dataclass
class Target:
    """One table to scan: a SQL relation, its text columns, and the key columns that locate a row."""

    table: str
    relation: str  # a FROM-able DuckDB expression
    location: str  # file or qualified table name, for the report
    columns: list[str]
    key: list[str]  # empty: rows are located by 1-based row number
    key_casts: dict[str, str] = field(default_factory=dict)  # key column -> DuckDB type to cast to
    size: int | None = None  # bytes of the file read, when it is one
    by_row: bool = False  # documents: every row analysed, located by its key (no distinct-value shortcut)


@dataclass
class ScanPlan:
    """An open copy: the DuckDB connection to query, the targets found in it, and the words of its own
    dictionaries (for false-positive suppression)."""

    kind: str  # "release" | "duckdb" | "file"
    path: Path
    con: duckdb.DuckDBPyConnection
    targets: list[Target]
    vocabulary_texts: list[str]
    source: Source | None = None  # the copy, when it is one of the family (not a single file)


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


def _relation(source: Source, table: Table) -> tuple[str, str, int | None]:
    """(FROM-able relation, location shown, bytes to read) of a table the source holds."""
    if isinstance(source, FolderSource):
        tf = source.files[table.name]
        try:
            return source.read(table, varchar=True), tf.relative, tf.path.stat().st_size
        except ValueError as exc:
            raise UsageError(f"{tf.relative}: cannot be read: {exc}") from None
    return source.relation(table).sql(dialect="duckdb"), qualified(source.spec, table), None


def open_copy(source: Source, spec: Spec, tables: list[str], columns: list[str]) -> ScanPlan:
    """The targets of a copy of the family: the chosen text columns of the tables it holds."""
    held = set(source.files) if isinstance(source, FolderSource) else set(source.columns())
    targets = []
    for name, cols in _chosen(spec, tables, columns).items():
        t = spec.tables[name]
        if name not in held:
            if tables or columns:
                raise UsageError(f"{source.location}: no {t.file if isinstance(source, FolderSource) else qualified(spec, t)}")
            continue
        relation, location, size = _relation(source, t)
        key = row_key(t)
        targets.append(Target(name, relation, location, cols, key,
                              _integer_casts(t, key) if isinstance(source, FolderSource) else {}, size))
    if isinstance(source, (FolderSource, DuckDBSource)):
        modules = {spec.tables[t.table].module for t in targets}
        probes = [Target(n, _relation(source, spec.tables[n])[0], "", list(spec.tables[n].free_text), [])
                  for n in sorted(held) if n in spec.tables and spec.tables[n].module in modules and spec.tables[n].free_text]
        documents = _document_modules(source.con, probes, {p.table: spec.tables[p.table].module for p in probes})
        for target in targets:
            target.by_row = spec.tables[target.table].module in documents
    dicts = [(_relation(source, spec.tables[n])[0], n) for n in DICTIONARY_COLUMNS if n in held]
    con = source.con if isinstance(source, (FolderSource, DuckDBSource)) else duckdb.connect()
    kind = "release" if isinstance(source, FolderSource) else "duckdb"
    return ScanPlan(kind, Path(source.location), con, targets, _vocabulary_texts(con, dicts), source)


DOCUMENT_CHARS = 1_000  # mean length of a table's first values from which its text is documents (notes)
PROBE_ROWS = 200


def _document_modules(con: duckdb.DuckDBPyConnection, targets: list[Target], modules: dict[str, str]) -> set[str]:
    """The modules scanned row by row: those with a table of documents (the mean length of its first values is
    ``DOCUMENT_CHARS`` or more). Every value is distinct there, so the distinct-value shortcut only costs, and
    findings are located by each row's key; the module's other tables (a note's details) go the same way."""
    documents = set()
    for t in targets:
        cols = " + ".join(f"coalesce(length(CAST({quote_ident(c)} AS VARCHAR)), 0)" for c in t.columns)
        try:
            mean = con.execute(f"SELECT avg({cols}) FROM (SELECT * FROM {t.relation} LIMIT {PROBE_ROWS})").fetchone()
        except duckdb.Error:
            continue  # an unreadable table is reported when it is scanned
        if mean and mean[0] is not None and mean[0] >= DOCUMENT_CHARS:
            documents.add(modules[t.table])
    return documents


def open_file(path: Path, key: list[str], columns: list[str]) -> ScanPlan:
    """One CSV or Parquet file of a derived dataset: every column as text, rows located by ``key``."""
    con = duckdb.connect()
    relation = f"read_parquet({quote_literal(str(path))})" if path.name.endswith(".parquet") else csv_read(path)
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
    targets = [Target(table, relation, path.name, cols, list(key), {}, path.stat().st_size)]
    targets[0].by_row = bool(_document_modules(con, targets, {table: table}))
    return ScanPlan("file", path, con, targets, [])


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


def open_scan(path: Path, spec: Spec, *, tables: list[str], columns: list[str], key: list[str]) -> ScanPlan:
    """Open SOURCE for scanning: a copy of the family (release folder, DuckDB database, Parquet folder), or a
    single CSV/Parquet file."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_file() and path.name.endswith(FILE_SUFFIXES):
        return open_file(path, key, columns)
    return open_copy(open_source(str(path), spec, accept=READS, command="scan-phi"), spec, tables, columns)
