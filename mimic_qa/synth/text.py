"""Free text in MIMIC's de-identified style: fixed phrases with ``___`` where identifiers were masked.

Each function returns a SQL expression (DuckDB, vectorised) built from the seeded ``u``/``pick`` macros.
"""

from __future__ import annotations

from mimic_qa.synth.sqlfn import pick

LAB_COMMENTS = [
    "___ CALLED TO ___ AT {t} ON ___.",
    "HEMOLYSIS FALSELY ELEVATES K.",
    "VERIFIED BY REPLICATE ANALYSIS.",
    "NOTIFIED ___ AT {t}.",
    "SPECIMEN HEMOLYZED. SLIGHT HEMOLYSIS.",
    "REFERENCE RANGE VARIES WITH AGE; SEE ___.",
    "___",
    "TEST NOT PERFORMED; SPECIMEN CLOTTED.",
    "RESULT CONFIRMED BY REPEAT ANALYSIS AT {t}.",
]
MICRO_COMMENTS = [
    "NO GROWTH.",
    "Reported to and read back by ___ ___ ON ___ AT {t}.",
    "NO POLYMORPHONUCLEAR LEUKOCYTES SEEN.",
    "<10,000 organisms/ml.",
    "Sensitivity testing performed by Sensititre.",
    "MIXED BACTERIAL FLORA ( >= 3 COLONY TYPES), CONSISTENT WITH SKIN AND/OR GENITAL CONTAMINATION.",
    "___ REQUESTED SENSITIVITIES ON ___.",
    "Refer to ___ for susceptibilities.",
]


def template_expr(templates: list[str], tag: str, idx: str = "_src") -> str:
    """Pick a template per row and fill ``{t}`` with an HH:MM time."""
    hhmm = (f"lpad(((h('{tag}.hh', {idx}) % 24))::VARCHAR, 2, '0') || ':' || "
            f"lpad(((h('{tag}.mm', {idx}) % 60))::VARCHAR, 2, '0')")
    return f"replace({pick(templates, tag, idx)}, '{{t}}', {hhmm})"


def words_expr(words: list[str], tag: str, n: int, idx: str = "_src") -> str:
    """Up to ``n`` words from a list, space separated."""
    return " || ' ' || ".join(pick(words, f"{tag}.{k}", idx) for k in range(n))
