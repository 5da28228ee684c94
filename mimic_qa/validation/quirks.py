"""Stage 5: known quirks of the real release. Failures they explain become warnings that cite their source."""

from __future__ import annotations

from collections.abc import Mapping

from mimic_qa.results import CheckResult, Status
from mimic_qa.spec import Spec


def apply_quirks(results: list[CheckResult], spec: Spec, table_rows: Mapping[str, int]) -> None:
    """Downgrade failures within a quirk's tolerance to warnings; say so either way."""
    for r in results:
        quirk = spec.quirk_for(r.id)
        if quirk is None or r.status is not Status.FAILED or r.failing_rows is None:
            continue
        tolerance = quirk.tolerance(table_rows.get(r.table or "", 0))
        r.quirk_reference = quirk.reference
        r.message = r.message.rstrip(". ")
        if r.failing_rows <= tolerance:
            if r.severity == "error":
                r.severity = "warning"
            r.message += f"; a known quirk of the real release, tolerated up to {tolerance:,} ({quirk.reference})"
        else:
            r.message += f"; more than the {tolerance:,} a known quirk explains ({quirk.reference})"
