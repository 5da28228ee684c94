"""Row counts to generate: the release's real counts, per-patient tables scaled, dictionaries kept whole."""

from __future__ import annotations

from mimic_qa.errors import UsageError
from mimic_qa.spec import Spec

DICTIONARIES = ("d_hcpcs", "d_icd_diagnoses", "d_icd_procedures", "d_labitems", "d_items", "provider", "caregiver")
# Module releases synth imitates, each with the clinical release its patients and admissions come from (the ED and
# Note modules hang off the clinical database: generated with the same seed and scale, their identifiers are its own).
MODULE_BASES = {"ed-2.2": "3.1", "ed-demo-2.2": "demo-2.2", "note-2.2": "3.1"}
MAX_SCALE = 2.0


def imitable(spec: Spec) -> list[str]:
    """The releases synth imitates: the clinical database's (the first project's) complete ones, then the modules'."""
    return [*spec.project_releases(next(iter(spec.projects)), validatable=True), *MODULE_BASES]


def base_of(release: str) -> str:
    """The clinical release whose copy a release's identifiers come from (itself for a clinical release)."""
    return MODULE_BASES.get(release, release)


def default_scale(spec: Spec, release: str) -> float:
    """0.01 of a full release; a demo at its own (100-patient) size."""
    if release not in imitable(spec):
        raise UsageError(f"unknown release {release!r}; choose from {', '.join(imitable(spec))}")
    return 1.0 if spec.release(release).kind == "demo" else 0.01


def target_counts(spec: Spec, release: str, scale: float) -> dict[str, int]:
    """Exact rows per table of the release's project at a scale (dictionary tables keep their real size)."""
    if release not in imitable(spec):
        raise UsageError(f"unknown release {release!r}; choose from {', '.join(imitable(spec))}")
    if not 0 < scale <= MAX_SCALE:
        raise UsageError(f"--scale must be in (0, {MAX_SCALE:g}], got {scale:g}")
    real = spec.release(release).row_counts
    out = {name: real[name] if name in DICTIONARIES else max(1, round(real[name] * scale)) for name in real}
    base = out if base_of(release) == release else target_counts(spec, base_of(release), scale)
    if base["patients"] < 10:
        raise UsageError(f"--scale {scale:g} gives {base['patients']} patients; use a scale giving at least 10")
    return out
