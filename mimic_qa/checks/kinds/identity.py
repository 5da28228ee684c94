"""``<table>.identity.<key>``: the row another table's key names carries the row's own identifiers.

A row whose ``hadm_id`` is an admission of another patient passes every foreign key (each key exists), yet it
is exactly what a bad merge produces. For each identity of the spec (e.g. ``(subject_id, hadm_id)`` in
``admissions``), every table of its modules carrying all its columns is checked: where the key (the last column) names a row
of the reference table, that row's other identifiers must be the row's own. Orphan keys are the ``fk`` kind's.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, SetBased, any_of, checked, col, relation
from mimic_qa.spec.models import Spec, Table


class IdentityKind(SetBased):
    name = "identity"
    category = "plausibility"
    what = "rows naming another patient's or stay's row"
    tests = "the row a key names carries the row's own patient (and admission) identifiers"
    guide = Guide(
        "Identifiers agree across tables",
        "A row whose `hadm_id` (or `stay_id`, `poe_id`, ...) names a row of another patient passes every "
        "foreign key, since each key exists, but joins attach it to the wrong person. This is what merging "
        "copies or re-keying tables in an ETL produces. The real demo has no such row.",
        "Rebuild the table from the release files. If you combined sources, check the join that assigned the "
        "identifiers; never repair identifiers by hand.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for ident in spec.identities:
            if ident.applies_to(table):
                yield self.define(
                    spec, table, ident.key, severity=ident.severity,
                    description=f"Where {ident.key} names a row of {ident.ref_table}, that row has the same "
                                f"{', '.join(ident.columns[:-1])}. {ident.description}",
                    columns=tuple(ident.columns), observed=ident.observed if table.observed else (),
                    ref_table=ident.ref_table, source=ident.source)

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        """Rows joined to the reference row their key names, where another identifier differs (the reference
        tables' keys are their primary keys, so each row joins at most once)."""
        *others, key = check.columns
        differs = any_of([exp.NullSafeNEQ(this=col(o, "c"), expression=col(o, "p")) for o in others])
        return (exp.select("1 AS mismatch").from_(checked(spec.tables[check.table or ""], "c"))
                .join(relation(spec.tables[check.params["ref_table"]], "p"),
                      on=exp.EQ(this=col(key, "p"), expression=col(key, "c")))
                .where(differs))

    def violations_named(self, check: CheckDef) -> str:
        *others, key = check.columns
        return f"rows whose {key} names a row of {check.params['ref_table']} with another {', '.join(others)}"
