"""The one dispatcher from a SOURCE argument to its ``Source``, and read-only connections for the libraries.

SOURCE forms: a release folder (csv.gz, as PhysioNet ships it, or nested as ``wget -r`` leaves it), a DuckDB
database file or a Parquet folder in mimic-code's layout, ``postgresql://...``, ``bigquery://...``, or a Spark
master / ``--engine spark`` over Parquet. Each command says which kinds it reads; any other gets one clear line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.selection import check_engine
from mimic_qa.sources.base import Source
from mimic_qa.sources.bigquery import BigQuerySource
from mimic_qa.sources.database import is_duckdb_file, open_duckdb
from mimic_qa.sources.duckdb import DuckDBSource, open_database_file, open_parquet
from mimic_qa.sources.folder import FolderSource, open_folder
from mimic_qa.sources.layout import find_roots
from mimic_qa.sources.parquet import is_parquet_dir
from mimic_qa.sources.postgres import PostgresSource, connect, is_dsn
from mimic_qa.sources.spark import SparkSource, is_spark_catalog
from mimic_qa.spec import Spec

KINDS = ("folder", "duckdb", "parquet", "postgres", "spark", "bigquery")  # kinds of SOURCE a command may read


@dataclass(frozen=True)
class Options:
    """How to open a source: the engine asked for, and what each engine needs."""

    engine: str = "auto"
    spark_session: Any = None
    spark_master: str = "local[*]"
    max_bytes_billed: int | None = None
    notify: Callable[[str], None] | None = None
    host: duckdb.DuckDBPyConnection | None = None  # DuckDB-readable sources live in this connection (diff)
    label: str = "src"  # names their objects in the host connection


def source_kind(argument: str, spec: Spec, engine: str = "auto", spark_session: Any = None) -> str:
    """Which kind of source SOURCE names (without opening it)."""
    check_engine(engine)
    if engine == "spark" or spark_session is not None or is_spark_catalog(argument):
        return "spark"
    if is_dsn(argument):
        return "postgres"
    if argument.startswith("bigquery://"):
        return "bigquery"
    path = Path(argument).expanduser()
    if path.is_file():
        if not is_duckdb_file(path):
            raise UsageError(f"{path}: not a DuckDB database (give a release folder, a DuckDB file, a Parquet "
                             "folder or a postgresql:// URL)")
        return "duckdb"
    if path.is_dir() and is_parquet_dir(path, spec):
        return "parquet"
    return "folder"


def open_source(argument: str, spec: Spec, options: Options | None = None, *,
                accept: Collection[str] = KINDS, command: str = "this command") -> Source:
    """The source SOURCE names; a one-line UsageError when it cannot be opened or ``command`` does not read
    that kind of source."""
    opts = options or Options()
    kind = source_kind(argument, spec, opts.engine, opts.spark_session)
    expected = {"postgres": "postgres", "bigquery": "bigquery", "spark": "spark", "duckdb": "duckdb",
                "parquet": "parquet", "folder": "duckdb"}[kind]
    if opts.engine not in ("auto", expected) and not (opts.engine == "duckdb" and kind == "parquet"):
        raise UsageError(f"--engine {opts.engine} does not read {argument.split('://')[0] if '://' in argument else 'this source'}"
                         f" (a {kind} source)")
    if kind not in accept:
        readable = ", ".join(k for k in KINDS if k in accept)
        raise UsageError(f"{command} reads {readable} sources; {kind} is not supported yet")
    path = Path(argument).expanduser()
    if kind == "spark":
        return SparkSource(spec, argument, master=opts.spark_master, session=opts.spark_session)
    if kind == "postgres":
        return PostgresSource(spec, argument)
    if kind == "bigquery":
        return BigQuerySource(spec, argument, max_bytes_billed=opts.max_bytes_billed, notify=opts.notify)
    if kind == "duckdb":
        return open_database_file(spec, path, opts.host, f"{opts.label}_db" if opts.host else None)
    if kind == "parquet":
        return open_parquet(spec, path, opts.host, f"{opts.label}_" if opts.host else "")
    return open_folder(spec, path, opts.host)


def open_sources(arguments: Sequence[str], spec: Spec, options: Options | None = None, *,
                 accept: Collection[str] = KINDS, command: str = "this command") -> Source:
    """One copy from one SOURCE, or from several download folders (PhysioNet publishes MIMIC-IV, MIMIC-IV-ED and
    MIMIC-IV-Note as separate projects): their release roots together, each with its own SHA256SUMS.txt."""
    if len(arguments) == 1:
        return open_source(arguments[0], spec, options, accept=accept, command=command)
    opts = options or Options()
    kinds = {a: source_kind(a, spec, opts.engine, opts.spark_session) for a in arguments}
    if any(k != "folder" for k in kinds.values()) or "folder" not in accept:
        shown = ", ".join(f"{a} ({k})" for a, k in kinds.items() if k != "folder") or "release folders"
        raise UsageError(f"{command} takes several sources only as download folders (one per PhysioNet project); "
                         f"got {shown}: a database holds every module in its own schemas, give it alone")
    roots = [root for a in arguments for root in find_roots(Path(a).expanduser(), spec)]
    for module in spec.modules:
        holding = [str(r.path) for r in roots if module in r.modules]
        if len(holding) > 1:
            raise UsageError(f"{module}/ is in more than one of the folders given ({', '.join(holding)})")
    return FolderSource(spec, roots, opts.host)


@contextlib.contextmanager
def connected(db: Path | str | duckdb.DuckDBPyConnection) -> Iterator[Any]:
    """A read-only DB-API connection to a database (a DuckDB file path, a PostgreSQL DSN, or a cursor on an open
    DuckDB connection), closed after: what pandera and GX are given."""
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


__all__ = ["KINDS", "DuckDBSource", "FolderSource", "Options", "PostgresSource", "Source", "connected",
           "open_source", "open_sources", "source_kind"]
