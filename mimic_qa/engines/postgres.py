"""PostgreSQL in mimic-code's layout, checked in place: every check runs on the server (as compiled SQL, or
through pandera's ibis backend and GX's PostgreSQL datasource, which connect with the same read-only settings)."""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from mimic_qa.engines.base import Engine
from mimic_qa.sources.database import Columns, list_columns
from mimic_qa.sources.naming import relation
from mimic_qa.sources.postgres import connect, mask_dsn
from mimic_qa.spec import Table, load_spec


class PostgresEngine(Engine):
    name = "postgres"
    dialect = "postgres"

    def __init__(self, dsn: str):
        super().__init__(mask_dsn(dsn))
        self.con = connect(dsn, read_only=True)
        self.library_target = dsn

    def relation(self, table: Table) -> exp.Table:
        return relation(table)

    def list_columns(self) -> Columns:
        return list_columns(self.con, load_spec())

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        row = self.con.execute(sql).fetchone()
        assert row is not None
        return tuple(row)

    def close(self) -> None:
        self.con.close()
