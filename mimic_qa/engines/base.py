"""The engine protocol, and choosing an engine from a SOURCE argument."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import sqlglot

from mimic_qa.spec import Column, Table

# A stored type is compatible with the spec's when it holds the same kind of value (an INTEGER column
# stored as BIGINT by a Parquet writer still holds integers; VARCHAR(n) vs TEXT is the max_length check's job).
_KIND_TYPES: dict[str, tuple[str, ...]] = {
    "integer": ("INT", "SMALLINT", "BIGINT", "INTEGER", "TINYINT", "HUGEINT", "LONG", "SHORT", "BYTE", "INT64",
                "INT32", "INT16"),  # BigQuery, Spark and Parquet spellings included
    "float": ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "FLOAT64", "FLOAT32"),
    "string": ("VARCHAR", "CHAR", "TEXT", "STRING", "CHARACTER", "BPCHAR"),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ"),
}


def stored_kind(stored: str) -> str | None:
    """The kind of value (integer, float, string, date, timestamp) a stored type holds, in any engine's
    spelling; None for types outside those kinds (BOOLEAN, INTERVAL, ...)."""
    head = stored.upper().replace("CHARACTER VARYING", "VARCHAR").replace("DOUBLE PRECISION", "DOUBLE")
    head = head.split("(")[0].split(" ")[0].strip()
    return next((kind for kind, names in _KIND_TYPES.items() if head in names), None)


def type_compatible(column: Column, stored: str) -> bool:
    """Does a stored type (any engine's spelling) hold the spec column's kind of value?"""
    return stored_kind(stored) == column.kind


class Engine(ABC):
    """A database holding MIMIC-IV in mimic-code's layout (schemas mimiciv_hosp / mimiciv_icu)."""

    name: str
    dialect: str  # sqlglot dialect name
    trim_codes = False  # CHAR(n) pads with spaces (PostgreSQL): compare keys trimmed

    def __init__(self, location: str):
        self.location = location
        # What pandera and GX connect to when they run their checks in this database (a DuckDB file path
        # or a PostgreSQL DSN); None where validate runs every check as compiled SQL.
        self.library_target: Path | str | None = None

    @abstractmethod
    def relation(self, table: Table) -> str:
        """The table's qualified name in this engine's SQL."""

    @abstractmethod
    def present(self) -> set[str]:
        """Names of the spec tables that exist in the database."""

    @abstractmethod
    def columns(self, table: Table) -> list[tuple[str, str]]:
        """(name, stored type) of the table's columns, in order."""

    @abstractmethod
    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        """Run one query (already in this dialect) and return its single row."""

    def compile(self, duckdb_sql: str) -> str:
        """Translate a check query written in DuckDB SQL into this engine's dialect."""
        if self.dialect == "duckdb":
            return duckdb_sql
        return sqlglot.transpile(duckdb_sql, read="duckdb", write=self.dialect)[0]

    def fetch_one(self, duckdb_sql: str) -> tuple[Any, ...]:
        return self._fetch_one(self.compile(duckdb_sql))

    def plan(self, queries: list[str]) -> int:
        """Estimate the cost of the queries before running them (bytes; 0 where nothing is billed)."""
        return 0

    def stored_meta(self) -> dict | None:
        """The release mimic-qa recorded in the database when it built it, if any."""
        return None

    def close(self) -> None:
        """Release connections."""


def open_engine(source: str, *, engine: str = "auto", spark_session: Any = None, spark_master: str = "local[*]",
                max_bytes_billed: int | None = None, notify: Any = None) -> Engine | None:
    """The engine for a database SOURCE, or None when SOURCE is a release directory to parse."""
    if engine == "spark" or spark_session is not None or source.startswith(("spark://", "local[")):
        from mimic_qa.engines.spark import SparkEngine

        return SparkEngine(source, master=spark_master, session=spark_session)
    if source.startswith(("postgresql://", "postgres://")):
        from mimic_qa.engines.postgres import PostgresEngine

        return PostgresEngine(source)
    if source.startswith("bigquery://"):
        from mimic_qa.engines.bigquery import BigQueryEngine

        return BigQueryEngine(source, max_bytes_billed=max_bytes_billed, notify=notify)
    path = Path(source).expanduser()
    from mimic_qa.engines.duckdb import DuckDBEngine, is_duckdb_file, is_parquet_dir

    if path.is_file() and is_duckdb_file(path):
        return DuckDBEngine.from_database(path)
    if path.is_dir() and is_parquet_dir(path):
        return DuckDBEngine.from_parquet(path)
    return None
