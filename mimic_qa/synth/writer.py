"""Writes a table as PhysioNet ships it: header line, comma separated, ``"`` quoting where needed, empty
field for NULL, UTF-8, gzip (ISA-L, no file name, mtime 0) - in bounded chunks, rows in order."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
from isal import igzip

CHUNK_ROWS = 2_000_000
GZIP_LEVEL = 1


def write_csv_gz(con: duckdb.DuckDBPyConnection, rows: Callable[[int, int], str], n_rows: int, path: Path,
                 chunk_rows: int = CHUNK_ROWS) -> None:
    """Write ``rows(lo, hi)`` (a SELECT ending with the order column ``_i``) for [0, n_rows) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part.csv")
    with open(path, "wb") as raw, igzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL,
                                                  mtime=0, filename="") as gz:
        lo = 0
        while True:
            hi = min(n_rows, lo + chunk_rows)
            header = "true" if lo == 0 else "false"
            con.execute(f"COPY (SELECT * EXCLUDE (_i) FROM ({rows(lo, hi)}) ORDER BY _i) TO '{part}' "
                        f"(FORMAT csv, HEADER {header}, DELIMITER ',', QUOTE '\"', NULLSTR '')")
            with open(part, "rb") as f:
                shutil.copyfileobj(f, gz, 1 << 20)
            lo = hi
            if lo >= n_rows:
                break
    part.unlink()
