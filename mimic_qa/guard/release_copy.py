"""Byte-identical copies of the published release files, matched on the spec's SHA-256 values.

Hashing every large file would break the bounded-read promise, so a gzip file is hashed only when the
uncompressed size in its trailer (ISIZE, the size modulo 2**32) equals the uncompressed size the spec
records for some release file, or when it is small enough to hash outright (the open demo's files are a
few MB; the spec does not record every one's uncompressed size).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.hashing import sha256_of
from mimic_qa.spec import Spec

SMALL_GZIP_BYTES = 64 << 20  # gzip files up to this size are hashed even without a trailer match


@dataclass(frozen=True)
class ReleaseFile:
    file: str  # e.g. "hosp/labevents.csv.gz"
    table: str  # e.g. "hosp.labevents"
    sha256: str
    release: str  # the spec's release key
    title: str
    open_access: bool = False  # the open demo (ODbL): may be shared with its attribution
    attribution: str = ""  # licence and citation to keep beside a shared copy


@dataclass
class ReleaseIndex:
    """Release files keyed by the gzip trailer value their copies would carry, and by hash."""

    by_isize: dict[int, list[ReleaseFile]] = field(default_factory=dict)
    by_sha256: dict[str, ReleaseFile] = field(default_factory=dict)

    def add(self, csv_bytes: int | None, entry: ReleaseFile) -> None:
        if csv_bytes is not None:
            self.by_isize.setdefault(csv_bytes % 2**32, []).append(entry)
        self.by_sha256[entry.sha256] = entry


def build_release_index(spec: Spec) -> ReleaseIndex:
    """Every published file the spec records a SHA-256 of, in every release."""
    index = ReleaseIndex()
    for key, release in spec.releases.items():
        attribution = f"licence: {release.license}; cite: {release.citation}" if release.open_access else ""
        for name, info in release.files.items():
            table = spec.tables[name]
            size = info.get("csv_bytes")
            index.add(int(size) if size is not None else None,
                      ReleaseFile(table.file, table.qualified_name, str(info["sha256"]), key, release.title,
                                  release.open_access, attribution))
    return index


def gzip_isize(path: Path, size: int) -> int | None:
    if size < 18:  # smallest possible gzip member
        return None
    with path.open("rb") as fh:
        fh.seek(size - 4)
        return int.from_bytes(fh.read(4), "little")


def match_release_copy(path: Path, size: int, index: ReleaseIndex) -> ReleaseFile | None:
    """The published release file this gzip file is a byte-identical copy of, if any."""
    isize = gzip_isize(path, size)
    if not (isize is not None and isize in index.by_isize) and size > SMALL_GZIP_BYTES:
        return None
    return index.by_sha256.get(sha256_of(path))
