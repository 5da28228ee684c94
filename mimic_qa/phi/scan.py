"""The scan pipeline: each distinct text value once (DuckDB GROUP BY), a cheap gate, Presidio in worker
processes, then one set-based pass to locate the rows holding the flagged values.

Tables are read two at a time in background threads (gzip decoding is single-threaded per file) while
the analyzers work on the table read before.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from mimic_qa.errors import UsageError
from mimic_qa.phi.findings import FindingsWriter, key_value, masked_context
from mimic_qa.phi.gate import Gate
from mimic_qa.phi.recognizers.gated import SHORT
from mimic_qa.phi.targets import ScanPlan, Target
from mimic_qa.phi.vocabulary import Vocabulary
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.sources.naming import quote_ident

if TYPE_CHECKING:  # Presidio loads on first use, so bad input fails fast
    from mimic_qa.phi.engine import Hit
    from mimic_qa.phi.workers import AnalyzerPool

FETCH = 50_000  # located rows fetched from DuckDB at a time
ROW_BATCH = 2_000  # document rows read at a time (about 20 MB of discharge summaries)
KNOWN_VALUES = 200_000  # short values whose hits a row-by-row scan remembers
DISPATCH = 20_000  # gated values sent to the analyzers at a time
READERS = 2  # tables read at once
ROW_NUMBER = "row_number"


@dataclass
class ScanOptions:
    min_score: float = 0.5
    include_context: bool = False
    nlp_model: str | None = None
    workers: int = 2


@dataclass
class ScanStats:
    """Counts only: what was read, analysed and found."""

    tables_scanned: int = 0
    columns_scanned: list[str] = field(default_factory=list)
    tables_by_row: list[str] = field(default_factory=list)  # documents: every row analysed, no distinct values
    rows_scanned: int = 0
    distinct_values: int = 0
    values_analyzed: int = 0


def _text_select(target: Target, with_key: bool) -> str:
    cols = [f"CAST({quote_ident(c)} AS VARCHAR) AS {quote_ident(c)}" for c in target.columns]
    if with_key:
        if target.key:
            keys = [f"TRY_CAST({quote_ident(k)} AS {target.key_casts[k]}) AS {quote_ident(k)}" if k in target.key_casts
                    else quote_ident(k) for k in target.key]
        else:
            keys = [f"row_number() OVER () AS {ROW_NUMBER}"]
        cols = keys + cols
    return f"SELECT {', '.join(cols)} FROM {target.relation}"


def _unpivot(target: Target, with_key: bool, include_nulls: bool) -> str:
    cols = ", ".join(quote_ident(c) for c in target.columns)
    nulls = " INCLUDE NULLS" if include_nulls else ""
    return f"({_text_select(target, with_key)}) UNPIVOT{nulls} (v FOR col IN ({cols}))"


class Scanner:
    """Scan every target of a source, writing findings as they are located."""

    def __init__(self, source: ScanPlan, options: ScanOptions) -> None:
        self.source = source
        self.options = options
        self.vocabulary = Vocabulary.build(source.vocabulary_texts)
        self.gate = Gate(self.vocabulary, uses_ner=options.nlp_model is not None)
        self.stats = ScanStats()

    def run(self, writer: FindingsWriter, tables: TableEvents = ignore) -> ScanStats:
        """Scan every target; ``tables`` hears each one start and finish (its file's bytes, rows scanned)."""
        from mimic_qa.phi.workers import AnalyzerPool

        targets = self.source.targets
        with AnalyzerPool(self.vocabulary, self.options.nlp_model, self.options.min_score,
                          self.options.workers) as pool, ThreadPoolExecutor(READERS) as readers:
            reads = [readers.submit(self._distinct, target) for target in targets if not target.by_row]
            try:
                pending_reads = iter(reads)
                for target in targets:
                    # timed from here, not from its read: reads run ahead, and their clocks would count the
                    # wait for the tables before (at scale 0.01, 23-30 s for every table, mostly Presidio loading)
                    tables("start", target.table, target.size, None)
                    rows_before = self.stats.rows_scanned
                    if target.by_row:
                        self._scan_rows(target, pool, writer)
                        self.stats.tables_by_row.append(target.table)
                    else:
                        flagged = self._analyze_distinct(target, next(pending_reads).result(), pool)
                        if flagged:
                            self._locate(target, flagged, writer)
                    self.stats.tables_scanned += 1
                    tables("done", target.table, target.size, self.stats.rows_scanned - rows_before)
                    self.stats.columns_scanned += [f"{target.table}.{c}" for c in target.columns]
            finally:
                for read in reads:
                    read.cancel()
        return self.stats

    def _distinct(self, target: Target) -> list[tuple[str, str | None, int]]:
        """(column, value, rows) for every distinct value of the target's text columns, NULL included."""
        cur = self.source.con.cursor()
        try:
            return cur.execute(f"SELECT col, v, count(*) AS n FROM {_unpivot(target, False, True)} "
                               f"GROUP BY col, v").fetchall()
        except duckdb.Error as exc:  # the engine's message may quote data: give its kind only
            raise UsageError(f"{target.location}: cannot be read ({type(exc).__name__})") from None
        finally:
            cur.close()

    def _analyze_distinct(self, target: Target, distinct: list[tuple[str, str | None, int]],
                          pool: AnalyzerPool) -> dict[tuple[str, str], list[Hit]]:
        """(column, value) -> hits, for the distinct values with at least one hit."""
        flagged: dict[tuple[str, str], list[Hit]] = {}
        pending: list[tuple[str, str, frozenset[str]]] = []
        first = target.columns[0]
        for col, value, n in distinct:
            if col == first:
                self.stats.rows_scanned += n
            if value is None:
                continue
            self.stats.distinct_values += 1
            entities = self.gate.entities(value)
            if entities:
                pending.append((col, value, entities))
            if len(pending) >= DISPATCH:
                self._dispatch(pending, pool, flagged)
                pending = []
        self._dispatch(pending, pool, flagged)
        return flagged

    def _dispatch(self, pending: list[tuple[str, str, frozenset[str]]], pool: AnalyzerPool,
                  flagged: dict[tuple[str, str], list[Hit]]) -> None:
        if not pending:
            return
        self.stats.values_analyzed += len(pending)
        for (col, value, _), hits in zip(pending, pool.run([(v, e) for _, v, e in pending])):
            if hits:
                flagged[(col, value)] = hits

    def _scan_rows(self, target: Target, pool: AnalyzerPool, writer: FindingsWriter) -> None:
        """Documents: every non-null value analysed where it lies, read in batches by one thread while the
        workers analyse the batch before; each finding located by the row's key and its offsets."""
        keys = target.key or [ROW_NUMBER]
        sql = f"SELECT * FROM {_unpivot(target, True, False)}"
        batches: queue.Queue = queue.Queue(maxsize=2)

        def read() -> None:
            cur = self.source.con.cursor()
            try:
                cur.execute(sql)
                while batch := cur.fetchmany(ROW_BATCH):
                    batches.put(batch)
                batches.put(None)
            except BaseException as exc:  # handed to the scanning thread, which reports it
                batches.put(exc)
            finally:
                cur.close()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        first = target.columns[0]
        known: dict[tuple[str, str], list[Hit]] = {}  # short values seen before (a detail table repeats its exam names)
        while (batch := batches.get()) is not None:
            if isinstance(batch, duckdb.Error):  # the engine's message may quote data: give its kind only
                raise UsageError(f"{target.location}: cannot be read ({type(batch).__name__})") from None
            if isinstance(batch, BaseException):
                raise batch
            items: dict[tuple[str, str], frozenset[str]] = {}
            for record in batch:
                col, value = record[-2], record[-1]
                self.stats.rows_scanned += col == first
                if (col, value) in known or (col, value) in items:
                    continue
                self.stats.distinct_values += 1
                entities = self.gate.entities(value)
                if entities:
                    items[(col, value)] = entities
                elif len(value) <= SHORT:
                    known[(col, value)] = []
            self.stats.values_analyzed += len(items)
            analysed = dict(zip(items, pool.run([(v, e) for (_, v), e in items.items()])))
            if len(known) > KNOWN_VALUES:
                known.clear()
            known.update((k, hits) for k, hits in analysed.items() if len(k[1]) <= SHORT)
            for record in batch:
                hits = known.get((record[-2], record[-1])) or analysed.get((record[-2], record[-1]))
                if not hits:
                    continue
                row: dict[str, Any] = {k: key_value(v) for k, v in zip(keys, record)}
                for hit in hits:
                    context = masked_context(record[-1], hits, hit) if self.options.include_context else None
                    writer.write(target.table, record[-2], row, hit, context)
        reader.join()

    def _locate(self, target: Target, flagged: dict[tuple[str, str], list[Hit]], writer: FindingsWriter) -> None:
        """Find every row holding a flagged value (a semi-join in DuckDB) and write one line per hit."""
        keys = target.key or [ROW_NUMBER]
        key_cols = ", ".join(quote_ident(k) for k in keys)
        sql = (f"SELECT {key_cols}, u.col, u.v FROM {_unpivot(target, True, False)} u "
               f"SEMI JOIN (SELECT unnest(?::VARCHAR[]) AS col, unnest(?::VARCHAR[]) AS v) f "
               f"ON u.col = f.col AND u.v = f.v ORDER BY {key_cols}, u.col")
        cols, values = zip(*flagged)
        cur = self.source.con.cursor()
        cur.execute(sql, [list(cols), list(values)])
        while batch := cur.fetchmany(FETCH):
            for record in batch:
                row: dict[str, Any] = {k: key_value(v) for k, v in zip(keys, record)}
                col, value = record[-2], record[-1]
                hits = flagged[(col, value)]
                for hit in hits:
                    context = masked_context(value, hits, hit) if self.options.include_context else None
                    writer.write(target.table, col, row, hit, context)
        cur.close()
