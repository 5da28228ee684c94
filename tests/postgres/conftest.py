"""Fixtures giving tests a real PostgreSQL server (see ``tests/postgres/server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli import run_cli
from tests.postgres.server import SyntheticDatabase, fresh_database


@pytest.fixture()
def pg_database(pg_server: str) -> Iterator[str]:
    """``postgresql://`` URL of an empty database of its own, dropped after the test."""
    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def synthetic_pg(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyntheticDatabase]:
    """A synthetic v3.1 release (scale 0.001, seed 1) loaded by `mimic-qa load` with all declared keys.

    Shared by the session: tests must only read it.
    """
    from mimic_qa.synth import generate

    release = tmp_path_factory.mktemp("synthetic") / "mimic-iv-3.1"
    generate(release, scale=0.001, seed=1)
    with fresh_database(pg_server) as url:
        yield SyntheticDatabase(url, release, run_cli("load", str(release), url))
