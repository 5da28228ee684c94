"""Presidio in worker processes: each builds its own analyzer once; small jobs stay in-process."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from mimic_qa.phi.engine import Hit, PhiAnalyzer
from mimic_qa.phi.vocabulary import Vocabulary

CHUNK = 256  # values per task sent to a worker
IN_PROCESS_BELOW = 1500  # fewer values than this are analysed in-process (a worker costs ~2 s to start)

_analyzer: PhiAnalyzer | None = None


def _init(words: frozenset[str], nlp_model: str | None, min_score: float) -> None:
    global _analyzer
    _analyzer = PhiAnalyzer(Vocabulary(words), nlp_model, min_score)


def _analyze_chunk(items: list[tuple[str, frozenset[str]]]) -> list[list[Hit]]:
    assert _analyzer is not None
    return [_analyzer.analyze(v, entities) for v, entities in items]


class AnalyzerPool:
    """``run(items)``: the hits of each (value, entity types) pair, in order, in ``workers`` processes when worth it."""

    def __init__(self, vocabulary: Vocabulary, nlp_model: str | None, min_score: float, workers: int) -> None:
        self.args = (vocabulary.words, nlp_model, min_score)
        self.workers = max(1, workers)
        self._local: PhiAnalyzer | None = None
        self._pool: ProcessPoolExecutor | None = None

    def run(self, items: list[tuple[str, frozenset[str]]]) -> list[list[Hit]]:
        if self._pool is None and (self.workers == 1 or len(items) < IN_PROCESS_BELOW):
            if self._local is None:
                self._local = PhiAnalyzer(Vocabulary(self.args[0]), self.args[1], self.args[2])
            return [self._local.analyze(v, entities) for v, entities in items]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init, initargs=self.args)
        chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
        return [hits for part in self._pool.map(_analyze_chunk, chunks) for hits in part]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> AnalyzerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
