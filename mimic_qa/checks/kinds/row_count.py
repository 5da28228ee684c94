"""``<table>.row_count``: the table has exactly the release's row count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, GxExpectation, Kind, Outcome, ReleaseFacts, TableFacts
from mimic_qa.results import Status
from mimic_qa.spec.models import Spec, Table


class RowCount(Kind):
    name = "row_count"
    category = "completeness"
    tests = "the table has exactly the release's row count"
    guide = Guide(
        "Exact row count of the release",
        "The strongest sign of a complete copy. Fewer rows: a truncated file or an interrupted load (e.g. "
        "PostgreSQL on Windows cannot COPY files over 4 GB, mimic-code #901). More rows: a table loaded "
        "twice. Many tables off at once: the wrong release; the summary then says \"this copy looks like "
        "MIMIC-IV v2.2, not MIMIC-IV v3.1\".",
        "Read the summary's release note and pass `--release` if you meant another release. Otherwise "
        "download or reload the table (`--drop` with `mimic-qa load`).",
    )

    def table_checks(self, spec: Spec, table: Table) -> Iterator[CheckDef]:
        yield self.define(spec, table, None, severity="error", description="The table has exactly the release's row count.")

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        """A table the database lacks, or a file that could not be read, decides it; else the rows counted (when
        compiled SQL counts them: Great Expectations' suite does otherwise)."""
        if not isinstance(facts, TableFacts):
            return None
        if not facts.in_database:
            return Outcome.of(True, None, f"{facts.where} is not in the database")
        if facts.file is not None and facts.file.unreadable:
            return Outcome(Status.ERROR, None, f"{facts.where} could not be read")
        if facts.rows is None or facts.expected_rows is None:
            return None
        return Outcome.of(facts.rows != facts.expected_rows, abs(facts.rows - facts.expected_rows),
                          self.message(facts.rows, facts.expected_rows))

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation:
        return "expect_table_row_count_to_equal", {"value": spec.release(release).row_counts[table.name]}

    def gx_outcome(self, check: CheckDef, kwargs: dict[str, Any], observed: Any, rows: int | None) -> tuple[int, str]:
        return abs(int(observed) - int(kwargs["value"])), self.message(int(observed), int(kwargs["value"]))

    @staticmethod
    def message(observed: int, expected: int) -> str:
        diff = observed - expected
        return f"{observed:,} rows, expected {expected:,}" + (f" ({diff:+,})" if diff else "")
