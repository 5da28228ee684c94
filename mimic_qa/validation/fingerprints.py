"""Fingerprints in a validation run: a release file's from the hash validate computes anyway; those a kept database
records (each table as built, and the file it came from); and which tables of a database mimic-qa built have
changed since (a note naming them)."""

from __future__ import annotations

from collections.abc import Mapping

from mimic_qa.sources.base import Meta, Source
from mimic_qa.sources.fingerprint import FILE_METHOD, Fingerprint, table_fingerprints
from mimic_qa.validation.integrity import Files


def scanned_fingerprints(files: Files) -> dict[str, Fingerprint]:
    """Each release file's fingerprint: the SHA-256 its scan computed."""
    return {name: Fingerprint(FILE_METHOD, scan.result().sha256) for name, scan in files.scans.items()}


def with_fingerprints(meta: Meta, built: Source, tables: set[str], files: Mapping[str, Fingerprint]) -> Meta:
    """The kept database's metadata with each table's fingerprint as built, and its release file's."""
    meta.fingerprints = {t: f.record() for t, f in table_fingerprints(built, sorted(tables)).items()}
    meta.file_fingerprints = {t: f.record() for t, f in files.items() if t in tables}
    return meta


def changed_since_built(meta: Meta | None, now: Mapping[str, Fingerprint]) -> list[str]:
    """A note naming the tables whose content differs from when mimic-qa built the database (none: no note)."""
    if meta is None or not meta.fingerprints or not now:
        return []
    changed = [t for t, f in now.items() if t in meta.fingerprints and not f.same(Fingerprint.of(meta.fingerprints[t]))]
    return [f"changed since mimic-qa built this database: {', '.join(changed)}"] if changed else []
