"""One streaming pass over the selected files: pick a detector from each file's first bytes, collect findings.

Progress is reported per folder (a repository holds thousands of small files: one line each would drown the
report). Files are read folder by folder, so a folder is done when the next one starts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from mimic_qa.guard.columnar import ParquetReader, is_arrow, is_parquet, scan_arrow, scan_parquet
from mimic_qa.guard.config import GuardConfig
from mimic_qa.guard.excel import is_excel, scan_excel
from mimic_qa.guard.files import SyntheticMarkers, relative
from mimic_qa.guard.model import Finding, ScanResult, Skipped
from mimic_qa.guard.notebook import NOTEBOOK_SUFFIX, scan_notebook
from mimic_qa.guard.pickles import is_pickle, scan_pickle
from mimic_qa.guard.probe import HEAD_BYTES, MAX_NOTEBOOK_BYTES, Probe
from mimic_qa.guard.release_copy import ReleaseIndex, match_release_copy
from mimic_qa.guard.signals import Signals
from mimic_qa.guard.textfile import (
    GZIP_MAGIC,
    UTF16_BOMS,
    as_utf8,
    looks_binary,
    scan_gzip_file,
    scan_text_file,
    scan_text_sample,
)
from mimic_qa.progress import TableEvents, ignore


class Scanner:
    """Detectors plus the state they share across files (a DuckDB connection, the release index)."""

    def __init__(self, signals: Signals, release_index: ReleaseIndex, config: GuardConfig) -> None:
        self.signals = signals
        self.release_index = release_index
        self.config = config
        self.parquet = ParquetReader()

    def inspect(self, probe: Probe) -> list[Finding]:
        """Findings in one file; the readers' own exceptions propagate when a file is corrupt."""
        head = probe.head
        if head[:2] == GZIP_MAGIC:
            copy = match_release_copy(probe.path, probe.size, self.release_index)
            if copy is not None and copy.open_access:
                reason = (f"byte-identical copy of {copy.file} of the {copy.title}: open-access data, shareable "
                          f"with its licence and attribution ({copy.attribution})")
                return [Finding(probe.rel, "open-data-file", reason, None, table=copy.table, level="info")]
            if copy is not None:
                reason = f"byte-identical copy of {copy.file} ({copy.title})"
                return [Finding(probe.rel, "release-file", reason, None, table=copy.table)]
            return scan_gzip_file(probe)
        if probe.path.suffix.lower() == NOTEBOOK_SUFFIX and head.lstrip()[:1] == b"{":
            return scan_notebook(probe)
        if is_parquet(head):
            return scan_parquet(probe, self.parquet)
        if is_arrow(head):
            return scan_arrow(probe)
        if is_excel(probe):
            return scan_excel(probe)
        if is_pickle(probe):
            return scan_pickle(probe)
        if head[:2] in UTF16_BOMS:
            return scan_text_sample(probe, as_utf8(head), partial=probe.size > len(head))
        if looks_binary(head):
            return []  # images, archives, compiled code: no rows to read
        return scan_text_file(probe)

    def close(self) -> None:
        self.parquet.close()


class _FolderEvents:
    """Turns files scanned into ``start``/``done`` events per folder (with the bytes of its files scanned)."""

    def __init__(self, listener: TableEvents) -> None:
        self.listener = listener
        self.folder: str | None = None
        self.size = 0

    def file(self, rel: str, size: int) -> None:
        folder = rel.rpartition("/")[0] or "."
        if folder != self.folder:
            self.finish()
            self.folder, self.size = folder, 0
            self.listener("start", folder, None, None)
        self.size += size

    def finish(self) -> None:
        if self.folder is not None:
            self.listener("done", self.folder, self.size, None)
            self.folder = None


def scan_files(files: Iterable[Path], root: Path, scanner: Scanner, progress: TableEvents = ignore) -> ScanResult:
    """Read each file once (bounded), skipping allowed paths and ``mimic-qa synth`` output; ``progress`` hears
    each folder start and finish (the bytes of its files scanned)."""
    started = time.perf_counter()
    result = ScanResult(root=str(root))
    markers = SyntheticMarkers(root)
    folders = _FolderEvents(progress)
    try:
        for path in sorted(files, key=lambda p: (p.parent, p.name)):
            rel = relative(path, root)
            if scanner.config.allowed(rel):
                result.skipped.append(Skipped(rel, "allowed"))
                continue
            if markers.covers(path):
                result.skipped.append(Skipped(rel, "synthetic"))
                continue
            try:
                size = path.stat().st_size
                if path.suffix.lower() == NOTEBOOK_SUFFIX and size > MAX_NOTEBOOK_BYTES:
                    result.skipped.append(Skipped(rel, "too-large"))
                    continue
                with path.open("rb") as fh:
                    head = fh.read(HEAD_BYTES)
                result.scanned += 1
                folders.file(rel, size)
                probe = Probe(path, rel, size, head, scanner.signals, scanner.config.min_rows)
                result.findings += scanner.inspect(probe)
            except Exception:  # noqa: BLE001  (a corrupt file of any format must not stop the scan)
                result.skipped.append(Skipped(rel, "unreadable"))
        folders.finish()
    finally:
        scanner.close()
    result.seconds = time.perf_counter() - started
    return result
