"""The real demo loaded where users analyse it: the same checks pass in place, with the same results."""

from __future__ import annotations

import json
import re

import pytest

import mimic_qa
from mimic_qa.results import Status
from tests.cli import run_cli
from tests.postgres.indexes import actual_indexes, expected_indexes
from tests.postgres.server import fresh_database

FILE_KINDS = {"file.present", "file.readable", "file.sha256", "files.unexpected", "sha256sums.listed"}


def outcomes(result) -> dict[str, tuple[str, str, int | None]]:
    """Check id -> (status, severity, failing rows), for the checks a database can run."""
    return {c.id: (c.status.value, c.severity, c.failing_rows) for c in result.run.checks
            if c.kind not in FILE_KINDS and not (c.kind == "type" and c.status is Status.SKIPPED)}


@pytest.fixture(scope="module")
def demo_load(pg_server, real_demo, real_demo_tables):
    """The real demo loaded by `mimic-qa load`: the database's URL and the finished run."""
    with fresh_database(pg_server) as url:
        done = run_cli("load", str(real_demo), url, "--tables", ",".join(real_demo_tables))
        assert done.returncode == 0, done.stderr[-2000:]
        yield url, done


@pytest.fixture(scope="module")
def demo_in_postgres(demo_load):
    return demo_load[0]


def test_the_demo_in_postgresql_has_mimic_codes_indexes(demo_load, real_demo_tables):
    """A database users analyse needs index.sql's indexes; load builds them and says how long that took."""
    url, done = demo_load
    wanted = expected_indexes(set(real_demo_tables))
    assert len(wanted) == 42  # all of index.sql but chartevents_idx01 (no chartevents in this copy)
    assert actual_indexes(url) == wanted
    assert re.search(r"; created 42 index\(es\) in \d+\.\d s$", done.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def from_files(real_demo, real_demo_tables):
    return mimic_qa.validate(real_demo, tables=real_demo_tables, checks="sql")


@pytest.mark.parametrize("checks", ["sql", "all"])
def test_the_demo_in_postgresql_gives_the_results_of_its_files(demo_in_postgres, from_files, real_demo_tables,
                                                               checks):
    result = mimic_qa.validate(demo_in_postgres, tables=real_demo_tables, release="demo-2.2", checks=checks)
    assert result.ok, [c.id for c in result.failed]
    in_db, in_files = outcomes(result), outcomes(from_files)
    # the header's letter case is gone once loaded: mimic-code's DDL names the columns in lower case
    assert in_files.pop("icu.procedureevents.header_case")[0] == "failed"
    assert in_db.pop("icu.procedureevents.header_case")[0] == "passed"
    assert in_db == in_files


@pytest.fixture(scope="module")
def kept_demo(real_demo, real_demo_tables, tmp_path_factory):
    """The database `validate --keep-db` keeps from the demo's files."""
    kept = tmp_path_factory.mktemp("kept") / "mimic.duckdb"
    mimic_qa.validate(real_demo, tables=real_demo_tables, checks="sql", keep_db=kept)
    return kept


def test_the_demo_kept_as_duckdb_gives_the_results_of_its_files(kept_demo, real_demo_tables, from_files):
    again = mimic_qa.validate(kept_demo, tables=real_demo_tables)
    assert again.ok
    in_db, in_files = outcomes(again), outcomes(from_files)
    assert in_db.pop("icu.procedureevents.header_case")[0] == "passed"
    in_files.pop("icu.procedureevents.header_case")
    assert in_db == in_files


@pytest.mark.parametrize("engine", ["duckdb", "postgres"])
def test_diff_of_the_demo_and_its_database_is_same_at_every_level(real_demo, kept_demo, demo_in_postgres, engine,
                                                                  tmp_path):
    """The files and the database made from them hold equal data: SAME with no finding even at --fail-on info.
    (diff once called procedureevents' ORIGINALAMOUNT "respelled" in the kept database, an error, though validate
    reads that header by the spec's names; and items with 2 values a KS distance of 0.25 in PostgreSQL, whose
    quantiles step where DuckDB's sketch interpolates.)"""
    database = str(kept_demo) if engine == "duckdb" else demo_in_postgres
    done = run_cli("diff", str(real_demo), database, "--fail-on", "info", "--json", str(tmp_path / "diff.json"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    verdict = done.stdout.strip().splitlines()[-1]
    assert verdict.startswith("SAME  30 of 30 tables compared: 0 error, 0 warning, 0 info"), verdict
    result = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    assert result["findings"] == []
    procedureevents = next(t for t in result["tables"] if t["name"] == "procedureevents")
    assert procedureevents["header"]["respelled"] == []
    labevents = next(t for t in result["tables"] if t["name"] == "labevents")
    few = [i for i in labevents["items"]["items"] if min(i["values_a"], i["values_b"]) == 2]
    assert few, "the demo has lab items with 2 values: otherwise this test proves nothing about them"


@pytest.fixture(scope="module")
def family_in_postgres(pg_server, real_demo, real_demo_tables, real_ed_demo):
    """The clinical demo and the ED demo loaded one after the other into one database (mimiciv_hosp, mimiciv_icu,
    mimiciv_ed), as users load PhysioNet's projects."""
    with fresh_database(pg_server) as url:
        for done in (run_cli("load", str(real_demo), url, "--tables", ",".join(real_demo_tables)),
                     run_cli("load", str(real_ed_demo), url)):
            assert done.returncode == 0, done.stderr[-2000:]
        yield url


def test_both_demos_in_postgresql_validate_together_from_what_load_recorded(family_in_postgres, real_ed_demo,
                                                                             real_demo, real_demo_tables):
    """No --release, no --tables: each project's release and the tables loaded come from the database itself."""
    result = mimic_qa.validate(family_in_postgres, checks="sql")
    assert result.ok, [c.id for c in result.failed]
    assert result.run.releases == {"mimiciv": "demo-2.2", "mimic-iv-ed": "ed-demo-2.2"}
    ran = {c.id: c.status for c in result.run.checks}
    for check in ("ed.edstays.fk.hadm_id", "ed.edstays.identity.hadm_id", "ed.vitalsign.window.charttime_in_stay",
                  "ed.edstays.row_count", "hosp.admissions.row_count"):
        assert ran[check] is Status.PASSED, check
    from_files = mimic_qa.validate([real_demo, real_ed_demo], tables=real_demo_tables + [
        t for t in result.run.row_counts if t not in real_demo_tables], checks="sql")
    in_db, in_files = outcomes(result), outcomes(from_files)
    assert in_files.pop("icu.procedureevents.header_case")[0] == "failed"  # case is gone once loaded
    assert in_db.pop("icu.procedureevents.header_case")[0] == "passed"
    assert in_db == in_files
