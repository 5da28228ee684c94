"""run_schemas inside PostgreSQL (pandera's ibis backend): the DuckDB results, CHAR(n) padding ignored,
rules transpiled, nothing fetched but counts, and no data value without show_values."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from ibis.backends.postgres import Backend

from mimic_qa.results import Status
from mimic_qa.schemas import run_schemas
from mimic_qa.spec import Table, load_spec
from tests.postgres.server import fresh_database
from tests.schemas.conftest import KIND_DEFAULTS, clean_row, spy_fetches

CANARY = "CANARY-Zq7"  # fits transfers.eventtype, VARCHAR(10)
ICD = {"icd_version": 9, "long_title": "x"}  # d_icd_diagnoses: icd_code is NOT NULL with a pattern, set per row
ROWS: dict[str, list[dict[str, Any]]] = {
    "patients": [{}, {"gender": "X"}, {"anchor_age": 95}],
    "admissions": [{}, {"hadm_id": None}, {"admit_provider_id": "bad!"}],
    "icustays": [{}, {"los": 5.0}],  # los_matches_times: a DuckDB date_diff rule, transpiled
    "transfers": [{}, {"eventtype": "ADMIT"}, {"eventtype": CANARY}],  # eventtype's domain ignores case
    # 'A01' is stored as 'A01    ' in CHAR(7): the padding is not part of the value
    "d_icd_diagnoses": [{**ICD, "icd_code": "A01"}, {**ICD, "icd_code": "a b"}],
}
EXPECTED_FAILURES = {
    "hosp.patients.domain.gender": 1, "hosp.patients.domain.anchor_age": 1,
    "hosp.patients.rule.anchor_age_over_89_is_91": 1, "hosp.admissions.not_null.hadm_id": 1,
    "hosp.admissions.domain.admit_provider_id": 1, "icu.icustays.rule.los_matches_times": 1,
    "hosp.transfers.domain.eventtype": 1, "hosp.d_icd_diagnoses.domain.icd_code": 1,
}
PUSHDOWN_ROWS = 400


def _row(table: Table, overrides: dict[str, Any]) -> dict[str, Any]:
    if table.name == "d_icd_diagnoses":  # clean_row has no value for a NOT NULL pattern column
        return {**{c.name: KIND_DEFAULTS[c.kind] for c in table.columns}, **overrides}
    return {**clean_row(table), **overrides}


def _fill(con: Any, rows: dict[str, list[dict[str, Any]]], dialect: str, mark: str) -> None:
    spec = load_spec()
    for name, overrides in rows.items():
        t = spec.tables[name]
        con.execute(f"CREATE SCHEMA IF NOT EXISTS mimiciv_{t.module}")
        con.execute(f"CREATE TABLE mimiciv_{t.module}.{name} ("
                    + ", ".join(f"{c.name} {c.sql_type(dialect)}" for c in t.columns) + ")")
        for o in overrides:
            row = _row(t, o)
            con.execute(f"INSERT INTO mimiciv_{t.module}.{name} VALUES ({', '.join([mark] * len(t.columns))})",
                        [row[c.name] for c in t.columns])


@pytest.fixture(scope="module")
def pg_db(pg_server):
    with fresh_database(pg_server) as url:
        with psycopg.connect(url, autocommit=True) as con:
            _fill(con, ROWS, "postgres", "%s")
        yield url


@pytest.fixture(scope="module")
def duck_db(tmp_path_factory):
    import duckdb

    path = tmp_path_factory.mktemp("pandera-pg") / "mimic.duckdb"
    with duckdb.connect(str(path)) as con:
        _fill(con, ROWS, "duckdb", "?")
    return path


def _key(results) -> set[tuple]:
    return {(r.id, r.status.value, r.failing_rows, r.message, str(r.samples)) for r in results}


def test_postgres_gives_the_duckdb_results(pg_db, duck_db):
    on_postgres = run_schemas(pg_db, show_values=True)
    assert _key(on_postgres) == _key(run_schemas(duck_db, show_values=True))
    assert {r.engine for r in on_postgres} == {"pandera"}
    failed = {r.id: r.failing_rows for r in on_postgres if r.status is not Status.PASSED}
    assert failed == EXPECTED_FAILURES
    samples = {r.id: r.samples for r in on_postgres if r.samples}
    assert samples["hosp.d_icd_diagnoses.domain.icd_code"] == ["a b"]  # not 'A01': its padding is ignored
    assert samples["hosp.transfers.domain.eventtype"] == [CANARY]  # shown only because show_values was asked


def test_no_value_without_show_values(pg_db):
    results = run_schemas(pg_db)
    text = "\n".join(r.model_dump_json() for r in results)
    assert "hosp.transfers.domain.eventtype" in text
    assert CANARY not in text and "bad!" not in text
    assert all(r.samples is None for r in results)


def test_postgres_fetches_no_column(pg_server, monkeypatch):
    """Failing checks on most rows: counts come back, never a boolean column or a row."""
    sizes = spy_fetches(monkeypatch, Backend)
    rows = [{"gender": "X", "anchor_age": 95, "anchor_year": None} if i % 4 else {} for i in range(PUSHDOWN_ROWS)]
    with fresh_database(pg_server) as url:
        with psycopg.connect(url, autocommit=True) as con:
            _fill(con, {"patients": rows}, "postgres", "%s")
        failing = {r.id: r.failing_rows for r in run_schemas(url) if r.failing_rows}
    assert failing == {cid: PUSHDOWN_ROWS * 3 // 4 for cid in (
        "hosp.patients.not_null.anchor_year", "hosp.patients.domain.gender", "hosp.patients.domain.anchor_age",
        "hosp.patients.rule.anchor_age_over_89_is_91")}
    assert max(sizes, default=0) <= 1


def test_a_read_only_connection(pg_db):
    """The connection pandera (and GX's datasource) use cannot write."""
    from mimic_qa.sources.postgres import connect

    with connect(pg_db, read_only=True) as con, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        con.execute("CREATE TABLE mimiciv_hosp.scratch (x int)")
