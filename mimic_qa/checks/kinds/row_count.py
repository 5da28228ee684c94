"""``<table>.row_count``: the table has exactly the release's row count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, GxExpectation, Kind
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

    def gx_expectation(self, check: CheckDef, spec: Spec, table: Table, release: str) -> GxExpectation:
        return "expect_table_row_count_to_equal", {"value": spec.release(release).row_counts[table.name]}

    def gx_outcome(self, check: CheckDef, kwargs: dict[str, Any], observed: Any, rows: int | None) -> tuple[int, str]:
        return abs(int(observed) - int(kwargs["value"])), self.message(int(observed), int(kwargs["value"]))

    @staticmethod
    def message(observed: int, expected: int) -> str:
        diff = observed - expected
        return f"{observed:,} rows, expected {expected:,}" + (f" ({diff:+,})" if diff else "")
