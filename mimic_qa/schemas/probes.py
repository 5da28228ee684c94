"""Row-level violation tests read from a pandera schema, counted for all checks of a table in one query.

pandera's ibis backend answers "does the check pass?" with a pushed-down ``BOOL_AND``, but when a check
fails it fetches the whole boolean column into pandas. So failures are counted here first, in SQL, from
the schema's own check functions (the same ibis expressions pandera evaluates), and pandera is only
handed the checks that pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandera.backends.ibis.builtin_checks  # noqa: F401  (registers the ibis versions of the builtin checks)
import pandera.ibis as pa
import psycopg
from ibis.common.exceptions import IbisError
from pandera.api.ibis.types import IbisData

from mimic_qa.checks.kinds.domain import DomainKind
from mimic_qa.checks.kinds.not_null import NotNull
from mimic_qa.checks.kinds.rule import RuleKind
from mimic_qa.schemas.build import CHECK_IDS
from mimic_qa.schemas.custom import in_dialect

_MARK = "__mimic_qa_violates_{}"
#: What the databases raise when a query fails (DuckDB, PostgreSQL through psycopg).
DB_ERRORS = (duckdb.Error, psycopg.Error)


@dataclass(frozen=True)
class Probe:
    """How to find the rows violating one check: an ibis boolean over the table, or a rule's SQL text."""

    check_id: str
    kind: str  # not_null, domain or rule
    column: str | None
    violates: ir.BooleanValue | None = None
    rule_sql: str | None = None  # a DuckDB boolean expression; the row violates it when it is FALSE

    def condition(self, index: int, dialect: str = "duckdb") -> str:
        """SQL condition over the marked source of :func:`count_sql` that is TRUE for violating rows."""
        if self.violates is not None:
            return f'"{_MARK.format(index)}"'
        return f"NOT ({in_dialect(self.rule_sql or '', dialect)})"


def row_ok(check: pa.Check, table: ibis.Table, column: str) -> ir.BooleanValue:
    """The per-row boolean a pandera ibis column check computes, as an expression over ``table``.

    Builtin checks return ``table.select(<column>=<test>)``; custom ones return the test itself.
    """
    out = check._check_fn(IbisData(table, column), **check._check_kwargs)
    if isinstance(out, ir.BooleanValue):
        return out
    op = out.op() if isinstance(out, ibis.Table) else None
    if isinstance(op, ops.Project) and op.parent == table.op() and len(op.values) == 1:
        return next(iter(op.values.values())).to_expr()
    raise TypeError(f"check {check.name} does not compute one boolean per row")


def null_test(column: ir.Column) -> ir.BooleanValue:
    """NULL, or NaN in a float column: what pandera's ibis ``nullable=False`` rejects."""
    test = column.isnull()
    return test | column.isnan() if column.type().is_floating() else test


def column_probes(schema: pa.DataFrameSchema, table: ibis.Table, column: str) -> list[Probe]:
    """Probes of a column's not-null and domain checks (NULL values pass domains, as in pandera)."""
    spec = schema.columns[column]
    out = []
    not_null = spec.metadata[CHECK_IDS].get(NotNull.name)
    if not_null and not spec.nullable:
        out.append(Probe(not_null, NotNull.name, column, violates=null_test(table[column])))
    for check in spec.checks:
        out.append(Probe(check.name, DomainKind.name, column, violates=~row_ok(check, table, column).fill_null(True)))
    return out


def rule_probes(schema: pa.DataFrameSchema) -> list[Probe]:
    """Probes of the schema's dataframe-level rule checks."""
    return [Probe(c.name, RuleKind.name, None, rule_sql=c.statistics["expr"]) for c in schema.checks]


def sql_dialect(table: ibis.Table) -> str:
    """The SQL dialect of the table's database (``duckdb`` or ``postgres``; DuckDB for an unbound table)."""
    try:
        return table.get_backend().name
    except IbisError:
        return "duckdb"


def marked_sql(table: ibis.Table, probes: list[Probe]) -> tuple[str, list[str]]:
    """The table with each probe's test as a column, as SQL in the table's dialect, and each probe's condition
    over it (TRUE for violating rows), in order."""
    dialect = sql_dialect(table)
    marked = table.mutate(**{_MARK.format(i): p.violates for i, p in enumerate(probes) if p.violates is not None})
    return ibis.to_sql(marked, dialect=dialect), [p.condition(i, dialect) for i, p in enumerate(probes)]


def count_sql(table: ibis.Table, probes: list[Probe]) -> str:
    """One aggregate query in the table's dialect: the row count, then the violating rows of each probe, in order."""
    source, conditions = marked_sql(table, probes)
    counts = [f"count(*) FILTER (WHERE {c})" for c in conditions]
    return f"SELECT {', '.join(['count(*)', *counts])} FROM ({source}) AS src"


def count_failures(table: ibis.Table, probes: list[Probe]) -> tuple[int, dict[str, int | Exception]]:
    """Rows in the table and violating rows per check id, in one scan.

    When the combined query fails (a rule that does not bind or cast), each probe is counted alone so
    one broken check does not hide the others; its entry is then the database error.
    """
    con = table.get_backend()
    try:
        total, *counts = con.raw_sql(count_sql(table, probes)).fetchall()[0]
        return total, {p.check_id: n for p, n in zip(probes, counts, strict=True)}
    except DB_ERRORS:
        pass
    total = con.raw_sql(count_sql(table, [])).fetchall()[0][0]
    out: dict[str, int | Exception] = {}
    for p in probes:
        try:
            out[p.check_id] = con.raw_sql(count_sql(table, [p])).fetchall()[0][1]
        except DB_ERRORS as exc:
            out[p.check_id] = exc
    return total, out


def distinct_violations(table: ibis.Table, column: str, violates: ir.BooleanValue, limit: int) -> list[Any]:
    """Up to ``limit`` distinct offending values of a column (only for an explicit show-values run)."""
    rows = table.filter(violates).select(column).distinct().order_by(column).limit(limit)
    return rows.to_pyarrow().column(0).to_pylist()
