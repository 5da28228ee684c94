"""DuckDB sources: a database file in mimic-code's layout, the database validate parses a release into, and a
Parquet folder read in place (views over its files). Each may live in a host connection of another command (diff
compares two copies inside one DuckDB connection): then its tables are an attached catalog or prefixed schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from mimic_qa.errors import UsageError, WriteError
from mimic_qa.sources.base import Columns, Meta, Source
from mimic_qa.sources.csv_loader import write_failure
from mimic_qa.sources.database import list_columns, open_duckdb
from mimic_qa.sources.meta import META_TABLE, parse_meta, read_meta
from mimic_qa.sources.naming import quote_literal
from mimic_qa.sources.parquet import parquet_location
from mimic_qa.spec import Spec, Table


class DuckDBSource(Source):
    """Tables in a DuckDB connection, in mimic-code's layout (``mimiciv_<module>.<table>``)."""

    kind = "DuckDB database"
    engine = "duckdb"
    dialect = "duckdb"

    def __init__(self, spec: Spec, con: duckdb.DuckDBPyConnection, location: str, *, catalog: str | None = None,
                 schemas: dict[str, str] | None = None, owned: bool = True):
        super().__init__(spec, location)
        self.con = con
        self.catalog = catalog  # an attached database's name in a host connection
        self.schemas = {m: (schemas or {}).get(m, mod.schema_name) for m, mod in spec.modules.items()}
        self.owned = owned  # close the connection with the source (not a host's)
        self._columns: Columns | None = None

    def relation(self, table: Table) -> exp.Table:
        return exp.table_(table.name, db=self.schemas[table.module], catalog=self.catalog)

    def columns(self) -> Columns:
        if self._columns is None:
            self._columns = list_columns(self.con, self.spec, self.schemas, self.catalog)
        return self._columns

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self.con.cursor()  # a cursor per query: sources are queried from several threads
        try:
            return cur.execute(sql).fetchall()
        finally:
            cur.close()

    def meta(self) -> Meta | None:
        project_of = {k: r.project for k, r in self.spec.releases.items()}
        if self.catalog is None:
            return read_meta(self.con, project_of)
        try:
            return parse_meta(self._rows(f"SELECT key, value FROM {self.catalog}.{META_TABLE}"))
        except duckdb.Error:
            return None

    def close(self) -> None:
        if self.owned:
            self.con.close()


def open_database_file(spec: Spec, path: Path, host: duckdb.DuckDBPyConnection | None = None,
                       alias: str | None = None) -> DuckDBSource:
    """A DuckDB database file, read-only: on its own connection, or attached to ``host`` as ``alias``."""
    if host is None:
        source = DuckDBSource(spec, open_duckdb(path), str(path))
        source.library_target = path
        return source
    try:
        host.execute(f"ATTACH {quote_literal(str(path))} AS {alias} (READ_ONLY)")
    except duckdb.Error as exc:
        raise UsageError(f"{path}: cannot open the DuckDB database ({type(exc).__name__})") from None
    return DuckDBSource(spec, host, str(path), catalog=alias, owned=False)


class ParquetSource(DuckDBSource):
    kind = "Parquet folder"
    engine = "parquet"


def open_parquet(spec: Spec, root: Path, host: duckdb.DuckDBPyConnection | None = None,
                 prefix: str = "") -> ParquetSource:
    """Views over a Parquet folder's files (``<module>/<table>.parquet`` or a partitioned folder), read in place,
    in schemas ``<prefix>mimiciv_<module>`` of ``host`` (or of a connection of their own)."""
    con = host or duckdb.connect()
    schemas = {m: f"{prefix}{mod.schema_name}" for m, mod in spec.modules.items()}
    for schema in schemas.values():
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in spec.tables.values():
        where = parquet_location(root, table)
        if where:
            con.execute(f"CREATE VIEW {schemas[table.module]}.{table.name} AS "
                        f"SELECT * FROM read_parquet({quote_literal(where)}, hive_partitioning=false)")
    return ParquetSource(spec, con, str(root), schemas=schemas, owned=host is None)


def create_database(spec: Spec, path: Path | None, *, memory_limit: str | None = None, threads: int | None = None,
                    spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A new DuckDB database in mimic-code's layout: the file ``path``, or in memory (``None``), which stores its
    tables uncompressed (cheaper to load) and spills what exceeds ``memory_limit`` to ``spill_dir``."""
    try:
        con = duckdb.connect(":memory:" if path is None else str(path))
    except duckdb.Error as exc:
        why = write_failure(exc) or type(exc).__name__
        raise WriteError(f"{path}: cannot create the database ({why})") from None
    if spill_dir:
        con.execute(f"SET temp_directory = {quote_literal(str(spill_dir))}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    for module in spec.modules.values():
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {module.schema_name}")
    return con

