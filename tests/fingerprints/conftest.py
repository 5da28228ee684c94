"""Four tables of the real demo (patients, admissions, d_labitems, labevents) kept in DuckDB, validated once with
``--json``: the baseline every re-run reuses. The expected counts come from the demo's files, read with the standard
library, never from mimic-qa."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest

import mimic_qa

TABLES = ["patients", "admissions", "d_labitems", "labevents"]


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))


@pytest.fixture(scope="session")
def demo_rows(real_demo: Path) -> dict[str, list[dict[str, str]]]:
    return {t: read_rows(real_demo / "hosp" / f"{t}.csv.gz") for t in TABLES}


@pytest.fixture(scope="session")
def kept(real_demo: Path, tmp_path_factory) -> Path:
    """``validate --keep-db`` of the four tables (read-only afterwards: tests copy it before changing it); the
    folder's results beside it, as ``folder.json``."""
    path = tmp_path_factory.mktemp("fp") / "demo.duckdb"
    done = mimic_qa.validate(real_demo, tables=TABLES, checks="sql", keep_db=path)
    path.with_name("folder.json").write_text(done.run.model_dump_json())
    return path


@pytest.fixture(scope="session")
def baseline(kept: Path) -> Path:
    """The kept database validated (``--checks sql``), its results written as ``--json`` writes them."""
    path = kept.with_name("baseline.json")
    path.write_text(mimic_qa.validate(kept, checks="sql").run.model_dump_json())
    return path


def ids_of(run, *, reused: bool) -> set[str]:
    return {c.id for c in run.checks if c.reused is reused}


def outcome(run, check_id: str) -> tuple[str, int | None]:
    c = next(c for c in run.checks if c.id == check_id)
    return c.status.value, c.failing_rows


# What depends on each table, from the MIMIC-IV schema (mimic-code's constraint.sql and the documented links,
# /work/shared/reference/mimic-iv-schema.md), not from mimic-qa's catalogue: the table's own checks, the
# relationships naming it, and the checks of the whole release.
DEPENDENTS = {
    "d_labitems": {"hosp.labevents.fk.itemid"},  # labevents.itemid -> d_labitems (declared)
    "admissions": {"hosp.labevents.fk.hadm_id",  # documented, not declared
                   "hosp.labevents.identity.hadm_id"},  # a lab's hadm_id names an admission of its subject (#1630)
    "patients": {"hosp.admissions.fk.subject_id", "hosp.labevents.fk.subject_id"},
}


def expected_rerun(run, table: str) -> set[str]:
    """The checks that must run again when ``table`` changed."""
    return {c.id for c in run.checks if c.id.startswith((f"hosp.{table}.", "release."))} | DEPENDENTS[table]
