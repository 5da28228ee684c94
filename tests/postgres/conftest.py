"""Fixtures giving tests a real PostgreSQL server (see ``tests/postgres/server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres.server import fresh_database, postgres_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """DSN of a running PostgreSQL server, shared by the whole session."""
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture()
def pg_database(pg_server: str) -> Iterator[str]:
    """``postgresql://`` URL of an empty database of its own, dropped after the test."""
    with fresh_database(pg_server) as url:
        yield url
