"""PostgreSQL in mimic-code's layout, checked in place: every check runs on the server (as compiled SQL,
or through pandera's ibis backend and GX's PostgreSQL datasource, which connect with :func:`connect_read_only`
and :func:`sqlalchemy_url`)."""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa

from mimic_qa.engines.base import Engine
from mimic_qa.errors import UsageError
from mimic_qa.load.pg_errors import describe_connection_error
from mimic_qa.load.postgres import connection_params
from mimic_qa.spec import Table, load_spec

SCHEMES = ("postgresql://", "postgres://")
READ_ONLY = "-c default_transaction_read_only=on"


def masked(dsn: str) -> str:
    """The DSN as it may be printed: host, port, database and user, never a password."""
    p = connection_params(dsn)
    user = f"{p['user']}@" if p.get("user") else ""
    host = p.get("host", "localhost")
    port = f":{p['port']}" if p.get("port") else ""
    return f"postgresql://{user}{host}{port}/{p.get('dbname', '')}"


def is_dsn(source: object) -> bool:
    """A ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(source, str) and source.startswith(SCHEMES)


def _read_only_options(params: dict[str, str]) -> str:
    return f"{params.get('options', '')} {READ_ONLY}".strip()


def connect_read_only(dsn: str) -> psycopg.Connection:
    """An autocommit connection whose transactions are read-only; a one-line usage error (no password) if refused."""
    params = connection_params(dsn)
    try:
        return psycopg.connect(dsn, autocommit=True, options=_read_only_options(params))
    except psycopg.Error as exc:
        raise UsageError(f"cannot connect to {masked(dsn)}: "
                         f"{describe_connection_error(exc, params.get('password'))}") from None


def sqlalchemy_url(dsn: str) -> sa.URL:
    """The DSN as a read-only SQLAlchemy URL for psycopg 3 (render it with ``hide_password=False`` to use it)."""
    p = connection_params(dsn)
    query = {k: v for k, v in p.items() if k not in ("user", "password", "host", "port", "dbname")}
    query["options"] = _read_only_options(p)
    host = p.get("host")
    if host and host.startswith("/"):  # a Unix socket directory goes in the query, as libpq reads it
        query["host"], host = host, None
    return sa.URL.create("postgresql+psycopg", username=p.get("user"), password=p.get("password"), host=host,
                         port=int(p["port"]) if p.get("port") else None, database=p.get("dbname"), query=query)


class PostgresEngine(Engine):
    name = "postgres"
    dialect = "postgres"
    trim_codes = True  # mimic-code's CHAR(n) columns pad with spaces

    def __init__(self, dsn: str):
        super().__init__(masked(dsn))
        try:
            self.con = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            raise UsageError(describe_connection_error(exc, connection_params(dsn).get("password"))) from None
        self.con.execute("SET default_transaction_read_only = on")
        self.library_target = dsn

    def relation(self, table: Table) -> str:
        return f"mimiciv_{table.module}.{table.name}"

    def present(self) -> set[str]:
        spec = load_spec()
        rows = self.con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                                "WHERE table_schema IN ('mimiciv_hosp', 'mimiciv_icu')").fetchall()
        return {n for s, n in rows if n in spec.tables and s == f"mimiciv_{spec.tables[n].module}"}

    def columns(self, table: Table) -> list[tuple[str, str]]:
        return [(n, str(t)) for n, t in self.con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position", (f"mimiciv_{table.module}", table.name)).fetchall()]

    def _fetch_one(self, sql: str) -> tuple[Any, ...]:
        row = self.con.execute(sql).fetchone()
        assert row is not None
        return tuple(row)

    def close(self) -> None:
        self.con.close()
