"""Shared databases and runs: GX is slow to import and start, so each database is validated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimic_qa.gx import run_suites
from mimic_qa.results import CheckResult
from tests.gx.dbs import DIRTY_SQL, build_db, row_counts


@pytest.fixture(scope="session")
def clean_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("gx-clean") / "mimic.duckdb")


@pytest.fixture(scope="session")
def dirty_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("gx-dirty") / "mimic.duckdb", DIRTY_SQL)


@pytest.fixture(scope="session")
def clean_results(clean_db) -> dict[str, CheckResult]:
    return {r.id: r for r in run_suites(clean_db, "3.1", expected_row_counts=row_counts(clean_db))}


@pytest.fixture(scope="session")
def dirty_results(dirty_db) -> list[CheckResult]:
    counts = row_counts(dirty_db)
    return run_suites(dirty_db, "3.1", expected_row_counts={**counts, "admissions": counts["admissions"] + 3})
