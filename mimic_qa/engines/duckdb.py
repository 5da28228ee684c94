"""DuckDB: a database file in mimic-code's layout, validate's own parse, or a Parquet directory read in place."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from mimic_qa.engines.base import LayoutEngine
from mimic_qa.sources.database import open_duckdb
from mimic_qa.sources.naming import META_SCHEMA, MODULES, schema_name
from mimic_qa.sources.parquet import parquet_location
from mimic_qa.spec import load_spec


class DuckDBEngine(LayoutEngine):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, location: str, con: duckdb.DuckDBPyConnection):
        super().__init__(location)
        self.con = con

    @classmethod
    def from_database(cls, path: Path) -> DuckDBEngine:
        engine = cls(str(path), open_duckdb(path))
        engine.library_target = path
        return engine

    @classmethod
    def from_parquet(cls, root: Path) -> DuckDBEngine:
        """Views over the Parquet files (read in place, nothing copied)."""
        con = duckdb.connect()
        for module in MODULES:
            con.execute(f"CREATE SCHEMA {schema_name(module)}")
        for table in load_spec().tables.values():
            where = parquet_location(root, table)
            if where:
                con.execute(f"CREATE VIEW {schema_name(table.module)}.{table.name} AS "
                            f"SELECT * FROM read_parquet('{where.replace(chr(39), chr(39) * 2)}', hive_partitioning=false)")
        engine = cls(str(root), con)
        engine.name = "parquet"
        return engine

    def stored_meta(self) -> dict | None:
        try:
            row = self.con.execute(f"SELECT release, synthetic, row_counts, rejects FROM {META_SCHEMA}.release").fetchone()
        except duckdb.Error:
            return None
        if row is None:
            return None
        return {"release": row[0], "synthetic": row[1], "row_counts": json.loads(row[2]), "rejects": json.loads(row[3])}

    def close(self) -> None:
        self.con.close()
