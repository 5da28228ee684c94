"""The real demo's ICU stays read with the standard library (for expectations independent of mimic-qa), and a
kept DuckDB database of the demo with a derived table of the site's in it."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from pathlib import Path

import duckdb
import pytest

import mimic_qa

TABLES = ["patients", "admissions", "icustays"]


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))


@pytest.fixture(scope="session")
def icu_stays(real_demo: Path) -> list[dict[str, str]]:
    return read_rows(real_demo / "icu" / "icustays.csv.gz")


@pytest.fixture(scope="session")
def shared_admissions(icu_stays) -> int:
    """Admissions with more than one ICU stay (the key values a unique (hadm_id) check counts)."""
    return sum(n > 1 for n in Counter(r["hadm_id"] for r in icu_stays).values())


@pytest.fixture(scope="session")
def first_stays(icu_stays) -> dict[str, dict[str, str]]:
    """Each patient's first ICU stay (earliest intime): what the site's derived table holds."""
    first: dict[str, dict[str, str]] = {}
    for r in icu_stays:
        if r["subject_id"] not in first or r["intime"] < first[r["subject_id"]]["intime"]:
            first[r["subject_id"]] = r
    return first


DERIVED = """
CREATE SCHEMA mimiciv_derived;
CREATE TABLE mimiciv_derived.first_icu_stay AS
SELECT subject_id, hadm_id, stay_id, intime, los FROM (
    SELECT *, row_number() OVER (PARTITION BY subject_id ORDER BY intime) AS n FROM mimiciv_icu.icustays
) WHERE n = 1;
"""


@pytest.fixture(scope="session")
def kept_db(real_demo: Path, tmp_path_factory) -> Path:
    """``validate --keep-db`` of three demo tables, then the site's derived table created in it (read-only
    afterwards: tests copy it before changing it)."""
    path = tmp_path_factory.mktemp("kept") / "demo.duckdb"
    mimic_qa.validate(real_demo, tables=TABLES, checks="sql", keep_db=path)
    with duckdb.connect(str(path)) as con:
        con.execute(DERIVED)
    return path
