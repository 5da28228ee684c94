"""Columnar data files: Parquet (read by DuckDB) and Arrow IPC / Feather v2 (read by nanoarrow).

Both read the schema and only the first ``SAMPLE_ROWS`` rows (the first row group / record
batches), so a large file costs about the same as a small one.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from mimic_qa.guard.model import Finding
from mimic_qa.guard.probe import SAMPLE_ROWS, Probe
from mimic_qa.guard.signals import assess_table

PARQUET_MAGIC = b"PAR1"
ARROW_FILE_MAGIC = b"ARROW1"
ARROW_STREAM_MAGIC = b"\xff\xff\xff\xff"  # continuation marker before the first (schema) message


class ParquetReader:
    """One in-memory DuckDB connection, opened on first use and reused for every Parquet file."""

    def __init__(self) -> None:
        self._con: Any = None

    def sample(self, probe: Probe) -> tuple[list[str], list[tuple[Any, ...]]]:
        if self._con is None:
            import duckdb

            self._con = duckdb.connect(":memory:", config={"threads": 1})
        cur = self._con.execute("SELECT * FROM read_parquet(?) LIMIT ?", [str(probe.path), SAMPLE_ROWS])
        columns = [d[0] for d in cur.description]
        return columns, cur.fetchall()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def is_parquet(head: bytes) -> bool:
    return head[:4] == PARQUET_MAGIC


def is_arrow(head: bytes) -> bool:
    return head[:6] == ARROW_FILE_MAGIC or head[:4] == ARROW_STREAM_MAGIC


def scan_parquet(probe: Probe, reader: ParquetReader) -> list[Finding]:
    columns, rows = reader.sample(probe)
    found = probe.rows_finding(assess_table(columns, rows, probe.signals))
    return [found] if found else []


def scan_arrow(probe: Probe) -> list[Finding]:
    import nanoarrow as na

    with probe.path.open("rb") as fh:
        if probe.head[:6] == ARROW_FILE_MAGIC:
            fh.seek(8)  # file format: magic and padding, then the stream format
        with na.ArrayStream.from_readable(fh) as stream:
            columns = [f.name or "" for f in stream.schema.fields]
            rows = (row for batch in stream for row in zip(*(c.iter_py() for c in batch.iter_children()), strict=True))
            ev = assess_table(columns, islice(rows, SAMPLE_ROWS), probe.signals)
    found = probe.rows_finding(ev)
    return [found] if found else []
