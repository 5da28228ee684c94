"""``<table>.domain.<column>``: values lie in the spec's domain (a set, a range or a pattern)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import (UNEXPECTED_ROWS, Guide, GxExpectation, PanderaCheck, PanderaPart, PerRow, any_of,
                                        checked, col, literal)
from mimic_qa.spec.models import Spec, Table


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


class DomainKind(PerRow):
    name = "domain"
    category = "conformance"
    sampled = True
    what = "values outside the domain"
    tests = "values lie in the documented domain"
    guide = Guide(
        "Values in the documented domain",
        "Values outside the documented set or range come from shifted columns, a different coding, or the "
        "wrong release; plausibility ranges (e.g. ages) catch implausible but well-formed values.",
        "Fix `columns` and `type` failures first. If the checksums match and the value set is really "
        "different, report the check id and the count (not the values) to the maintainers.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for d in table.domains:
            yield self.define(spec, table, d.column, severity=d.severity, description=d.describe() + ".",
                              columns=(d.column,), category=d.category, observed=d.observed, source=d.source,
                              values=d.values, min=d.min, max=d.max, pattern=d.pattern,
                              case_insensitive=d.case_insensitive)

    def violates(self, check: CheckDef, table: Table) -> exp.Expr:
        p = check.params
        value: exp.Expr = col(check.columns[0])
        if table.column(check.columns[0]).base_type == "CHAR":
            value = exp.func("rtrim", value)  # CHAR(n) pads with spaces in PostgreSQL; the padding is no part of a value
        if p["values"] is not None:
            if p["case_insensitive"]:
                return exp.Not(this=exp.Lower(this=value).isin(*(literal(str(v).lower()) for v in p["values"])))
            return exp.Not(this=value.isin(*(literal(v) for v in p["values"])))
        if p["pattern"] is not None:
            return exp.Not(this=exp.RegexpLike(this=value, expression=exp.Literal.string(p["pattern"])))
        bounds = ([exp.LT(this=value, expression=literal(p["min"]))] if p["min"] is not None else []) + \
                 ([exp.GT(this=value, expression=literal(p["max"]))] if p["max"] is not None else [])
        return any_of(bounds)

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation:
        p, column = check.params, check.columns[0]
        if p["values"] is not None and p["case_insensitive"]:
            return UNEXPECTED_ROWS, {"query": exp.select("1 AS out_of_domain").from_(checked(table))
                                     .where(self.violates(check, table))}
        if p["values"] is not None:
            return "expect_column_values_to_be_in_set", {"column": column, "value_set": p["values"]}
        if p["pattern"] is not None:
            return "expect_column_values_to_match_regex", {"column": column, "regex": p["pattern"]}
        bounds = {"min_value": p["min"], "max_value": p["max"]}
        return "expect_column_values_to_be_between", {
            "column": column, **{k: _number(v) for k, v in bounds.items() if v is not None}}

    def to_pandera(self, check: CheckDef, table: Table, dialect: str) -> PanderaPart:
        """isin (in any case), in_range / ge / le, or str_matches, named by the check id."""
        p, column = check.params, table.column(check.columns[0])

        def bound(v: float) -> int | float:
            return int(v) if column.kind == "integer" and float(v).is_integer() else v

        args: tuple[Any, ...]
        if p["values"] is not None:
            values = [str(v) for v in p["values"]] if column.kind == "string" else list(p["values"])
            test, args = ("isin_any_case" if p["case_insensitive"] else "isin"), (values,)
        elif p["pattern"] is not None:
            test, args = "str_matches", (p["pattern"],)
        elif p["min"] is not None and p["max"] is not None:
            test, args = "in_range", (bound(p["min"]), bound(p["max"]))
        elif p["min"] is not None:
            test, args = "ge", (bound(p["min"]),)
        else:
            test, args = "le", (bound(p["max"]),)
        return PanderaPart(column.name, check=PanderaCheck(test, args, check.id, check.description.rstrip(".")))
