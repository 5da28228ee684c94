"""Stage 2 (release folders): are the files there, listed in their root's SHA256SUMS.txt, intact?

Presence, unexpected files and the SHA256SUMS.txt listings are known at once; each file's SHA-256 and gzip scan
run in the background (hashlib and ISA-L release the GIL) while the files parse, and are recorded after. What is
learned goes into facts; the file kinds judge them (``ResultStore.judge``).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mimic_qa.checks.kinds import FileFacts, ReleaseFacts, TableFacts
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.sources.folder import FolderSource
from mimic_qa.sources.layout import SUFFIXES, TableFile, unexpected_files
from mimic_qa.validation.checksums import FileScan, read_sums, scan_file, sha256_of
from mimic_qa.validation.store import ResultStore


@dataclass
class Files:
    """The selected tables' files found, the facts learned of each, and the scans under way."""

    found: dict[str, TableFile]
    sums: dict[Path, dict[str, str] | None]  # each root's SHA256SUMS.txt (None: it has none)
    facts: dict[str, TableFacts] = field(default_factory=dict)
    scans: dict[str, Future[FileScan]] = field(default_factory=dict)


def check_files(store: ResultStore, source: FolderSource, pool: ThreadPoolExecutor) -> Files:
    """Presence, unexpected files and the SHA256SUMS.txt listings; each present file's hash and gzip scan start
    in ``pool``."""
    spec = store.spec
    files = Files({n: f for n, f in source.files.items() if n in store.tables},
                  {root.path: read_sums(root.path) for root in source.roots})
    for name in store.tables:
        table = spec.tables[name]
        tf = files.found.get(name)
        listing = files.sums[tf.root] if tf else None
        files.facts[name] = TableFacts(table.file, file=FileFacts(
            tf.relative if tf else None, None if listing is None or tf is None else tf.relative in listing))
        store.judge(name, files.facts[name], "files")
        if tf is None:
            store.skip_table(name, f"{table.file} is missing", keep=(RowCount.name,))
        else:
            files.scans[name] = pool.submit(scan_file, tf.path, (listing or {}).get(tf.relative))
    store.judge(None, _release_facts(store, source, files), "files")
    return files


def _release_facts(store: ResultStore, source: FolderSource, files: Files) -> ReleaseFacts:
    """Every listed file present (files of tables not selected are not expected); non-table files unchanged;
    no table file the spec does not define."""
    spec = store.spec
    facts = ReleaseFacts(unexpected=[u for root in source.roots for u in unexpected_files(root, spec)])
    if all(s is None for s in files.sums.values()):
        return facts
    unselected = {f"{t.module}/{n}{s}" for n, t in spec.tables.items() if n not in store.tables for s in SUFFIXES}
    modules = {m for root in source.roots for m in root.modules}
    tables_rel = {(f.root, f.relative) for f in files.found.values()}
    facts.listed = 0
    for root, listing in files.sums.items():
        if listing is None:
            continue
        facts.listed += len(listing)
        considered = [p for p in listing if p not in unselected]
        facts.not_selected += len(listing) - len(considered)
        facts.absent += sorted(p for p in considered if not (root / p).is_file())
        others = [p for p in considered if (root, p) not in tables_rel and (root / p).is_file()
                  and p.split("/")[0] not in modules]
        facts.mismatched += [p for p in others if sha256_of(root / p) != listing[p]]
    return facts


def record_scans(store: ResultStore, files: Files) -> None:
    """Record SHA256SUMS.txt matches, and gzip damage the parse did not notice (DuckDB skips gzip CRCs)."""
    for name, future in files.scans.items():
        scan = future.result()
        facts = files.facts[name]
        assert facts.file is not None
        facts.file.scanned, facts.file.damaged = True, scan.gzip_error
        listing = files.sums[files.found[name].root]
        if facts.file.listed and listing is not None:
            facts.file.sha256_matches = scan.sha256 == listing[files.found[name].relative]
        store.judge(name, facts, "files")
