"""``<table>.empty_string.<column>``: a NOT NULL text column holds no zero-length string (a quoted ``""``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, PerRow, col
from mimic_qa.spec.models import Column, Spec, Table


class EmptyString(PerRow):
    name = "empty_string"
    category = "completeness"
    per_column = True
    what = "zero-length strings"
    tests = "the NOT NULL text column has no zero-length string"
    guide = Guide(
        "NOT NULL text column has no zero-length string",
        "A zero-length string is not a NULL, but many CSV readers turn it into one, and then a NOT NULL "
        "constraint fails (mimic-code's DuckDB build). A load can also do the reverse and turn NULLs into "
        "empty strings (mimic-code #81), which breaks `IS NULL` filters. The real release has a few; see the "
        "known quirks.",
        "Within a known quirk's tolerance, nothing is wrong with your copy. Otherwise check how your loader "
        "maps empty fields (quoted `\"\"` is an empty string, an unquoted empty field is NULL) and reload the "
        "table.",
    )

    def column_checks(self, spec: Spec, table: Table, column: Column) -> Iterator[CheckDef]:
        if not column.nullable and column.kind == "string":
            yield self.define(spec, table, column.name, severity="error",
                              description=f"{column.name} is never a zero-length string.", columns=(column.name,))

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        return exp.EQ(this=col(check.columns[0]), expression=exp.Literal.string(""))
