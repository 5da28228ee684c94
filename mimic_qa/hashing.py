"""Streamed file hashing, shared by validate (SHA256SUMS.txt) and the guard (copies of release files)."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 4 << 20


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 4 MiB chunks (hashlib releases the GIL while it hashes)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
