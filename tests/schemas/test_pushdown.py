"""Nothing is materialised: no query result larger than a few rows reaches Python, failing checks included."""

from __future__ import annotations

import ibis
import pandera.ibis as pa
import pytest
from ibis.backends.duckdb import Backend

from mimic_qa.checks import build_catalog
from mimic_qa.schemas import build_schema, probes, run_schemas
from tests.schemas.conftest import spy_fetches

ROWS = 400


@pytest.fixture
def fetched(monkeypatch) -> list[int]:
    """Row counts of every result ibis fetches from DuckDB (execute, to_pyarrow)."""
    return spy_fetches(monkeypatch, Backend)


@pytest.fixture
def failing_db(make_db):
    """patients with failures in a not-null column, a domain and a rule on most rows."""
    rows = [{"gender": "X", "anchor_age": 95, "anchor_year": None} if i % 4 else {} for i in range(ROWS)]
    return make_db({"patients": rows})


def test_the_spy_sees_the_pitfall(failing_db, fetched, spec):
    """Control: plain pandera-ibis on the same data fetches whole boolean columns when a check fails."""
    con = ibis.duckdb.connect(str(failing_db), read_only=True)
    with pytest.raises(pa.errors.SchemaErrors):
        build_schema(spec.tables["patients"], build_catalog(spec, [spec.tables["patients"].name])).validate(con.table("patients", database="mimiciv_hosp"), lazy=True)
    assert max(fetched) == ROWS


def test_run_schemas_fetches_no_column(failing_db, fetched):
    results = {r.id: r.failing_rows for r in run_schemas(failing_db) if r.failing_rows}
    assert results == {
        "hosp.patients.not_null.anchor_year": ROWS * 3 // 4,
        "hosp.patients.domain.gender": ROWS * 3 // 4,
        "hosp.patients.domain.anchor_age": ROWS * 3 // 4,
        "hosp.patients.rule.anchor_age_over_89_is_91": ROWS * 3 // 4,
    }
    assert max(fetched, default=0) <= 1  # counts only: no boolean column, no row


def test_samples_fetch_at_most_five_rows(failing_db, fetched):
    run_schemas(failing_db, show_values=True)
    assert max(fetched) <= 5


def test_one_count_query_per_table_covers_all_its_checks(make_db, monkeypatch):
    calls: list[int] = []
    original = probes.count_sql

    def spy(table, checks):
        calls.append(len(checks))
        return original(table, checks)

    monkeypatch.setattr(probes, "count_sql", spy)
    db = make_db({"patients": [{}, {"gender": "X"}], "admissions": [{}]})
    results = run_schemas(db)
    per_table = {t: sum(r.table == t for r in results) for t in ("patients", "admissions")}
    assert sorted(calls) == sorted(per_table.values())
