"""What mimic-qa records in a database it builds (schema ``mimic_qa``): a key-value table of JSON values, so that
validating the database later expects the same releases, tables and row counts and reports the same rejects, and
can tell which tables changed since it was built (their fingerprints).

Written by ``validate --keep-db`` (DuckDB) and ``load`` (PostgreSQL); read through any DB-API connection.
"""

from __future__ import annotations

import json
from typing import Any

from mimic_qa.sources.base import Meta
from mimic_qa.sources.naming import META_SCHEMA

META_TABLE = f"{META_SCHEMA}.meta"
_LEGACY = f"{META_SCHEMA}.release"  # one row (release, synthetic, row_counts, rejects): mimic-qa 0.1 databases


def meta_rows(meta: Meta) -> list[tuple[str, str]]:
    """The metadata as (key, JSON value) rows."""
    return [("releases", json.dumps(meta.releases)), ("row_counts", json.dumps(meta.row_counts)),
            ("synthetic", json.dumps(meta.synthetic)), ("tables", json.dumps(meta.tables)),
            ("rejects", json.dumps(meta.rejects)), ("fingerprints", json.dumps(meta.fingerprints)),
            ("file_fingerprints", json.dumps(meta.file_fingerprints))]


def write_meta(con: Any, meta: Meta, placeholder: str = "?") -> None:
    """Replace the metadata (``placeholder``: the driver's parameter marker, ``?`` DuckDB, ``%s`` psycopg)."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}")
    con.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
    con.execute(f"CREATE TABLE {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    for row in meta_rows(meta):
        con.execute(f"INSERT INTO {META_TABLE} VALUES ({placeholder}, {placeholder})", list(row))


def parse_meta(rows: list[tuple[Any, ...]]) -> Meta | None:
    """The metadata from its key-value rows."""
    values = {str(k): json.loads(v) for k, v in rows}
    if "releases" not in values:
        return None
    return Meta(releases={str(p): str(r) for p, r in values["releases"].items()},
                row_counts={str(t): int(n) for t, n in values.get("row_counts", {}).items()},
                synthetic=bool(values.get("synthetic")), tables=values.get("tables"),
                rejects=values.get("rejects") or {}, fingerprints=values.get("fingerprints") or {},
                file_fingerprints=values.get("file_fingerprints") or {})


def read_meta(con: Any, project_of: dict[str, str]) -> Meta | None:
    """The metadata of a database, or None (not built by mimic-qa, or unreadable): ``con`` is any DB-API
    connection in autocommit mode whose ``execute(sql).fetchall()`` works. ``project_of`` maps release keys to
    projects (a legacy database names only its release)."""
    try:
        return parse_meta(con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    except Exception:  # noqa: BLE001  (no such table: not one of ours, or an older layout)
        pass
    try:
        row = con.execute(f"SELECT release, synthetic, row_counts, rejects FROM {_LEGACY}").fetchone()
    except Exception:  # noqa: BLE001
        return None
    if row is None or str(row[0]) not in project_of:
        return None
    return Meta({project_of[str(row[0])]: str(row[0])}, {str(t): int(n) for t, n in json.loads(row[2]).items()},
                bool(row[1]), None, json.loads(row[3]))

