"""PostgreSQL in mimic-code's layout, checked in place: every check runs on the server (as compiled SQL, or
through pandera's ibis backend and GX's PostgreSQL datasource, which connect with the same read-only settings)."""

from __future__ import annotations

from mimic_qa.engines.base import LayoutEngine
from mimic_qa.sources.postgres import connect, mask_dsn


class PostgresEngine(LayoutEngine):
    name = "postgres"
    dialect = "postgres"

    def __init__(self, dsn: str):
        super().__init__(mask_dsn(dsn))
        self.con = connect(dsn, read_only=True)
        self.library_target = dsn

    def close(self) -> None:
        self.con.close()
