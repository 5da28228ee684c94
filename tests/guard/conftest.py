"""A temporary git repository holding the issue's cases: leaking files next to clean code, docs and aggregates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mimic_qa.guard import strip_outputs
from tests.cli import run_cli
from tests.guard.mimic_like import dataframe_output, git, init_repo, notebook, write_csv, write_parquet

SQL_QUERY = """-- First ICU stay per admission, with the creatinine values of its first day
SELECT i.subject_id, i.hadm_id, i.stay_id, i.intime, l.charttime, l.valuenum
FROM mimiciv_icu.icustays AS i
JOIN mimiciv_hosp.labevents AS l
  ON l.hadm_id = i.hadm_id AND l.charttime BETWEEN i.intime AND i.intime + INTERVAL 1 DAY
WHERE l.itemid = 50912  -- creatinine
  AND i.subject_id <> 10000032;  -- the demo's first patient, excluded for the example
"""

PY_ANALYSIS = '''"""Cohort: adults with a first ICU stay; reads MIMIC-IV from a local DuckDB database."""
import duckdb

COLUMNS = ["subject_id", "hadm_id", "stay_id", "intime", "outtime", "los"]


def cohort(db: str):
    con = duckdb.connect(db, read_only=True)
    sql = f"SELECT {', '.join(COLUMNS)} FROM mimiciv_icu.icustays WHERE los >= 1"
    return con.sql(sql).df().groupby("subject_id").first()


if __name__ == "__main__":
    print(cohort("mimic.duckdb").describe())
'''

AGGREGATE = """icd_chapter,chapter_title,n_patients,n_admissions,mean_los_days
I,Certain infectious and parasitic diseases,41234,60312,6.8
II,Neoplasms,38012,71230,7.1
IX,Diseases of the circulatory system,120453,260114,5.4
X,Diseases of the respiratory system,80211,130877,6.2
XI,Diseases of the digestive system,90402,150733,5.1
XIV,Diseases of the genitourinary system,70566,110239,5.9
XIX,Injury and poisoning,60301,80554,4.7
"""

LEAKS = {
    "notebooks/labs.ipynb",
    "data/cohort.csv",
    "data/cohort.parquet",
    "data/extract.txt",
}
CLEAN = {
    "notebooks/labs_cleared.ipynb",
    "results/icd_chapter_counts.csv",
    "sql/first_day_creatinine.sql",
    "analysis/cohort.py",
    "docs/data.md",
    "tests/fixtures/synthetic/labevents.csv",
}


def build_leak_repo(root: Path) -> Path:
    repo = init_repo(root)
    notebook(repo / "notebooks/labs.ipynb", [dataframe_output("labevents", 20)])
    cleared = notebook(repo / "notebooks/labs_cleared.ipynb", [dataframe_output("labevents", 20)])
    strip_outputs(cleared)
    write_csv(repo / "data/cohort.csv", "icustays", 200)
    write_parquet(repo / "data/cohort.parquet", "icustays", 200)
    write_csv(repo / "data/extract.txt", "labevents", 40)  # CSV rows under a .txt name
    (repo / "results").mkdir()
    (repo / "results/icd_chapter_counts.csv").write_text(AGGREGATE, encoding="utf-8")
    (repo / "sql").mkdir()
    (repo / "sql/first_day_creatinine.sql").write_text(SQL_QUERY, encoding="utf-8")
    (repo / "analysis").mkdir()
    (repo / "analysis/cohort.py").write_text(PY_ANALYSIS, encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs/data.md").write_text(
        "# Data\n\nWe use `mimiciv_hosp.labevents` (subject_id, hadm_id, itemid, charttime, valuenum) and\n"
        "`mimiciv_icu.icustays` (subject_id, hadm_id, stay_id, intime, outtime). Identifiers: subject_id\n"
        "is 1xxxxxxx, hadm_id 2xxxxxxx, stay_id 3xxxxxxx; dates are shifted into 2100-2200.\n", encoding="utf-8")
    write_csv(repo / "tests/fixtures/synthetic/labevents.csv", "labevents", 30)
    (repo / ".mimic-qa-guard.yaml").write_text("allow:\n  - tests/fixtures/synthetic/\n", encoding="utf-8")
    (repo / ".gitignore").write_text("private/\n", encoding="utf-8")
    write_csv(repo / "private/labevents.csv", "labevents", 30)  # ignored by git: never scanned
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "fixtures")
    return repo


@pytest.fixture(scope="session")
def leak_repo(tmp_path_factory) -> Path:
    return build_leak_repo(tmp_path_factory.mktemp("guard") / "repo")


@pytest.fixture(scope="session")
def leak_scan(leak_repo) -> tuple[int, dict, str]:
    """One CLI run over the whole repository: exit code, parsed JSON, raw stdout."""
    done = run_cli("guard", "--format", "json", cwd=str(leak_repo))
    return done.returncode, json.loads(done.stdout), done.stdout


@pytest.fixture(scope="session")
def leak_text(leak_repo):
    """One CLI run with the default text output."""
    return run_cli("guard", cwd=str(leak_repo))
