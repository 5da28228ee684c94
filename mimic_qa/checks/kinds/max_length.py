"""``<table>.max_length.<column>``: no value is longer than the column's VARCHAR(n) / CHAR(n)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, PerRow, col
from mimic_qa.spec.models import Column, Spec, Table


class MaxLength(PerRow):
    name = "max_length"
    category = "conformance"
    per_column = True
    sampled = True
    what = "values over the length"
    tests = "no value is longer than the column's declared length"
    guide = Guide(
        "Value fits the declared length",
        "mimic-code's `create.sql` declares `VARCHAR(n)` / `CHAR(n)` widths. A longer value makes the "
        "PostgreSQL load fail (\"value too long for type character varying(10)\", mimic-code #1770) or, in "
        "some loaders, is silently cut. A very long value can also mean that columns have shifted.",
        "Use the DDL of the release you load (mimic-code widened `admissions.language` to 25 for v3.0), or "
        "`mimic-qa load`, which takes the widths from the spec. If `columns` also fails, fix that first.",
    )

    def column_checks(self, spec: Spec, table: Table, column: Column) -> Iterator[CheckDef]:
        if column.max_length is not None:
            yield self.define(spec, table, column.name, severity="error",
                              description=f"{column.name} is at most {column.max_length} characters.",
                              columns=(column.name,), max_length=column.max_length)

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        return exp.GT(this=exp.Length(this=col(check.columns[0])),
                      expression=exp.Literal.number(int(check.params["max_length"])))
