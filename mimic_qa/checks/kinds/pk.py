"""``<table>.pk``: the declared primary key is unique and never NULL."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, SetBased, any_of, checked, col
from mimic_qa.spec.models import Spec, Table


def duplicates(table: Table, columns: tuple[str, ...], with_nulls: bool) -> exp.Select:
    """One row per key value held by more than one row; ``with_nulls`` also counts each key with a NULL part,
    else rows with a NULL in the key are not compared (SQL UNIQUE semantics). GROUP BY, not count(DISTINCT),
    which does not spill to disk in DuckDB."""
    keys = [col(c) for c in columns]
    many = exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1))
    query = exp.select("1 AS k").from_(checked(table))
    if not with_nulls:
        query = query.where(exp.and_(*(k.is_(exp.null()).not_() for k in keys)))
    having = any_of([many, *(k.is_(exp.null()) for k in keys)]) if with_nulls else many
    return query.group_by(*keys).having(having)


class PrimaryKey(SetBased):
    name = "pk"
    category = "conformance"
    unit = "key values"
    what = "key values duplicated or with a NULL part"
    tests = "the declared primary key is unique and not NULL"
    guide = Guide(
        "Primary key unique and not NULL",
        "Duplicate key values usually mean rows loaded twice: a load that was restarted and appended, or two "
        "files of different versions loaded into one table. Every join on that key then multiplies rows.",
        "Drop and reload the table (`mimic-qa load DIR postgresql://... --tables TABLE --drop`); for a "
        "release folder, download the file again.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        if table.primary_key:
            yield self.define(spec, table, None, severity="error",
                              description=f"({', '.join(table.primary_key)}) is unique (declared primary key).",
                              columns=tuple(table.primary_key), source="mimic-code constraint.sql")

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        return duplicates(spec.tables[check.table or ""], check.columns, with_nulls=True)
