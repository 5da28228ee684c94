"""Fingerprints: each table's content summarised in one short digest, computed where the table lives, so that a
later run (``validate --reuse``, ``mimic_qa.require_validated``) can tell an unchanged table from a changed one
without reading it back into Python.

- a release file: the SHA-256 of its bytes (validate hashes every file anyway, for SHA256SUMS.txt);
- DuckDB (and Parquet through DuckDB): one aggregate scan, ``count(*)`` and the sum of a 64-bit hash of each row's
  values (``hash(c1, c2, ...)``), summed without overflow: independent of row order, and any row edited, added or
  removed changes it (two rows' hashes cancelling out has odds of about 2^-64);
- PostgreSQL: ``count(*)`` and ``sum(hashtextextended(row::text, 0))`` (PostgreSQL 11 and later), likewise.

A database digest also covers the stored columns and their types. A DuckDB database file is also hashed whole
(``database_file_digest``: 2.7 s of CPU for 2.2 GB at scale 0.1, half of what hashing its tables' rows costs, on
two cores): a re-run that finds the very bytes validated before reuses every table's fingerprint without a scan.
Digests name their method: two made another way (another engine, or a DuckDB whose hash changed) never compare
equal, so the table counts as changed and is checked again. Spark and BigQuery record none (a full scan there is
billed or slow): nothing is reused on them. The digests are hex strings; they hold no value of the data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from mimic_qa.hashing import CHUNK, sha256_of
from mimic_qa.sources.base import Source
from mimic_qa.sources.folder import FolderSource
from mimic_qa.spec import Table

FILE_METHOD = "sha256-file"
# by engine: the method's name (bumped if its query changes) and the per-row hash, over the quoted columns
_ROW_HASH = {
    "duckdb": ("duckdb-hash-sum-1", lambda columns, alias: f"hash({', '.join(columns)})"),
    "parquet": ("duckdb-hash-sum-1", lambda columns, alias: f"hash({', '.join(columns)})"),
    "postgres": ("postgres-hashtext-sum-1", lambda columns, alias: f"hashtextextended({alias}::text, 0)"),
}


@dataclass(frozen=True)
class Fingerprint:
    """One table's content: how it was summarised, the digest, and the rows counted (None: not counted)."""

    method: str
    value: str
    rows: int | None = None

    def same(self, other: Fingerprint | None) -> bool:
        """The same content, as far as digests of the same method can tell."""
        return other is not None and (self.method, self.value) == (other.method, other.value)

    def record(self) -> dict[str, object]:
        """As stored in JSON (results, a database's metadata)."""
        return asdict(self)

    @classmethod
    def of(cls, record: Mapping[str, object]) -> Fingerprint:
        rows = record.get("rows")
        return cls(str(record["method"]), str(record["value"]), None if rows is None else int(str(rows)))


def supported(source: Source) -> bool:
    """Whether fingerprints are computed on this source."""
    return isinstance(source, FolderSource) or source.engine in _ROW_HASH


def table_fingerprints(source: Source, tables: Iterable[str]) -> dict[str, Fingerprint]:
    """The fingerprint of each of ``tables`` the source holds (none on Spark and BigQuery)."""
    if isinstance(source, FolderSource):
        found = [source.files[t] for t in tables if t in source.files]
        with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL
            digests = list(pool.map(lambda f: sha256_of(f.path), found))
        return {f.table: Fingerprint(FILE_METHOD, d) for f, d in zip(found, digests)}
    if source.engine not in _ROW_HASH:
        return {}
    stored = source.columns()
    return {t: _database_fingerprint(source, source.spec.tables[t], stored[t]) for t in tables if t in stored}


def _database_fingerprint(source: Source, table: Table, columns: list[tuple[str, str]]) -> Fingerprint:
    method, row_hash = _ROW_HASH[source.engine]
    relation = source.relation(table).sql(dialect=source.dialect)
    quoted = ['"' + name.replace('"', '""') + '"' for name, _ in columns]
    rows, total = source.fetch_one(f"SELECT count(*), sum({row_hash(quoted, 't')}) FROM {relation} AS t")
    layout = json.dumps([list(c) for c in columns])
    digest = hashlib.sha256(f"{method}\n{layout}\n{rows}\n{total}".encode()).hexdigest()
    return Fingerprint(method, digest, int(rows))


def database_file_digest(source: Source) -> str | None:
    """SHA-256 of a DuckDB database file and of its write-ahead log (which DuckDB replays on opening), each half of
    a file on its own core: the same bytes hold the same tables, so a re-run that finds them need not scan a table.
    None: not a DuckDB database file."""
    path = source.library_target
    if isinstance(source, FolderSource) or source.engine != "duckdb" or not isinstance(path, Path):
        return None
    files = [p for p in (path, path.with_name(path.name + ".wal")) if p.is_file()]
    ranges = [(p, start, end) for p in files for start, end in _halves(p.stat().st_size)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL
        digests = list(pool.map(lambda r: _sha256_range(*r), ranges))
    text = "\n".join(f"{p.name} {start} {end} {d}" for (p, start, end), d in zip(ranges, digests))
    return hashlib.sha256(text.encode()).hexdigest()


def _halves(size: int) -> list[tuple[int, int]]:
    middle = size // 2
    return [(0, middle), (middle, size)]


def _sha256_range(path: Path, start: int, end: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0 and (chunk := fh.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def combined(fingerprints: Mapping[str, Fingerprint], releases: Mapping[str, str]) -> str | None:
    """One digest of a whole copy: its releases and every table's fingerprint (None: no table fingerprinted)."""
    if not fingerprints:
        return None
    text = json.dumps({"releases": dict(releases), "tables": {t: [f.method, f.value] for t, f in fingerprints.items()}},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
