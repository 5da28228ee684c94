"""Stage 4, with ``--checks all`` on DuckDB and PostgreSQL: the kinds pandera and Great Expectations evaluate
(``mimic_qa.checks.kinds.LIBRARY_ENGINES``), inside the database, through the spec's pandera schemas and the
packaged GX suites. Their results carry their engine's name and the kinds' own messages.

Both libraries take seconds to import, so their imports start as soon as a run begins. pandera runs on a worker
thread (its schemas and GX's import share that one worker, since both change the process-wide warning filters).
On a database that another process can open (a DuckDB file, PostgreSQL), GX runs in a process of its own,
started at once: its import and its Python work then use the second core while this process counts; on
validate's own parse (an in-memory database) GX runs here, after the parse it overlapped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from mimic_qa.checks import CheckDef
from mimic_qa.checks.kinds import LIBRARY_ENGINES
from mimic_qa.interrupts import kill_if_interrupted
from mimic_qa.progress import PHASE, TableEvents, ignore
from mimic_qa.results import CheckResult
from mimic_qa.spec import Spec
from mimic_qa.validation.options import ValidateOptions
from mimic_qa.sources.release import Expectation
from mimic_qa.validation.store import ResultStore

Database = Path | str | Any  # a DuckDB file or connection, or a PostgreSQL DSN
PANDERA_KINDS = frozenset(k for k, e in LIBRARY_ENGINES.items() if e == "pandera")
GX_KINDS = frozenset(k for k, e in LIBRARY_ENGINES.items() if e == "gx")


class _GxProcess:
    """A child process that imports GX at once, then runs the suites it is sent and returns their results."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._answered = False
        self._process = context.Process(target=_serve, args=(child,), name="mimic-qa-gx", daemon=True)
        self._process.start()
        child.close()
        kill_if_interrupted(self._process.pid or 0)

    def send(self, args: tuple[Any, ...]) -> None:
        self._conn.send(args)

    def results(self, progress: TableEvents) -> list[CheckResult]:
        """The suites' results; ``progress`` hears the events the process reports meanwhile."""
        while True:
            status, payload = self._conn.recv()
            if status == "event":
                progress(*payload)
            elif status == "error":
                self._answered = True
                raise payload
            else:
                self._answered = True
                return payload

    def stop(self) -> None:
        """End the process: a few seconds to exit on its own once it has answered (killed while it shuts down,
        it would leave a semaphore for the resource tracker to warn about), at once if it is still working."""
        if self._answered:
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()
        kill_if_interrupted(self._process.pid or 0, watch=False)


def _serve(conn: Connection) -> None:
    """The GX process: import GX, run one request, send back the results (or the error)."""
    with contextlib.closing(conn):
        try:
            _import_gx()
            conn.send(("ok", _suites(*conn.recv(), progress=lambda *event: conn.send(("event", event)))))
        except EOFError:  # the parent went away: nothing to answer
            return
        except Exception as exc:  # noqa: BLE001  (sent back and raised in the parent)
            conn.send(("error", exc))


class _HeldBack:
    """pandera's table events from its worker thread, held back while the run works on other phases (the display
    shows one phase at a time), then passed on from when the run waits for pandera (``listen``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: set[str] = set()  # tables sent to pandera and not done
        self._started: set[str] = set()
        self._listener: TableEvents | None = None

    def queue(self, tables: list[str]) -> None:
        with self._lock:
            self._queued.update(tables)

    def event(self, event: str, name: str, size: int | None, rows: int | None) -> None:
        with self._lock:
            (self._started.add if event == "start" else self._started.discard)(name)
            if event == "done":
                self._queued.discard(name)
            if self._listener:
                self._listener(event, name, size, rows)

    def listen(self, listener: TableEvents) -> None:
        """From now on pass the events to ``listener``, after the phase of the tables pandera has left."""
        with self._lock:
            self._listener = listener
            listener(PHASE, "tested", None, len(self._queued))
            for name in sorted(self._started):
                listener("start", name, None, None)


class Libraries:
    """pandera on a worker thread; GX in its own process (``gx_apart``) or after pandera, here."""

    def __init__(self, gx_apart: bool) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mimic-qa-libraries")
        self._schemas: list[Future[list[CheckResult]]] = []
        self._found: list[CheckResult] = []
        self._pandera_events = _HeldBack()
        self._gx = _GxProcess() if gx_apart else None
        self._imported = self._worker.submit(_import, not gx_apart)

    def check_tables(self, store: ResultStore, db: Database, tables: list[str], options: ValidateOptions) -> None:
        """Queue pandera's checks of tables (as soon as they are in the database), with the run's catalogue."""
        checks = [c for t in tables for c in store.checks(t)]  # types too: they shape the schemas' dtypes
        self._pandera_events.queue(tables)
        self._schemas.append(self._worker.submit(_pandera, db, store.spec, checks, tables, options.show_values,
                                                 self._pandera_events.event))

    def add(self, results: list[CheckResult]) -> None:
        """pandera's results of tables it checked as they were read (validate's check-only pass)."""
        self._found += results

    def finish(self, store: ResultStore, db: Database, expectation: Expectation, present: set[str],
               options: ValidateOptions) -> None:
        """Run the GX suites, wait for pandera, and keep the results of the kinds each library owns."""
        tables = [t for t in store.tables if t in present]
        checks = [c for t in tables for c in store.checks(t, GX_KINDS)]
        gx_args: tuple[Any, ...] = (db, store.spec, checks, dict(expectation.releases), tables,
                                    expectation.row_counts, options.expectations_dir, dict(store.rows))
        try:
            if self._gx:
                self._gx.send(gx_args)
            self._imported.result()
            heard = options.progress or ignore
            if not all(f.done() for f in self._schemas):
                self._pandera_events.listen(heard)  # what is left of pandera's work, while the run waits for it
            found = self._found + [r for f in self._schemas for r in f.result()]
            found += self._gx.results(heard) if self._gx else _suites(*gx_args, progress=heard)
        finally:
            self.abandon()
        for r in found:
            if LIBRARY_ENGINES.get(r.kind) == r.engine and r.id not in store.results:
                store.keep(r)

    def abandon(self) -> None:
        self._worker.shutdown(cancel_futures=True)
        if self._gx:
            self._gx.stop()
            self._gx = None


def _import_gx() -> None:
    from mimic_qa.gx import import_great_expectations

    import_great_expectations()


def _import(with_gx: bool) -> None:
    from mimic_qa.schemas import run_schemas  # noqa: F401  (imports pandera and ibis)

    if with_gx:
        _import_gx()


def _pandera(db: Database, spec: Spec, checks: list[CheckDef], tables: list[str], show_values: bool,
             progress: TableEvents) -> list[CheckResult]:
    from mimic_qa.schemas import run_schemas

    return run_schemas(db, tables=tables, show_values=show_values, spec=spec, catalog=checks, progress=progress)


def _suites(db: Database, spec: Spec, checks: list[CheckDef], releases: dict[str, str], tables: list[str],
            row_counts: dict[str, int], expectations_dir: Path | None, rows: dict[str, int | None], *,
            progress: TableEvents) -> list[CheckResult]:
    from mimic_qa.gx import run_suites

    return run_suites(db, releases, tables=tables, expected_row_counts=row_counts, expectations_dir=expectations_dir,
                      kinds=GX_KINDS, rows=rows, spec=spec, catalog=checks, progress=progress)
