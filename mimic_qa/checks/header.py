"""Compare a file's header (or a table's stored columns) with the spec's column list.

SQL names are case-insensitive, so the ``columns`` check compares names without letter case: a header
that differs only in case (PhysioNet's procedureevents spells ``ORIGINALAMOUNT``) still has the spec's
columns, read by name. The ``header_case`` check reports such spellings separately, as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass


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

    def columns_message(self) -> str:
        """One line for the ``columns`` check (names only, never data)."""
        parts = [f"{label}: {', '.join(cols)}" for label, cols in
                 (("missing", self.missing), ("unexpected", self.unexpected), ("out of order", self.misplaced)) if cols]
        return "; ".join(parts) or "ok"

    def case_message(self) -> str:
        """One line for the ``header_case`` check."""
        if not self.other_case:
            return "ok"
        return (f"{', '.join(self.other_case)} differ from the spec's names only in letter case "
                "(read as the spec's columns)")


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


def spec_to_observed(expected: list[str], observed: list[str]) -> dict[str, str]:
    """Each expected column's spelling in ``observed`` (only columns that are present)."""
    seen = {o.lower(): o for o in observed}
    return {e: seen[e.lower()] for e in expected if e.lower() in seen}
