"""``<table>.fk.<columns>``: every non-NULL reference has a parent row (declared in constraint.sql or documented)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, SetBased, all_of, checked, col, parse, relation
from mimic_qa.spec.models import Spec, Table


def orphans(child: Table, columns: tuple[str, ...], parent: Table, parent_columns: list[str],
            where: str | None = None) -> exp.Select:
    """One row per child row whose non-NULL reference matches no parent row: a LEFT JOIN anti-join (DuckDB and
    PostgreSQL plan it as an anti join; a parent key that is not unique cannot multiply the orphans). ``where``:
    only the child rows this SQL condition (over the child's columns) holds for."""
    match = all_of([exp.EQ(this=col(p, "p"), expression=col(c, "c")) for c, p in zip(columns, parent_columns)])
    present: list[exp.Expr] = [col(c, "c").is_(exp.null()).not_() for c in columns]
    if where is not None:
        condition = parse(where)
        for column in condition.find_all(exp.Column):
            column.set("table", exp.to_identifier("c"))
        present.append(exp.Paren(this=condition))
    return (exp.select("1 AS orphan").from_(checked(child, "c"))
            .join(relation(parent, "p"), on=match, join_type="left")
            .where(all_of([*present, col(parent_columns[0], "p").is_(exp.null())])))


class ForeignKey(SetBased):
    name = "fk"
    category = "conformance"
    what = "orphan rows"
    tests = "every non-NULL reference has a parent row"
    guide = Guide(
        "Foreign key resolves",
        "A reference with no parent row means the parent table is missing, truncated or only partly loaded, "
        "or tables of different versions are mixed (v3.0 had a real orphan in diagnoses_icd, mimic-code "
        "#1787). Joins silently drop those rows. Every relationship the real demo holds without an orphan is an "
        "error, declared in constraint.sql or not; relationships with real orphans in the demo are known "
        "quirks, tolerated up to their measured rate.",
        "Look at the parent table's `row_count` and `file.readable` first and load it completely. After a "
        "subset load (`--tables`), load the parent tables too. Skipped, with the reason, when the parent "
        "table is not available or not among the `--tables` selected.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for fk in table.foreign_keys:
            how = "declared in constraint.sql" if fk.declared else "documented, not declared"
            only = f" where {fk.where}" if fk.where else ""
            yield self.define(
                spec, table, fk.name, severity=fk.severity,
                description=f"({', '.join(fk.columns)}) references {fk.ref_table}({', '.join(fk.ref_columns)}){only} "
                            f"({how}).",
                columns=tuple(fk.columns), observed=fk.observed, ref_table=fk.ref_table,
                ref_columns=list(fk.ref_columns), declared=fk.declared, where=fk.where,
                source=fk.note or ("mimic-code constraint.sql" if fk.declared else None))

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        return orphans(spec.tables[check.table or ""], check.columns, spec.tables[check.params["ref_table"]],
                       check.params["ref_columns"], check.params.get("where"))

    def violations_named(self, check: CheckDef) -> str:
        ref = f"{check.params['ref_table']}({', '.join(check.params['ref_columns'])})"
        if check.params.get("where"):
            ref += f" (rows where {check.params['where']})"
        return f"rows whose ({', '.join(check.columns)}) has no row in {ref}"
