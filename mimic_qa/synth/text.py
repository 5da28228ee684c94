"""Generic text for string columns neither the spec nor the demo describe (the demo's own comment templates are
in the calibration). Returns SQL expressions (DuckDB, vectorised) built from the seeded ``pick`` macro."""

from __future__ import annotations

from mimic_qa.synth.sqlfn import pick


def words_expr(words: list[str], tag: str, n: int, idx: str = "_src") -> str:
    """Up to ``n`` words from a list, space separated."""
    return " || ' ' || ".join(pick(words, f"{tag}.{k}", idx) for k in range(n))
