"""``<table>.not_null.<column>``: a NOT NULL column holds no NULL (an unquoted empty field)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, GxExpectation, PanderaPart, PerRow, col
from mimic_qa.spec.models import Column, Spec, Table


class NotNull(PerRow):
    name = "not_null"
    category = "completeness"
    per_column = True
    what = "NULL values"
    tests = "the NOT NULL column has no NULL (empty field)"
    guide = Guide(
        "NOT NULL column has no NULL",
        "A NULL where the release has none means lost values: shifted or truncated rows, or a loader that "
        "turns empty strings into NULLs. A PostgreSQL load with mimic-code's NOT NULL constraints would "
        "reject these rows.",
        "Fix `file.readable`, `columns` and `type` failures of the table first. Then reload the table with "
        "`NULL ''` semantics, as mimic-code's `COPY` and `mimic-qa load` do (only an unquoted empty field "
        "is NULL).",
    )

    def column_checks(self, spec: Spec, table: Table, column: Column) -> Iterator[CheckDef]:
        if not column.nullable:
            yield self.define(spec, table, column.name, severity="error", description=f"{column.name} is never NULL.",
                              columns=(column.name,))

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        return col(check.columns[0]).is_(exp.null())

    def to_pandera(self, check: CheckDef, table: Table, dialect: str) -> PanderaPart:
        return PanderaPart(check.columns[0], nullable=False)

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation:
        return "expect_column_values_to_not_be_null", {"column": check.columns[0]}
