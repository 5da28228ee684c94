"""The one dispatcher from a SOURCE argument to its ``Source``, and read-only connections for the libraries.

SOURCE forms: a release folder (csv.gz, as PhysioNet ships it, or nested as ``wget -r`` leaves it), a DuckDB
database file or a Parquet folder in mimic-code's layout, ``postgresql://...``, ``bigquery://...``, or a Spark
master / ``--engine spark`` over Parquet. Each command says which kinds it reads; any other gets one clear line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Source
from mimic_qa.sources.bigquery import BigQuerySource
from mimic_qa.sources.database import is_duckdb_file, open_duckdb
from mimic_qa.sources.duckdb import DuckDBSource, open_database_file, open_parquet
from mimic_qa.sources.folder import FolderSource, open_folder
from mimic_qa.sources.parquet import is_parquet_dir
from mimic_qa.sources.postgres import PostgresSource, connect, is_dsn
from mimic_qa.sources.spark import SparkSource, is_spark_catalog
from mimic_qa.spec import Spec

ENGINES = ("auto", "duckdb", "postgres", "parquet", "spark", "bigquery")  # what --engine accepts
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
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine}: choose one of {', '.join(ENGINES)}")
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


__all__ = ["ENGINES", "KINDS", "DuckDBSource", "FolderSource", "Options", "PostgresSource", "Source", "connected",
           "open_source", "source_kind"]
