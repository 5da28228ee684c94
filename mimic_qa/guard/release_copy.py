"""Byte-identical copies of the official release files, matched on the spec's SHA-256 values.

Hashing every large file would break the bounded-read promise, so a gzip file is hashed only
when the uncompressed size in its trailer (ISIZE, the size modulo 2**32) equals the
uncompressed size the spec records for some release file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.hashing import sha256_of
from mimic_qa.spec import Spec

RELEASE = "3.1"


@dataclass(frozen=True)
class ReleaseFile:
    file: str  # e.g. "hosp/labevents.csv.gz"
    table: str  # e.g. "hosp.labevents"
    sha256: str


@dataclass
class ReleaseIndex:
    """Release files keyed by the gzip trailer value their copies would carry."""

    by_isize: dict[int, list[ReleaseFile]] = field(default_factory=dict)
    label: str = RELEASE

    def add(self, csv_bytes: int, entry: ReleaseFile) -> None:
        self.by_isize.setdefault(csv_bytes % 2**32, []).append(entry)


def build_release_index(spec: Spec, release: str = RELEASE) -> ReleaseIndex:
    index = ReleaseIndex(label=release)
    for name, info in spec.release(release).files.items():
        table = spec.tables[name]
        index.add(int(info["csv_bytes"]), ReleaseFile(table.file, table.qualified_name, str(info["sha256"])))
    return index


def gzip_isize(path: Path, size: int) -> int | None:
    if size < 18:  # smallest possible gzip member
        return None
    with path.open("rb") as fh:
        fh.seek(size - 4)
        return int.from_bytes(fh.read(4), "little")


def match_release_copy(path: Path, size: int, index: ReleaseIndex) -> ReleaseFile | None:
    """The release file this gzip file is a byte-identical copy of, if any."""
    isize = gzip_isize(path, size)
    candidates = index.by_isize.get(isize) if isize is not None else None
    if not candidates:
        return None
    digest = sha256_of(path)
    return next((c for c in candidates if c.sha256 == digest), None)
