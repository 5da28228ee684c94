"""Stage 4, with ``--checks all`` on DuckDB and PostgreSQL: the kinds pandera and Great Expectations evaluate
(``mimic_qa.checks.kinds.LIBRARY_ENGINES``), inside the database, through the spec's pandera schemas and the
packaged GX suites. Their results carry their engine's name and the kinds' own messages.

Both libraries take seconds to import, so the import starts on a worker as soon as a run begins; pandera's
schemas and GX's import share that one worker, since both change the process-wide warning filters.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from mimic_qa.checks.kinds import LIBRARY_ENGINES
from mimic_qa.results import CheckResult
from mimic_qa.sources.database import Database
from mimic_qa.validation.options import ValidateOptions
from mimic_qa.validation.release import Expectation
from mimic_qa.validation.store import ResultStore

PANDERA_KINDS = frozenset(k for k, e in LIBRARY_ENGINES.items() if e == "pandera")
GX_KINDS = frozenset(k for k, e in LIBRARY_ENGINES.items() if e == "gx")


class Libraries:
    """A worker that imports pandera and GX at once and then runs pandera's schemas table by table."""

    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mimic-qa-libraries")
        self._imported = self._worker.submit(_import)
        self._schemas: list[Future[list[CheckResult]]] = []

    def check_table(self, db: Database, table: str, options: ValidateOptions) -> None:
        """Queue pandera's checks of one table (as soon as it is in the database)."""
        self._schemas.append(self._worker.submit(_pandera, db, [table], options))

    def check_tables(self, db: Database, tables: list[str], options: ValidateOptions) -> None:
        self._schemas.append(self._worker.submit(_pandera, db, tables, options))

    def finish(self, store: ResultStore, db: Database, expectation: Expectation, present: set[str],
               options: ValidateOptions) -> None:
        """Wait for pandera, run the GX suites, and keep the results of the kinds each library owns."""
        try:
            self._imported.result()
            found = [r for f in self._schemas for r in f.result()]
        finally:
            self._worker.shutdown()
        from mimic_qa.gx import run_suites

        tables = [t for t in store.tables if t in present]
        found += run_suites(db, expectation.release, tables=tables, expected_row_counts=expectation.row_counts,
                            expectations_dir=options.expectations_dir, kinds=GX_KINDS, rows=store.rows)
        for r in found:
            if r.kind in LIBRARY_ENGINES and LIBRARY_ENGINES[r.kind] == r.engine and r.id not in store.results:
                store.keep(r)

    def abandon(self) -> None:
        self._worker.shutdown(cancel_futures=True)


def _import() -> None:
    from mimic_qa.gx import import_great_expectations
    from mimic_qa.schemas import run_schemas  # noqa: F401  (imports pandera and ibis)

    import_great_expectations()


def _pandera(db: Database, tables: list[str], options: ValidateOptions) -> list[CheckResult]:
    from mimic_qa.schemas import run_schemas

    return run_schemas(db, tables=tables, show_values=options.show_values)
