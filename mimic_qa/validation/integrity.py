"""Stage 2 (release directories): are the files there, listed in SHA256SUMS.txt, intact?

Presence, unexpected files and the SHA256SUMS.txt listing are decided at once; each file's SHA-256 and gzip
scan run in the background (hashlib and ISA-L release the GIL) while the files parse, and are recorded after.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.checks.kinds.file_present import FilePresent
from mimic_qa.checks.kinds.file_readable import FileReadable
from mimic_qa.checks.kinds.file_sha256 import FileSha256
from mimic_qa.checks.kinds.files_unexpected import FilesUnexpected
from mimic_qa.checks.kinds.sha256sums_listed import Sha256sumsListed
from mimic_qa.results import Status
from mimic_qa.sources.layout import SUFFIXES, TableFile, table_files, unexpected_files
from mimic_qa.validation.checksums import SUMS_FILE, FileScan, read_sums, scan_file, sha256_of
from mimic_qa.validation.store import ResultStore


@dataclass
class Files:
    """The selected tables' files found, the published checksums, and the scans under way."""

    found: dict[str, TableFile]
    sums: dict[str, str] | None
    scans: dict[str, Future[FileScan]] = field(default_factory=dict)


def check_files(store: ResultStore, root: Path, pool: ThreadPoolExecutor) -> Files:
    """Presence, unexpected files and SHA256SUMS.txt; each present file's hash and gzip scan start in ``pool``."""
    spec = store.spec
    found = {n: f for n, f in table_files(root, spec).items() if n in store.tables}
    files = Files(found, read_sums(root))
    for name in store.tables:
        table = spec.tables[name]
        tf = found.get(name)
        store.put(store.check(name, FilePresent.name), Status.PASSED if tf else Status.FAILED, 0 if tf else 1,
                  FilePresent.message(table, tf.relative if tf else None))
        if tf is None:
            store.skip_table(name, f"{table.file} is missing", keep=("row_count",))
        else:
            files.scans[name] = pool.submit(scan_file, tf.path, (files.sums or {}).get(tf.relative))
    extra = unexpected_files(root, spec)
    store.put(store.check(None, FilesUnexpected.name), Status.FAILED if extra else Status.PASSED, len(extra),
              FilesUnexpected.message(extra))
    _check_listing(store, root, files)
    return files


def _check_listing(store: ResultStore, root: Path, files: Files) -> None:
    """Every listed file present (files of tables not selected are not expected); non-table files unchanged."""
    listed = store.check(None, Sha256sumsListed.name)
    if files.sums is None:
        store.skip(listed, f"no {SUMS_FILE} in the release")
        for name in store.tables:
            store.skip(store.check(name, FileSha256.name), f"no {SUMS_FILE} in the release")
        return
    spec = store.spec
    unselected = {f"{t.module}/{n}{s}" for n, t in spec.tables.items() if n not in store.tables for s in SUFFIXES}
    considered = [p for p in files.sums if p not in unselected]
    tables_rel = {f.relative for f in files.found.values()}
    absent = sorted(p for p in considered if not (root / p).is_file())
    others = [p for p in considered
              if p not in tables_rel and (root / p).is_file() and not p.startswith(("hosp/", "icu/"))]
    mismatched = [p for p in others if sha256_of(root / p) != files.sums[p]]
    store.put(listed, Status.FAILED if absent or mismatched else Status.PASSED, len(absent) + len(mismatched),
              Sha256sumsListed.message(len(files.sums), absent, mismatched, len(files.sums) - len(considered)))
    for name, tf in files.found.items():
        if tf.relative not in files.sums:
            store.put(store.check(name, FileSha256.name), Status.FAILED, 1, FileSha256.message(tf.relative, False, False))


def record_scans(store: ResultStore, files: Files) -> None:
    """Record SHA256SUMS.txt matches, and gzip damage the parse did not notice (DuckDB skips gzip CRCs)."""
    for name, future in files.scans.items():
        scan = future.result()
        rel = files.found[name].relative
        if files.sums is not None and rel in files.sums:
            ok = scan.sha256 == files.sums[rel]
            store.put(store.check(name, FileSha256.name), Status.PASSED if ok else Status.FAILED, 0 if ok else 1,
                      FileSha256.message(rel, True, ok))
        readable = store.results.get(store.check(name, FileReadable.name).id)
        if scan.gzip_error and readable is not None and readable.status is Status.PASSED:
            store.put(store.check(name, FileReadable.name), Status.FAILED, None,
                      FileReadable.damaged_stream(store.spec.tables[name], scan.gzip_error))
