"""Open a SOURCE argument: the database engine it names, or None for a release directory to parse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mimic_qa.sources.database import is_duckdb_file
from mimic_qa.sources.postgres import is_dsn

if TYPE_CHECKING:
    from mimic_qa.engines.base import Engine


def open_engine(source: str, *, engine: str = "auto", spark_session: Any = None, spark_master: str = "local[*]",
                max_bytes_billed: int | None = None, notify: Callable[[str], None] | None = None) -> Engine | None:
    """The engine for a database SOURCE (DuckDB file, Parquet folder, PostgreSQL, BigQuery, Spark), or None when
    SOURCE is a release directory to parse. Engines are imported on use: each pulls in its own client."""
    if engine == "spark" or spark_session is not None or source.startswith(("spark://", "local[")):
        from mimic_qa.engines.spark import SparkEngine

        return SparkEngine(source, master=spark_master, session=spark_session)
    if is_dsn(source):
        from mimic_qa.engines.postgres import PostgresEngine

        return PostgresEngine(source)
    if source.startswith("bigquery://"):
        from mimic_qa.engines.bigquery import BigQueryEngine

        return BigQueryEngine(source, max_bytes_billed=max_bytes_billed, notify=notify)
    path = Path(source).expanduser()
    from mimic_qa.engines.duckdb import DuckDBEngine
    from mimic_qa.sources.parquet import is_parquet_dir

    if path.is_file() and is_duckdb_file(path):
        return DuckDBEngine.from_database(path)
    if path.is_dir() and is_parquet_dir(path):
        return DuckDBEngine.from_parquet(path)
    return None
