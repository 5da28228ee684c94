"""Which release a copy is checked against, why, and which release its row counts really match."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mimic_qa.errors import UsageError
from mimic_qa.sources.layout import DEMO_SUBJECTS, SYNTH_MARKER
from mimic_qa.spec import Spec


@dataclass(frozen=True)
class Expectation:
    """The release used and the exact row counts expected of each table."""

    release: str  # a spec release key ("3.1", "demo-2.2")
    row_counts: dict[str, int]
    reason: str  # why this release was chosen, printed to the user
    synthetic: bool = False


def _from_file(spec: Spec, path: Path, why: str) -> Expectation:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        release = str(data["release"])
        counts = data.get("expected_row_counts") or data["row_counts"]
        row_counts = {str(k): int(v) for k, v in counts.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(f"{path}: not a readable release file (JSON with 'release' and 'row_counts')") from None
    if release not in spec.validatable_releases:
        raise UsageError(f"{path}: release {release!r} is not one of {', '.join(spec.validatable_releases)}")
    unknown = set(row_counts) - set(spec.tables)
    if unknown:
        raise UsageError(f"{path}: row counts for unknown tables: {', '.join(sorted(unknown))}")
    full = {**spec.release(release).row_counts, **row_counts}
    return Expectation(release, full, why, synthetic=data.get("generator") == "mimic-qa synth")


def choose_release(spec: Spec, requested: str | None, root: Path | None, stored: dict | None = None) -> Expectation:
    """--release, else the synthetic release file, else demo_subject_id.csv (demo 2.2), else v3.1."""
    if requested:
        if requested in spec.validatable_releases:
            r = spec.release(requested)
            return Expectation(requested, dict(r.row_counts), f"--release {requested}")
        path = Path(requested)
        if path.is_file():
            return _from_file(spec, path, f"--release {path}")
        raise UsageError(f"unknown release {requested!r}: give {', '.join(spec.validatable_releases)} or a release file")
    if root is not None and (root / SYNTH_MARKER).is_file():
        return _from_file(spec, root / SYNTH_MARKER, f"synthetic release file {SYNTH_MARKER}")
    if stored:
        return Expectation(stored["release"], {k: int(v) for k, v in stored["row_counts"].items()},
                           "release recorded in the database by mimic-qa", bool(stored.get("synthetic")))
    if root is not None and (root / DEMO_SUBJECTS).is_file():
        return Expectation("demo-2.2", dict(spec.release("demo-2.2").row_counts), f"{DEMO_SUBJECTS} present (demo)")
    return Expectation("3.1", dict(spec.release("3.1").row_counts), "default (no --release, no release file)")


def detect_release(spec: Spec, observed: dict[str, int | None], chosen: str) -> str | None:
    """The release whose row counts this copy matches clearly better than the chosen one, if any."""
    def matches(key: str) -> int:
        counts = spec.releases[key].row_counts
        return sum(1 for t, n in observed.items() if n is not None and counts.get(t) == n)

    scores = {key: matches(key) for key in spec.releases}
    best = max(scores, key=lambda k: scores[k])
    if best != chosen and scores[best] >= 3 and scores[best] > scores.get(chosen, 0):
        return best
    return None
