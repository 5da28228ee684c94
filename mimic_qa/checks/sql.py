"""The checks a database counts, as queries over the spec's bare table names: one aggregate scan per table for
every per-row kind, one query per set-based check. Only counts come back from the database, never values.

The queries come from the kinds (``mimic_qa.checks.kinds``); a source binds them to its relations and compiles
them to its dialect with sqlglot (``Source.compile``), and runs them through the ``Fetch`` it is given as.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds import Counted, PerRow, SetBased, kind
from mimic_qa.results import CheckResult, Status
from mimic_qa.spec.models import Spec, Table


def aggregate_query(table: Table, checks: list[CheckDef]) -> exp.Select:
    """One scan of the table: its row count, then the violating rows of each per-row check, in order."""
    counts: list[exp.Expr] = [exp.Count(this=exp.Star())]
    for c in checks:
        per_row = kind(c.kind)
        assert isinstance(per_row, PerRow)
        counts.append(exp.Filter(this=exp.Count(this=exp.Star()),
                                 expression=exp.Where(this=per_row.violates(c, table))))
    return exp.select(*counts).from_(exp.to_table(table.name))


def count_query(check: CheckDef, spec: Spec) -> exp.Select:
    """The number of violations of a set-based check (key values, or rows)."""
    set_based = kind(check.kind)
    assert isinstance(set_based, SetBased)
    return exp.select(exp.Count(this=exp.Star())).from_(set_based.violations(check, spec).subquery("v"))


def sample_query(check: CheckDef, table: Table, limit: int = 5) -> exp.Select:
    """Up to ``limit`` distinct offending values of a column check, as one array (only with --show-values)."""
    per_row = kind(check.kind)
    assert isinstance(per_row, PerRow)
    value = exp.cast(exp.column(check.columns[0], quoted=True), "VARCHAR").as_("v")
    distinct = exp.select(value).distinct().from_(exp.to_table(table.name)).where(per_row.violates(check, table))
    return exp.select(exp.func("array_agg", exp.column("v"))).from_(
        distinct.order_by("v").limit(limit).subquery("s"))


def table_queries(spec: Spec, table: Table, checks: list[CheckDef]) -> list[exp.Select]:
    """Every query compiled SQL runs for one table (to estimate their cost first, e.g. on BigQuery)."""
    mine = [c for c in checks if c.table == table.name]
    return [aggregate_query(table, [c for c in mine if isinstance(kind(c.kind), PerRow)]),
            *(count_query(c, spec) for c in mine if isinstance(kind(c.kind), SetBased))]


Fetch = Callable[[exp.Expr], tuple[Any, ...]]  # runs one query on an engine, returns its single row


def counted(check: CheckDef, failing: int, rows: int | None, engine: str) -> CheckResult:
    """The result of a counted check, with its kind's message (the same on every engine)."""
    counter = kind(check.kind)
    assert isinstance(counter, Counted)
    return CheckResult(id=check.id, table=check.table, kind=check.kind, category=check.category,
                       severity=check.severity, status=Status.FAILED if failing else Status.PASSED,
                       failing_rows=failing, message=counter.message(check, failing, rows), engine=engine)


def run_per_row(fetch: Fetch, table: Table, checks: list[CheckDef]) -> tuple[int, list[CheckResult]]:
    """(row count, results) of a table's per-row checks, in a single scan."""
    total, *counts = fetch(aggregate_query(table, checks))
    return int(total), [counted(c, int(n), int(total), "sql") for c, n in zip(checks, counts)]


def run_set_based(fetch: Fetch, spec: Spec, check: CheckDef, rows: int | None) -> CheckResult:
    return counted(check, int(fetch(count_query(check, spec))[0]), rows, "sql")
