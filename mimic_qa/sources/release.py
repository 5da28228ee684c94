"""Which release each project of a copy is checked against, why, and which release its row counts really match."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.errors import UsageError
from mimic_qa.sources.base import Meta, Source
from mimic_qa.sources.folder import FolderSource, read_release_file
from mimic_qa.sources.layout import SYNTH_MARKER
from mimic_qa.spec import Spec


@dataclass(frozen=True)
class Expectation:
    """The release of each project the copy holds, and the exact row counts expected of each table."""

    releases: dict[str, str]  # project -> release key ("3.1", "demo-2.2", ...), in spec order
    row_counts: dict[str, int]
    reasons: dict[str, str] = field(default_factory=dict)  # project -> why its release was chosen
    synthetic: bool = False

    @property
    def release(self) -> str:
        """The release of the first project (the clinical database's, when the copy holds it)."""
        return next(iter(self.releases.values()))

    @property
    def reason(self) -> str:
        return "; ".join(dict.fromkeys(self.reasons.values()))


def choose_release(spec: Spec, requested: str | None, source: Source | None) -> Expectation:
    """Per project: --release, else what the copy records (``mimic-qa synth``'s release file, or the metadata
    of a database mimic-qa built), else a release's marker file (the demo's ``demo_subject_id.csv``), else the
    project's default release. Without a copy (a derived file), the first project's."""
    projects = (source.projects() if source else []) or list(spec.projects)[:1]
    chosen: dict[str, tuple[str, str]] = {}
    counts: dict[str, int] = {}
    synthetic = False

    def take(meta: Meta, why: str) -> None:
        nonlocal synthetic
        for project, release in meta.releases.items():
            if project not in chosen:
                chosen[project] = (release, why)
                counts.update({t: n for t, n in meta.row_counts.items() if spec.project_of(t).key == project})
                synthetic = synthetic or meta.synthetic

    if requested:
        if requested in spec.validatable_releases:
            chosen[spec.release(requested).project] = (requested, f"--release {requested}")
        elif Path(requested).is_file():
            take(read_release_file(spec, Path(requested)), f"--release {requested}")
        else:
            raise UsageError(f"unknown release {requested!r}: give {', '.join(spec.validatable_releases)} or a "
                             "release file")
    meta = source.meta() if source else None
    if meta is not None:
        take(meta, f"synthetic release file {SYNTH_MARKER}" if isinstance(source, FolderSource)
             else "release recorded in the database by mimic-qa")
    markers = source.marker_releases() if isinstance(source, FolderSource) else {}
    for project in projects:
        if project in chosen:
            continue
        if project in markers:
            release = markers[project]
            chosen[project] = (release, f"{spec.release(release).marker} present ({spec.release(release).kind})")
        else:
            chosen[project] = (spec.projects[project].default_release, "default (no --release, no release file)")
    order = [p for p in spec.projects if p in chosen]
    row_counts: dict[str, int] = {}
    for project in order:
        row_counts.update(spec.release(chosen[project][0]).row_counts)
    row_counts.update(counts)
    return Expectation({p: chosen[p][0] for p in order}, row_counts, {p: chosen[p][1] for p in order}, synthetic)


def detect_release(spec: Spec, observed: dict[str, int | None], chosen: str) -> str | None:
    """The release of the same project whose row counts this copy matches clearly better than the chosen one."""
    project = spec.release(chosen).project

    def matches(key: str) -> int:
        counts = spec.releases[key].row_counts
        return sum(1 for t, n in observed.items() if n is not None and counts.get(t) == n)

    scores = {key: matches(key) for key in spec.project_releases(project)}
    best = max(scores, key=lambda k: scores[k])
    if best != chosen and scores[best] >= 3 and scores[best] > scores.get(chosen, 0):
        return best
    return None
