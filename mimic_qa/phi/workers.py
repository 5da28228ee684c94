"""The analyzer in worker processes: each builds its own analyzer once; small jobs stay in-process.

Workers are plain child processes (``python -m mimic_qa.phi.workers``) in a session (and process group) of their own,
fed pickled chunks over a pipe. Ctrl-C in a terminal (SIGINT to the foreground group) reaches only the
command, which kills them (``mimic_qa.interrupts``) and exits 130: no worker prints a traceback, none is
left running, and no semaphore or resource-tracker process of ``multiprocessing`` is left to complain. A
worker also ends when its pipe closes, so one whose parent was killed outright does not linger.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from typing import IO, Any

from mimic_qa import interrupts
from mimic_qa.errors import MimicQAError
from mimic_qa.phi.engine import Hit, PhiAnalyzer
from mimic_qa.phi.vocabulary import Vocabulary

CHUNK = 256  # values per message sent to a worker
CHUNK_CHARS = 400_000  # characters per message at most (a few dozen notes)
IN_PROCESS_BELOW = 1500  # fewer values than this are analysed in-process (a worker costs ~2 s to start)
_HEADER = struct.Struct("<Q")

Item = tuple[str, frozenset[str] | None]


def _send(fh: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEADER.pack(len(data)))
    fh.write(data)
    fh.flush()


def _receive(fh: IO[bytes]) -> Any:
    head = fh.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(head)[0]
    data = fh.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _chunks(items: list[Item]) -> list[list[Item]]:
    """Messages of at most ``CHUNK`` values or ``CHUNK_CHARS`` characters (a long note is a message of its own)."""
    out: list[list[Item]] = []
    size = 0
    for item in items:
        if not out or len(out[-1]) >= CHUNK or size >= CHUNK_CHARS:
            out.append([])
            size = 0
        out[-1].append(item)
        size += len(item[0])
    return out


class WorkerFailed(MimicQAError):
    """A worker process died or answered something other than hits."""


class _Worker:
    """One child process and the thread that feeds it chunks from a shared queue."""

    def __init__(self, args: tuple[frozenset[str], str | None, float]) -> None:
        env = dict(os.environ, PYTHONWARNINGS="ignore")
        self.proc = subprocess.Popen([sys.executable, "-m", "mimic_qa.phi.workers"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, start_new_session=True)
        interrupts.kill_if_interrupted(self.proc.pid)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        _send(self.stdin, args)

    def serve(self, jobs: queue.SimpleQueue, results: list[Any], errors: list[BaseException]) -> None:
        while (job := jobs.get()) is not None:
            index, chunk = job
            try:
                _send(self.stdin, chunk)
                results[index] = _receive(self.stdout)
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                errors.append(exc)
                return

    def close(self) -> None:
        for fh in (self.stdin, self.stdout):
            try:
                fh.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        interrupts.kill_if_interrupted(self.proc.pid, watch=False)


class AnalyzerPool:
    """``run(items)``: the hits of each (value, entity types) pair, in order, in ``workers`` processes when worth it."""

    def __init__(self, vocabulary: Vocabulary, nlp_model: str | None, min_score: float, workers: int) -> None:
        self.args = (vocabulary.words, nlp_model, min_score)
        self.workers = max(1, workers)
        self._local: PhiAnalyzer | None = None
        self._pool: list[_Worker] = []

    def run(self, items: list[Item]) -> list[list[Hit]]:
        if not self._pool and (self.workers == 1 or len(items) < IN_PROCESS_BELOW):
            if self._local is None:
                self._local = PhiAnalyzer(Vocabulary(self.args[0]), self.args[1], self.args[2])
            return [self._local.analyze(v, entities) for v, entities in items]
        if not self._pool:
            self._pool = [_Worker(self.args) for _ in range(self.workers)]
        chunks = _chunks(items)
        jobs: queue.SimpleQueue = queue.SimpleQueue()
        for job in enumerate(chunks):
            jobs.put(job)
        for _ in self._pool:
            jobs.put(None)
        results: list[Any] = [None] * len(chunks)
        errors: list[BaseException] = []
        threads = [threading.Thread(target=w.serve, args=(jobs, results, errors), daemon=True) for w in self._pool]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors or any(r is None for r in results):
            self.close()
            raise WorkerFailed("an analyzer worker process stopped unexpectedly "
                               f"({type(errors[0]).__name__ if errors else 'no answer'})")
        return [hits for part in results for hits in part]

    def close(self) -> None:
        for w in self._pool:
            w.close()
        self._pool = []

    def __enter__(self) -> AnalyzerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """A worker's life: build the analyzer from the first message, then answer chunks until the pipe closes."""
    words, nlp_model, min_score = _receive(stdin)
    analyzer = PhiAnalyzer(Vocabulary(words), nlp_model, min_score)
    gc.freeze()  # the word lists and patterns live as long as the worker: the collector need not walk them again
    while True:
        try:
            chunk = _receive(stdin)
        except EOFError:
            return
        _send(stdout, [analyzer.analyze(v, entities) for v, entities in chunk])


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command stops its workers itself
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the protocol's own copy of stdout; anything a
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # library prints goes to stderr instead
    try:
        _serve(sys.stdin.buffer, answers)
    except (BrokenPipeError, EOFError):
        pass
