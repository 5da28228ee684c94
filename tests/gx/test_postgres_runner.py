"""run_suites through GX's PostgreSQL datasource: the same results as on DuckDB, and no password or data leaks."""

from __future__ import annotations

import psycopg
import pytest

from mimic_qa.errors import UsageError
from mimic_qa.gx import run_suites
from mimic_qa.results import Status
from mimic_qa.load.ddl import qualified as qualified_name
from mimic_qa.load.ddl import schema_name
from mimic_qa.spec import load_spec
from tests.gx.dbs import CANARY, CLEAN_ROWS, DIRTY_SQL, TABLES, row_counts
from tests.postgres.server import fresh_database

PASSWORD = "pw-Zq7xW-never-printed"  # the throwaway server trusts local connections, so any password works


def _with_password(url: str) -> str:
    user, rest = url.split("://", 1)[1].split("@", 1)
    return f"postgresql://{user}:{PASSWORD}@{rest}"


def _fill(url: str, extra_sql: list[str]) -> None:
    """The TABLES of tests.gx.dbs, typed as mimic-code types them in PostgreSQL (CHAR(n) included)."""
    spec = load_spec()
    with psycopg.connect(url, autocommit=True) as con:
        for module in sorted({spec.tables[n].module for n in TABLES}):
            con.execute(f"CREATE SCHEMA {schema_name(module)}")
        for name in TABLES:
            t = spec.tables[name]
            con.execute(f"CREATE TABLE {qualified_name(t)} ("
                        + ", ".join(f"{c.name} {c.sql_type('postgres')}" for c in t.columns) + ")")
            con.execute(f"INSERT INTO {qualified_name(t)} {CLEAN_ROWS[name]}")
        for statement in extra_sql:
            con.execute(statement)


@pytest.fixture(scope="module")
def pg_runs(clean_db, dirty_db, pg_server) -> dict[str, tuple[list, list]]:
    """copy -> (results on PostgreSQL, results on DuckDB) for the clean and the dirty database."""
    out = {}
    for copy, duck, extra in (("clean", clean_db, []), ("dirty", dirty_db, DIRTY_SQL)):
        counts = row_counts(duck)
        with fresh_database(pg_server) as url:
            _fill(url, extra)
            out[copy] = (run_suites(_with_password(url), "3.1", expected_row_counts=counts),
                         run_suites(duck, "3.1", expected_row_counts=counts))
    return out


def _key(results) -> set[tuple[str, str, int | None, str]]:
    return {(r.id, r.status.value, r.failing_rows, r.message) for r in results}


@pytest.mark.parametrize("copy", ["clean", "dirty"])
def test_postgres_gives_the_duckdb_results(pg_runs, copy):
    on_postgres, on_duckdb = pg_runs[copy]
    assert _key(on_postgres) == _key(on_duckdb)
    assert {r.engine for r in on_postgres} == {"gx"}
    assert not [r.id for r in on_postgres if r.status is Status.ERROR]


def test_postgres_finds_the_planted_faults(pg_runs):
    failed = {r.id: r.failing_rows for r in pg_runs["dirty"][0] if r.status is Status.FAILED}
    assert failed == {"hosp.patients.pk": 1, "hosp.labevents.pk": 1, "hosp.labevents.fk.subject_id": 1,
                      "hosp.d_labitems.columns": 1, "hosp.emar_detail.unique.emar_id_parent_field_ordinal": 1}
    assert all(r.status in (Status.PASSED, Status.SKIPPED) for r in pg_runs["clean"][0])


def test_no_password_and_no_data_in_the_results(pg_runs):
    text = "\n".join(r.model_dump_json() for r in pg_runs["dirty"][0])
    assert "hosp.labevents.fk.subject_id" in text
    assert PASSWORD not in text and CANARY not in text


def test_unreachable_server_is_one_line_without_the_password(monkeypatch):
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    with pytest.raises(UsageError) as err:
        run_suites(f"postgresql://someone:{PASSWORD}@127.0.0.1:1/db", "3.1")
    assert "127.0.0.1" in str(err.value) and PASSWORD not in str(err.value) and "\n" not in str(err.value)
