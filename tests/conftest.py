"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres.server import postgres_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """DSN of a running PostgreSQL server (see ``tests/postgres/server.py``), shared by the whole session."""
    with postgres_server() as dsn:
        yield dsn
