"""Writes tables as PhysioNet ships them: header line, comma separated, ``"`` quoting where needed, empty
field for NULL, numbers as the real files write them (an integral DOUBLE as ``1``, never ``1.0``), UTF-8, gzip
(ISA-L, no file name, mtime 0) - in bounded chunks, rows in order.

DuckDB renders each chunk to CSV (on its threads) while one background thread compresses the chunk
before it (ISA-L releases the GIL), so generation and compression overlap instead of taking turns.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import duckdb
from isal import igzip

CHUNK_ROWS = 1_000_000
GZIP_LEVEL = 1
SLOTS = 2  # CSV part files in flight: one being written by DuckDB, one being compressed
FLOAT_TYPES = ("DOUBLE", "FLOAT")
INTEGRAL_BELOW = 1e15  # integral values below this are written as integers (exact in a DOUBLE and in a BIGINT)


def _as_written(column: str) -> str:
    """A DOUBLE or REAL column as text the way the real files have it: DuckDB writes ``1.0`` where they write
    ``1``; other values keep DuckDB's shortest round-trip form (``0.1``, ``1e-05``)."""
    c = '"' + column.replace('"', '""') + '"'
    return (f"CASE WHEN {c} = trunc({c}) AND abs({c}) < {INTEGRAL_BELOW:.0f} THEN CAST(CAST({c} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({c} AS VARCHAR) END AS {c}")


class CsvGzWriter:
    """Streams tables into ``.csv.gz`` files; use as a context manager (leaving it waits for the last file)."""

    def __init__(self, work_dir: Path, chunk_rows: int = CHUNK_ROWS) -> None:
        self._work, self._chunk_rows = work_dir, chunk_rows
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mimic-qa-gzip")
        self._pending: deque[tuple[Future[None], Callable[[], None] | None]] = deque()
        self._slot = 0

    def __enter__(self) -> CsvGzWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._drain(0)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def write(self, con: duckdb.DuckDBPyConnection, rows: Callable[[int, int], str], n_rows: int, path: Path,
              written: Callable[[], None] | None = None) -> None:
        """Write ``rows(lo, hi)`` (a SELECT ending with the order column ``_i``) for [0, n_rows) to ``path``;
        ``written()`` is called in this thread once the file is complete on disk (during a later ``write`` or
        on leaving the context)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        floats = [name for name, kind, *_ in con.execute(f"DESCRIBE {rows(0, 0)}").fetchall() if kind in FLOAT_TYPES]
        select = "SELECT * EXCLUDE (_i)" + (f" REPLACE ({', '.join(map(_as_written, floats))})" if floats else "")
        raw = open(path, "wb")  # noqa: SIM115  (closed by the compressing thread after the last chunk)
        gz = igzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0, filename="")
        lo = 0
        while True:
            hi = min(n_rows, lo + self._chunk_rows)
            self._drain(SLOTS - 1)  # the part file this chunk reuses has been compressed
            part = self._work / f"part{self._slot}.csv"
            self._slot = (self._slot + 1) % SLOTS
            header = "true" if lo == 0 else "false"
            con.execute(f"COPY ({select} FROM ({rows(lo, hi)}) ORDER BY _i) TO '{part}' "
                        f"(FORMAT csv, HEADER {header}, DELIMITER ',', QUOTE '\"', NULLSTR '')")
            lo = hi
            last = lo >= n_rows
            self._pending.append((self._pool.submit(_compress, part, gz, raw if last else None),
                                  written if last else None))
            if last:
                return

    def _drain(self, keep: int) -> None:
        while len(self._pending) > keep:
            compressed, written = self._pending.popleft()
            compressed.result()
            if written is not None:
                written()


def _compress(part: Path, gz: igzip.IGzipFile, raw: BinaryIO | None) -> None:
    """Append one CSV part to the gzip stream; close the file after its last part."""
    with open(part, "rb") as f:
        shutil.copyfileobj(f, gz, 1 << 20)
    if raw is not None:
        gz.close()
        raw.close()
