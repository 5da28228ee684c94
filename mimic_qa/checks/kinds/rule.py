"""``<table>.rule.<name>``: a row-level rule of the spec (a SQL condition; a row violates it when it is FALSE)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlglot
from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import (UNEXPECTED_ROWS, Guide, GxExpectation, PanderaCheck, PanderaPart, PerRow, checked,
                                        parse)
from mimic_qa.spec.models import Spec, Table

# Dialects a rule must read the same in to be written into the portable GX suites.
PORTABLE_DIALECTS = ("duckdb", "postgres", "bigquery")


def is_portable(expr: str) -> bool:
    """True when a rule expression reads the same in DuckDB, PostgreSQL and BigQuery SQL."""
    try:
        return len({sqlglot.transpile(expr, read="duckdb", write=d)[0] for d in PORTABLE_DIALECTS}) == 1
    except sqlglot.errors.SqlglotError:
        return False


class RuleKind(PerRow):
    name = "rule"
    category = "plausibility"
    what = "rows violating the rule"
    tests = "the row-level rule holds"
    guide = Guide(
        "Row-level rule holds",
        "Time rules such as `admittime <= dischtime` hold for almost every row of the real data. The real "
        "release has documented exceptions (known quirks, shown below with their counts); far more than "
        "that usually means timestamps were converted on load (a time zone applied, a date compared with a "
        "timestamp, mimic-code #1346).",
        "Within a known quirk's tolerance you get a warning: exclude or handle those rows in your analysis. "
        "Beyond it, reload the table with `TIMESTAMP` (without time zone) columns as in the spec.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for r in table.rules:
            yield self.define(spec, table, r.name, severity=r.severity, description=r.description,
                              observed=r.observed, expr=r.expr, source=r.source)

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        return exp.Not(this=exp.Paren(this=parse(check.params["expr"])))

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation | None:
        if not is_portable(check.params["expr"]):
            return None
        return UNEXPECTED_ROWS, {"query": exp.select("1 AS violation").from_(checked(table))
                                 .where(self.violates(check, table))}

    def to_pandera(self, check: CheckDef, table: Table, dialect: str) -> PanderaPart:
        """A dataframe-level check; its SQL text is ``check.statistics["expr"]``."""
        return PanderaPart(None, check=PanderaCheck("rule", (check.params["expr"],), check.id, check.description))
