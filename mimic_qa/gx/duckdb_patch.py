"""Make GX 1.24 work on DuckDB: keep one persisted connection, as GX already does for SQLite.

Out of the box every GX metric on a duckdb-engine datasource comes back empty (``list index out of
range``; GX issues #10738 and #11579): GX fetches results after returning the connection to the
pool, and duckdb-engine then yields ``[]``. GX's own remedy for SQLite (a ``StaticPool`` with one
connection it keeps open) fixes it when DuckDB is added to ``_PERSISTED_CONNECTION_DIALECTS``
(measured in shared/reference/library-notes.md, section 2). The patch is applied only for the
duration of :func:`persisted_duckdb_connections`, so other GX users in the process are unaffected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mimic_qa.compat import GX_DUCKDB

DIALECT = "duckdb"


class _DialectName(str):
    """A dialect name as GX's persisted-dialect tuple is read: compared as a string, with ``.value``."""

    @property
    def value(self) -> str:
        return str(self)


@contextmanager
def persisted_duckdb_connections() -> Iterator[None]:
    """Within this block, GX SQL engines for ``duckdb://`` URLs use one persisted connection."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    GX_DUCKDB.require()  # else every metric comes back empty: stop, saying which package changed
    original = engine_module._PERSISTED_CONNECTION_DIALECTS
    if DIALECT in original:  # a GX release that supports DuckDB itself needs no patch
        yield
        return
    engine_module._PERSISTED_CONNECTION_DIALECTS = (*original, _DialectName(DIALECT))  # type: ignore[assignment]
    try:
        yield
    finally:
        engine_module._PERSISTED_CONNECTION_DIALECTS = original
