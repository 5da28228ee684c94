"""One file under inspection: its path, size and first bytes, plus the limits every detector keeps to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mimic_qa.guard.model import Finding, FindingKind, Location
from mimic_qa.guard.signals import Evidence, Signals

HEAD_BYTES = 256 * 1024  # read from the start of every file
TAIL_BYTES = 64 * 1024  # read from the end of a larger text file
SAMPLE_ROWS = 2000  # rows read from a columnar file or a spreadsheet
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024  # notebooks are JSON and must be parsed whole
MAX_PICKLE_BYTES = 16 * 1024 * 1024  # opcodes walked from the start of a pickle


@dataclass
class Probe:
    path: Path
    rel: str  # path shown in findings
    size: int
    head: bytes
    signals: Signals
    min_rows: int

    def rows_finding(self, ev: Evidence, kind: FindingKind = "data-rows",
                     location: Location | None = None) -> Finding | None:
        """A finding when enough rows look like MIMIC, else None."""
        if ev.rows < self.min_rows:
            return None
        return Finding(self.rel, kind, ev.describe(), ev.rows, location or Location(line=ev.first_line), ev.table)

    def read_tail(self, nbytes: int) -> bytes:
        with self.path.open("rb") as fh:
            fh.seek(max(self.size - nbytes, 0))
            return fh.read(nbytes)
