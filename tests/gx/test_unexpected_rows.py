"""Each UnexpectedRowsExpectation query is evaluated once on DuckDB (GX alone runs it for the rows and again for
their count), with the same results, and GX is restored afterwards."""

from __future__ import annotations

import contextlib
from collections import Counter

import duckdb
import sqlalchemy as sa

from mimic_qa.gx import run_suites
from mimic_qa.gx import runner as gx_runner
from mimic_qa.gx.unexpected_rows import UnexpectedRowsStore
from tests.gx.dbs import row_counts

KEY_QUERY_MARKS = ("GROUP BY", "LEFT JOIN")


@contextlib.contextmanager
def _statements():
    """Every SQL statement SQLAlchemy sends while the block runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def _key_queries(statements: list[str]) -> list[str]:
    """The suites' key and foreign-key queries (not SQLAlchemy's catalogue reflection)."""
    return [s for s in statements if "mimiciv_" in s and any(m in s for m in KEY_QUERY_MARKS)]


def _summary(results) -> list[tuple]:
    return [(r.id, r.status, r.failing_rows, r.message) for r in results]


def test_each_key_and_fk_query_runs_once(dirty_db):
    with _statements() as seen:
        run_suites(dirty_db, "3.1", expected_row_counts=row_counts(dirty_db))
    queries = _key_queries(seen)
    assert queries, "no key or foreign-key query reached the database"
    assert all(q.startswith("CREATE OR REPLACE TEMP TABLE") for q in queries), "a key query ran outside the store"
    assert not [q for q in _key_queries(seen) if "unexpected_row_count" in q]
    bodies = Counter(q.split(" AS ", 1)[1] for q in queries)
    assert max(bodies.values()) == 1, "the same query was evaluated twice"


def test_results_match_gx_left_alone(dirty_db, dirty_results, monkeypatch):
    @contextlib.contextmanager
    def untouched():
        yield UnexpectedRowsStore()

    monkeypatch.setattr(gx_runner, "unexpected_rows_once", untouched)
    counts = row_counts(dirty_db)
    with _statements() as seen:
        plain = run_suites(dirty_db, "3.1", expected_row_counts={**counts, "admissions": counts["admissions"] + 3})
    assert [q for q in seen if "unexpected_row_count" in q and "GROUP BY" in q], "GX was not left alone"
    assert _summary(plain) == _summary(dirty_results)
    assert any(r.status.value == "failed" and r.kind in ("pk", "unique", "fk") for r in plain)


def test_gx_is_restored_and_no_temporary_table_is_left(dirty_db):
    from great_expectations.expectations.metrics.query_metric_provider import QueryMetricProvider

    hook = QueryMetricProvider.__dict__["_get_substituted_batch_subquery_from_query_and_batch_selectable"]
    con = duckdb.connect(str(dirty_db), read_only=True)
    try:
        results = run_suites(con, "3.1", tables=["labevents"])
        assert any(r.kind == "fk" for r in results)
        with con.cursor() as cur:  # GX's connection is a cursor of this one: its temp tables die with it
            assert cur.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == (0,)
    finally:
        con.close()
    assert QueryMetricProvider.__dict__["_get_substituted_batch_subquery_from_query_and_batch_selectable"] is hook
