"""``<table>.unique.<columns>``: a candidate key (documented, not declared) is unique."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, SetBased
from mimic_qa.checks.kinds.pk import duplicates
from mimic_qa.spec.models import Spec, Table


class CandidateKey(SetBased):
    name = "unique"
    category = "conformance"
    unit = "key values"
    what = "key values held by more than one row"
    tests = "the candidate key is unique"
    guide = Guide(
        "Candidate key unique (documented, not declared)",
        "These keys are documented but not declared in `constraint.sql`, so no database enforces them. "
        "Duplicates point to double-loaded rows; the real release has some (e.g. emar_detail, mimic-code "
        "#1326), listed as known quirks.",
        "Within a known quirk's tolerance, deduplicate in your analysis if it matters. Beyond it, reload the "
        "table as for a primary key.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        for k in table.candidate_keys:
            yield self.define(spec, table, k.name, severity=k.severity,
                              description=f"({', '.join(k.columns)}) is unique (candidate key, not declared).",
                              columns=tuple(k.columns), observed=k.observed, source=k.source)

    def violations(self, check: CheckDef, spec: Spec) -> exp.Select:
        return duplicates(spec.tables[check.table or ""], check.columns, with_nulls=False)
