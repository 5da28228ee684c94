"""Stage 4: the checks a database counts, as compiled SQL on the engine (those the libraries do not evaluate).

Per table, one aggregate scan counts its rows and every per-row check; then each set-based check (keys,
references, identities) is one query. A check whose other table is not selected or not available is skipped
with that reason. Engine errors become results that name only the error's type (messages can quote data).
"""

from __future__ import annotations

from mimic_qa.checks.kinds import PerRow, SetBased, TableFacts, engine_of, kind
from mimic_qa.checks.sql import run_per_row, run_set_based, sample_query
from mimic_qa.progress import PHASE, TableEvents, ignore
from mimic_qa.sources.base import Source
from mimic_qa.results import CheckResult, Status
from mimic_qa.sources.release import Expectation
from mimic_qa.validation.store import ResultStore


def _failed(source: Source, exc: Exception) -> str:
    return f"query failed on {source.engine} ({type(exc).__name__})"


def count_rows_and_per_row(store: ResultStore, source: Source, expectation: Expectation, present: set[str],
                           libraries: bool, show_values: bool = False, progress: TableEvents = ignore) -> None:
    """Each present table's rows and per-row checks in one scan, and its row count against the release's;
    ``progress`` hears the phase ("counted") and each table."""
    names = [t for t in store.tables if t in present]
    progress(PHASE, "counted", None, len(names))
    for name in names:
        table = store.spec.tables[name]
        checks = [c for c in store.open(name) if isinstance(kind(c.kind), PerRow) and engine_of(c.kind, libraries) == "sql"]
        progress("start", name, None, None)
        try:
            rows, results = run_per_row(source.fetch_one, table, checks)
        except Exception as exc:  # noqa: BLE001  (engine errors may quote data: keep only their type)
            store.error(name, _failed(source, exc))
            present.discard(name)
            progress("done", name, None, None)
            continue
        progress("done", name, None, rows)
        for r in results:
            per_row = kind(r.kind)
            if show_values and r.status is Status.FAILED and isinstance(per_row, PerRow) and per_row.sampled:
                r.samples = list(source.fetch_one(sample_query(store.by_id[r.id], table))[0] or [])
        record_per_row(store, name, rows, results, expectation, libraries)


def record_per_row(store: ResultStore, name: str, rows: int, results: list[CheckResult], expectation: Expectation,
                   libraries: bool) -> None:
    """A table's rows and per-row results, and the checks those rows decide (its row count, when compiled SQL
    judges it)."""
    store.rows[name] = rows
    for r in results:
        store.keep(r)
    facts = TableFacts(name, rows=rows, expected_rows=expectation.row_counts[name])
    store.judge(name, facts, "data", only=lambda c: engine_of(c.kind, libraries) == "sql")


def skip_unreachable(store: ResultStore, present: set[str]) -> None:
    """Checks naming another table that is not selected (--tables), not part of the copy (a module validated
    without the module it refers to) or not available cannot run."""
    spec = store.spec
    modules = {spec.tables[t].module for t in store.tables}
    for name in store.tables:
        for check in store.open(name):
            other = check.params.get("ref_table")
            if other is None:
                continue
            if spec.tables[other].module not in modules:
                store.skip(check, f"cross-module check: the {spec.tables[other].module} module ({other}) is not part "
                                  "of this copy; validate it together with that module's release")
            elif other not in store.tables:
                store.skip(check, f"parent table {other} is not among the selected tables (--tables)")
            elif other not in present:
                store.skip(check, f"parent table {other} is not available")


def count_set_based(store: ResultStore, source: Source, present: set[str], libraries: bool,
                    progress: TableEvents = ignore) -> None:
    """Keys, references, identities and windows: one query each. ``progress`` hears the phase ("checked") and
    each table, unless the libraries run (their GX suites then report the phase)."""
    todo = {name: [c for c in store.open(name) if isinstance(kind(c.kind), SetBased)
                   and engine_of(c.kind, libraries) == "sql"] for name in store.tables if name in present}
    todo = {name: checks for name, checks in todo.items() if checks}
    heard = ignore if libraries else progress
    heard(PHASE, "checked", None, len(todo))
    for name, checks in todo.items():
        heard("start", name, None, None)
        for check in checks:
            try:
                store.keep(run_set_based(source.fetch_one, store.spec, check, store.rows.get(name)))
            except Exception as exc:  # noqa: BLE001
                store.put(check, Status.ERROR, None, _failed(source, exc))
        heard("done", name, None, None)
