"""SHA256SUMS.txt: PhysioNet's file list (``<sha256> <relative/path>``), verified by streaming each file once."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS_FILE = "SHA256SUMS.txt"
_CHUNK = 4 << 20


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


def sha256_of(path: Path) -> str:
    """Streamed SHA-256 of a file (hashlib releases the GIL, so this overlaps with parsing)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
