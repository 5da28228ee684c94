"""SHA256SUMS.txt (PhysioNet's ``<sha256> <relative/path>`` list) and a one-pass file scan:
SHA-256 of the bytes and a full check of the gzip stream (CRC and length), streamed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from isal import isal_zlib

from mimic_qa.hashing import CHUNK, sha256_of

SUMS_FILE = "SHA256SUMS.txt"
__all__ = ["SUMS_FILE", "FileScan", "read_sums", "scan_file", "sha256_of"]


def read_sums(root: Path) -> dict[str, str] | None:
    """relative path -> expected hex digest; None when the release has no SHA256SUMS.txt."""
    path = root / SUMS_FILE
    if not path.is_file():
        return None
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) == 2 and len(parts[0]) == 64:
            sums[parts[1].lstrip("*").removeprefix("./")] = parts[0].lower()
    return sums


@dataclass(frozen=True)
class FileScan:
    sha256: str
    gzip_error: str | None  # None when the gzip stream is complete and its CRCs match (or not gzip)


def scan_file(path: Path) -> FileScan:
    """Hash the file and, for .gz, decompress it (ISA-L, discarding output) to verify every member's CRC.

    DuckDB's reader does not verify gzip CRCs, so a flipped byte could otherwise parse as garbage.
    hashlib and ISA-L release the GIL, so this runs beside the parse on the other core.
    """
    digest = hashlib.sha256()
    gz = path.name.endswith(".gz")
    inflater = isal_zlib.decompressobj(31) if gz else None
    error: str | None = None
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            while inflater is not None and error is None and chunk:
                try:
                    inflater.decompress(chunk)
                except isal_zlib.error:
                    error = "gzip stream is damaged (data or checksum error)"
                    break
                chunk = inflater.unused_data if inflater.eof else b""
                if chunk:  # a further gzip member follows
                    inflater = isal_zlib.decompressobj(31)
    if inflater is not None and error is None and not inflater.eof:
        error = "gzip stream ends early (truncated file)"
    return FileScan(digest.hexdigest(), error)
