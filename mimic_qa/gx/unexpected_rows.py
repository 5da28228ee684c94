"""Evaluate each ``UnexpectedRowsExpectation`` query once on DuckDB instead of twice.

GX 1.24 judges an ``UnexpectedRowsExpectation`` from two metrics, the offending rows (up to 200) and their count,
and each runs the expectation's whole query: a key check's ``GROUP BY`` over chartevents ran twice. At scale 0.1
the count wrappers took 19.3 of the 33.2 s GX spent in SQL. Within :func:`unexpected_rows_once` the first of the
two metrics stores the query's result in a DuckDB temporary table and both read it from there, so each key and
foreign-key query is evaluated once. Suites, results and the user's own GX projects are unchanged. Other dialects are
left alone: PostgreSQL's read-only transactions forbid temporary tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from mimic_qa.compat import GX_UNEXPECTED_ROWS, UNEXPECTED_ROWS_HOOK

_QUERY_PARAMETER = "unexpected_rows_query"


def _committed(engine: Any, statement: str) -> None:
    """Run a statement and commit it: GX rolls its connection back after a failed query (its column reflection
    fails on DuckDB), which would also drop a temporary table created in the open transaction."""
    engine.execute_query_in_transaction(sa.text(statement))


class UnexpectedRowsStore:
    """Temporary tables holding the results of the unexpected-rows queries evaluated so far."""

    def __init__(self) -> None:
        self._tables: dict[str, str] = {}

    def source(self, sql: str, engine: Any) -> str:
        """A query reading the result of ``sql``, evaluating it into a temporary table the first time."""
        name = self._tables.get(sql)
        if name is None:
            name = f"mimic_qa_unexpected_rows_{len(self._tables)}"
            _committed(engine, f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
            self._tables[sql] = name
        return f"SELECT * FROM {name}"

    def clear(self, engine: Any) -> None:
        """Drop the temporary tables (after each table's validation: the next one's queries differ)."""
        for name in self._tables.values():
            _committed(engine, f"DROP TABLE IF EXISTS {name}")
        self._tables.clear()


@contextmanager
def unexpected_rows_once() -> Iterator[UnexpectedRowsStore]:
    """Within this block, GX's unexpected-rows metrics on DuckDB share one evaluation of their query.

    If GX's query hook is not the one this was written for (another GX release), GX is left as it is.
    """
    from great_expectations.expectations.metrics.query_metric_provider import QueryMetricProvider

    store = UnexpectedRowsStore()
    if GX_UNEXPECTED_ROWS.broken():  # another GX release: leave GX as it is (each query evaluated twice)
        yield store
        return
    original = QueryMetricProvider.__dict__[UNEXPECTED_ROWS_HOOK]

    def substituted(cls: type, query: str, batch_selectable: Any, execution_engine: Any,
                    query_parameters: Any = None) -> str:
        sql = original.__func__(cls, query, batch_selectable, execution_engine, query_parameters)
        if getattr(cls, "query_param_name", None) != _QUERY_PARAMETER or \
                getattr(execution_engine, "dialect_name", None) != "duckdb":
            return sql
        return store.source(sql, execution_engine)

    setattr(QueryMetricProvider, UNEXPECTED_ROWS_HOOK, classmethod(substituted))
    try:
        yield store
    finally:
        setattr(QueryMetricProvider, UNEXPECTED_ROWS_HOOK, original)
