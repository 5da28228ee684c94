"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ci import pytest_configure, pytest_runtest_makereport, unavailable  # noqa: F401  (hooks: no silent skip)
from tests.postgres.server import postgres_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """DSN of a running PostgreSQL server (see ``tests/postgres/server.py``), shared by the whole session."""
    with postgres_server() as dsn:
        yield dsn


DEMO_ENV = "MIMIC_QA_DEMO_DIR"
DEMO_BESIDE_CHECKOUT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mimic-iv-demo-2.2"
ED_DEMO_ENV = "MIMIC_QA_ED_DEMO_DIR"
ED_DEMO_BESIDE_CHECKOUT = DEMO_BESIDE_CHECKOUT.parent / "mimic-iv-ed-demo-2.2"


@pytest.fixture(scope="session")
def real_ed_demo() -> Path:
    """The real open MIMIC-IV-ED demo v2.2 (``$MIMIC_QA_ED_DEMO_DIR`` or ``shared/data/`` beside the checkout):
    read-only, the same 100-patient cohort as the clinical demo. Skipped when absent, failing under CI (any
    spelling of ``CI``: tests/ci.py)."""
    path = Path(os.environ.get(ED_DEMO_ENV) or ED_DEMO_BESIDE_CHECKOUT)
    if not (path / "ed" / "edstays.csv.gz").is_file():
        unavailable(f"the real MIMIC-IV-ED demo is not at {path} (set {ED_DEMO_ENV})")
    return path


@pytest.fixture(scope="session")
def real_demo() -> Path:
    """The real open MIMIC-IV demo v2.2 (``$MIMIC_QA_DEMO_DIR`` or ``shared/data/`` beside the checkout).

    Read-only: tests damage copies of it, never the folder itself. Skipped when absent, except under CI, where a
    missing demo is a failure (the real-data tests must run there)."""
    path = Path(os.environ.get(DEMO_ENV) or DEMO_BESIDE_CHECKOUT)
    if not (path / "hosp" / "admissions.csv.gz").is_file():
        unavailable(f"the real MIMIC-IV demo is not at {path} (set {DEMO_ENV})")
    return path


@pytest.fixture(scope="session")
def real_demo_tables(real_demo: Path) -> list[str]:
    """The tables whose files the real demo copy holds (30 of 31: chartevents is not in this copy)."""
    return sorted(p.name.split(".")[0] for p in real_demo.glob("*/*.csv.gz"))
