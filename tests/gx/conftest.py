"""Shared databases and runs: GX is slow to import and start, so each database is validated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimic_qa.gx import run_suites
from mimic_qa.results import CheckResult
from tests.gx.dbs import CANARY, build_db, row_counts

DIRTY_SQL = [
    # hosp.patients.pk: one duplicated key value
    "INSERT INTO mimiciv_hosp.patients (subject_id, gender) VALUES (10000002, 'M')",
    # hosp.labevents.fk.subject_id: one orphan row, carrying the canary in a free-text column
    f"INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, itemid, comments) VALUES (4, 19999999, 50001, '{CANARY}')",
    # hosp.labevents.pk: a NULL key
    "INSERT INTO mimiciv_hosp.labevents (labevent_id, subject_id, itemid) VALUES (NULL, 10000001, 50001)",
    # hosp.d_labitems.columns: one unexpected column
    "ALTER TABLE mimiciv_hosp.d_labitems ADD COLUMN extra_col INTEGER",
    # hosp.emar_detail.unique.emar_id_parent_field_ordinal: the same key in two more rows (one key value)
    f"INSERT INTO mimiciv_hosp.emar_detail (subject_id, emar_id, parent_field_ordinal, reason_for_no_barcode) "
    f"VALUES (10000001, '10000001-1', 1, '{CANARY}'), (10000001, '10000001-1', 1, NULL)",
]


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
