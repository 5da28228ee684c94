"""``<table>.columns``: the header (or the stored table) has the spec's columns, in file order.

SQL names are case-insensitive, so names are compared without letter case: a header that differs only in case
(PhysioNet's procedureevents spells ``ORIGINALAMOUNT``) still has the spec's columns, read by name; the
``header_case`` kind reports such spellings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, GxExpectation, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.spec.models import Spec, Table


@dataclass(frozen=True)
class HeaderComparison:
    """How observed column names differ from the expected ones (names compared without letter case)."""

    missing: list[str]  # expected names with no observed match
    unexpected: list[str]  # observed names with no expected match
    misplaced: list[str]  # shared columns out of the expected order
    other_case: list[str]  # observed spellings that match an expected name only when case is ignored

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.unexpected) + len(self.misplaced)


def compare_header(expected: list[str], observed: list[str]) -> HeaderComparison:
    """Compare names without case; observed spellings whose case differs are listed in ``other_case``."""
    wanted = {e.lower(): e for e in expected}
    seen = {o.lower(): o for o in observed}
    missing = [e for e in expected if e.lower() not in seen]
    unexpected = [o for o in observed if o.lower() not in wanted]
    shared_expected = [e.lower() for e in expected if e.lower() in seen]
    shared_observed = [o.lower() for o in observed if o.lower() in wanted]
    misplaced = [wanted[e] for e, o in zip(shared_expected, shared_observed) if e != o]
    other_case = [o for o in observed if o.lower() in wanted and o != wanted[o.lower()]]
    return HeaderComparison(missing, unexpected, misplaced, other_case)


class Columns(Kind):
    name = "columns"
    category = "conformance"
    stage = "structure"
    tests = "the header names the spec's columns in file order (names compared without letter case)"
    guide = Guide(
        "Header / columns as the spec says",
        "Columns are added, renamed and removed between versions (a `chartdate` added to hcpcsevents broke "
        "old DDL, mimic-code #1112), and loader bugs shift columns (mimic-code #1483). Checks on a missing "
        "column are skipped.",
        "Compare with `mimic-qa spec --table TABLE`. Check that the files and the release you validate "
        "against match (`--release`). For a database, rebuild the table with the release's own DDL, e.g. "
        "`mimic-qa load DIR postgresql://... --tables TABLE --drop`.",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="error",
                          description=f"The header of {table.file} is: {', '.join(table.column_names)}.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        if not isinstance(facts, TableFacts) or facts.header is None or table is None:
            return None
        found = compare_header(table.column_names, facts.header)
        return Outcome.of(bool(found.differences), found.differences, self.message(found))

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation:
        return "expect_table_columns_to_match_ordered_list", {"column_list": table.column_names}

    def gx_outcome(self, check: CheckDef, kwargs: dict[str, Any], observed: Any, rows: int | None) -> tuple[int, str]:
        found = compare_header(list(kwargs["column_list"]), [str(c) for c in observed])
        return found.differences, self.message(found)

    @staticmethod
    def message(found: HeaderComparison) -> str:
        """One line naming the columns only, never data."""
        parts = [f"{label}: {', '.join(cols)}" for label, cols in
                 (("missing", found.missing), ("unexpected", found.unexpected), ("out of order", found.misplaced))
                 if cols]
        return "; ".join(parts) or "ok"
