"""PostgreSQL for every command: DSN parsing, masking (never a password in a message), read-only connections, the
SQLAlchemy URL GX connects with, and the source over a database in mimic-code's layout."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlglot import exp

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Columns, Meta, Source
from mimic_qa.sources.database import list_columns
from mimic_qa.sources.meta import read_meta
from mimic_qa.spec import Spec, Table

SCHEMES = ("postgresql://", "postgres://")
READ_ONLY = "-c default_transaction_read_only=on"
CONNECT_TIMEOUT = 10  # seconds, unless the DSN sets connect_timeout: an unreachable host must not hang a run


def is_dsn(source: object) -> bool:
    """A ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(source, str) and source.startswith(SCHEMES)


def connection_params(dsn: str) -> dict[str, str]:
    """The DSN's parameters (URL or key=value form); a usage error that does not echo it if invalid."""
    try:
        return {k: str(v) for k, v in psycopg.conninfo.conninfo_to_dict(dsn).items()}
    except psycopg.ProgrammingError:
        raise UsageError("not a valid PostgreSQL connection string "
                         "(expected postgresql://user@host:port/dbname)") from None


def mask_dsn(dsn: str) -> str:
    """The DSN as it may be printed: user, host, port and database, never a password."""
    p = connection_params(dsn)
    user = f"{p['user']}@" if p.get("user") else ""
    port = f":{p['port']}" if p.get("port") else ""
    return f"postgresql://{user}{p.get('host', 'localhost')}{port}/{p.get('dbname', '')}"


def describe_connection_error(exc: psycopg.Error, secret: str | None) -> str:
    """A connection failure as one line, with the password (if any) blanked out."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if secret:
        text = text.replace(secret, "***")
    return text


def connect(dsn: str, *, read_only: bool = False) -> psycopg.Connection:
    """An autocommit connection with UTF-8 client encoding (read-only transactions when asked); a one-line
    usage error naming the masked DSN if the server refuses it."""
    params = connection_params(dsn)
    options = f"{params.get('options', '')} {READ_ONLY}".strip() if read_only else params.get("options", "")
    extra: dict[str, Any] = {"options": options} if options else {}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(dsn, autocommit=True, **extra)
    except psycopg.Error as exc:
        raise UsageError(f"cannot connect to {mask_dsn(dsn)}: "
                         f"{describe_connection_error(exc, params.get('password'))}") from None
    conn.execute("SET client_encoding TO 'UTF8'")
    return conn


def sqlalchemy_url(dsn: str) -> sa.URL:
    """The DSN as a read-only SQLAlchemy URL for psycopg 3 (render it with ``hide_password=False`` to use it)."""
    p = connection_params(dsn)
    query = {k: v for k, v in p.items() if k not in ("user", "password", "host", "port", "dbname")}
    query["options"] = f"{p.get('options', '')} {READ_ONLY}".strip()
    query.setdefault("connect_timeout", str(CONNECT_TIMEOUT))
    host = p.get("host")
    if host and host.startswith("/"):  # a Unix socket directory goes in the query, as libpq reads it
        query["host"], host = host, None
    return sa.URL.create("postgresql+psycopg", username=p.get("user"), password=p.get("password"), host=host,
                         port=int(p["port"]) if p.get("port") else None, database=p.get("dbname"), query=query)


class PostgresSource(Source):
    """PostgreSQL in mimic-code's layout, queried in place on one read-only connection (one query at a time).

    pandera's ibis backend and GX's PostgreSQL datasource connect with the same read-only settings."""

    kind = "PostgreSQL database"
    engine = "postgres"
    dialect = "postgres"

    def __init__(self, spec: Spec, dsn: str):
        super().__init__(spec, mask_dsn(dsn))
        self.con = connect(dsn, read_only=True)
        self.library_target = dsn
        self.lock = threading.Lock()
        self._columns: Columns | None = None

    def relation(self, table: Table) -> exp.Table:
        return exp.table_(table.name, db=self.spec.schema_of(table))

    def columns(self) -> Columns:
        if self._columns is None:
            with self.lock:
                self._columns = list_columns(self.con, self.spec)
        return self._columns

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.lock:
            return [tuple(r) for r in self.con.execute(sql).fetchall()]

    def meta(self) -> Meta | None:
        with self.lock:
            return read_meta(self.con, {k: r.project for k, r in self.spec.releases.items()})

    def close(self) -> None:
        self.con.close()
