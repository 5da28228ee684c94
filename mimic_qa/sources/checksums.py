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


def scan_file(path: Path, expected_sha256: str | None = None) -> FileScan:
    """Hash the file and, for .gz, verify every gzip member's CRC and length by decompressing it (ISA-L,
    output discarded) - unless its SHA-256 equals ``expected_sha256``: bytes identical to the listed
    release file carry the intact stream it was published with, so the decode (most of the cost) is skipped.

    DuckDB's reader does not verify gzip CRCs, so a flipped byte could otherwise parse as garbage.
    hashlib and ISA-L release the GIL, so this runs beside the parse on the other core.
    """
    gz = path.name.endswith(".gz")
    if expected_sha256 is not None:
        digest = sha256_of(path)
        if digest == expected_sha256 or not gz:
            return FileScan(digest, None)
        return FileScan(digest, _gzip_error(path, None))
    if not gz:
        return FileScan(sha256_of(path), None)
    sha = hashlib.sha256()
    error = _gzip_error(path, sha)
    return FileScan(sha.hexdigest(), error)


def _gzip_error(path: Path, digest: hashlib._Hash | None) -> str | None:
    """Decompress the whole file to check its CRCs (feeding ``digest`` on the way); None when intact."""
    inflater = isal_zlib.decompressobj(31)
    error: str | None = None
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if digest is not None:
                digest.update(chunk)
            while error is None and chunk:
                try:
                    inflater.decompress(chunk)
                except isal_zlib.error:  # type: ignore[misc]
                    error = "gzip stream is damaged (data or checksum error)"
                    break
                chunk = inflater.unused_data if inflater.eof else b""
                if chunk:  # a further gzip member follows
                    inflater = isal_zlib.decompressobj(31)
    if error is None and not inflater.eof:
        error = "gzip stream ends early (truncated file)"
    return error
