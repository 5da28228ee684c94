"""``<table>.file.present``: the table's file is in the release layout."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.spec.models import Spec, Table


class FilePresent(Kind):
    name = "file.present"
    category = "completeness"
    stage = "files"
    tests = "the file exists in the release layout"
    guide = Guide(
        "Table file present",
        "A missing table file means the download stopped early or an accept pattern skipped it. Every check "
        "on that table is skipped, and foreign keys pointing into it cannot be checked.",
        "Resume the download with `wget -r -N -c -np` on the release URL, then verify with "
        "`sha256sum -c SHA256SUMS.txt`. Check that you downloaded the version folder you meant (`3.1/`).",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="error", description=f"{table.file} is present.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        if not isinstance(facts, TableFacts) or facts.file is None or table is None:
            return None
        found = facts.file.relative
        return Outcome.of(found is None, 0 if found else 1, found or f"{table.file} is missing")
