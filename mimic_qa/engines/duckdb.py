"""DuckDB: a database file in mimic-code's layout, or a Parquet directory read in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.engines.base import Engine
from mimic_qa.errors import UsageError
from mimic_qa.spec import Table, load_spec

META_SCHEMA = "mimic_qa"


def is_duckdb_file(path: Path) -> bool:
    """DuckDB database files carry the magic bytes ``DUCK`` at offset 8."""
    try:
        with path.open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def parquet_location(root: Path, table: Table) -> str | None:
    """``<module>/<table>.parquet`` or a partitioned ``<module>/<table>/`` folder of Parquet files."""
    single = root / table.module / f"{table.name}.parquet"
    if single.is_file():
        return str(single)
    folder = root / table.module / table.name
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        return str(folder / "**" / "*.parquet")
    return None


def is_parquet_dir(path: Path) -> bool:
    spec = load_spec()
    return any(parquet_location(path, t) for t in spec.tables.values())


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, location: str, con: duckdb.DuckDBPyConnection):
        super().__init__(location)
        self.con = con

    @classmethod
    def from_database(cls, path: Path) -> DuckDBEngine:
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise UsageError(f"{path}: cannot open the DuckDB database ({type(exc).__name__})") from None
        engine = cls(str(path), con)
        engine.library_target = path
        return engine

    @classmethod
    def from_parquet(cls, root: Path) -> DuckDBEngine:
        """Views over the Parquet files (read in place, nothing copied)."""
        con = duckdb.connect()
        for module in ("hosp", "icu"):
            con.execute(f"CREATE SCHEMA mimiciv_{module}")
        for table in load_spec().tables.values():
            where = parquet_location(root, table)
            if where:
                con.execute(f"CREATE VIEW mimiciv_{table.module}.{table.name} AS "
                            f"SELECT * FROM read_parquet('{where.replace(chr(39), chr(39) * 2)}', hive_partitioning=false)")
        engine = cls(str(root), con)
        engine.name = "parquet"
        return engine

    def relation(self, table: Table) -> str:
        return f"mimiciv_{table.module}.{table.name}"

    def present(self) -> set[str]:
        rows = self.con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
        spec = load_spec()
        return {n for s, n in rows if n in spec.tables and s == f"mimiciv_{spec.tables[n].module}"}

    def columns(self, table: Table) -> list[tuple[str, str]]:
        return [(n, str(t)) for n, t in self.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position", [f"mimiciv_{table.module}", table.name]).fetchall()]

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        row = self.con.execute(sql).fetchone()
        assert row is not None
        return row

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
