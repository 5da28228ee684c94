"""``<table>.header_case``: the header spells its column names in the spec's (lower) case."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.checks.kinds.columns import HeaderComparison, compare_header
from mimic_qa.spec.models import Spec, Table


class HeaderCase(Kind):
    name = "header_case"
    category = "conformance"
    stage = "structure"
    tests = "the header spells the column names in the spec's letter case"
    guide = Guide(
        "Header spelled in the spec's letter case",
        "SQL names are case-insensitive, so a header that differs from the spec only in letter case still has "
        "the spec's columns (the `columns` check passes and validate reads them by name); but case-sensitive "
        "tools (pandas, R, Spark with case sensitivity on) see other names. The real release does this: "
        "PhysioNet's procedureevents file spells `ORIGINALAMOUNT` and `ORIGINALRATE` in capitals.",
        "Nothing, for the known quirk. Otherwise lower-case the names when you load the file (mimic-code's "
        "DDL creates lower-case columns and COPY reads by position), or refer to them in the file's spelling.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="warning",
                          description=f"The header of {table.file} spells its column names in lower case, "
                                      "as the spec does.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        if not isinstance(facts, TableFacts) or facts.header is None or table is None:
            return None
        found = compare_header(table.column_names, facts.header)
        return Outcome.of(bool(found.other_case), len(found.other_case), self.message(found))

    @staticmethod
    def message(found: HeaderComparison) -> str:
        if not found.other_case:
            return "ok"
        return (f"{', '.join(found.other_case)} differ from the spec's names only in letter case "
                "(read as the spec's columns)")
