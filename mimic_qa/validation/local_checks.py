"""Stage 4b: the site's local checks (``[[local-checks]]``), as compiled SQL on the engine, after the release's.

Per table, one aggregate scan counts its rows and its per-row local checks (a row count check reads that count);
each key, reference or identity check is one query. A site table is bound to its ``schema.table`` and a MIMIC
table by the source, so the same queries run on every engine. A check on a MIMIC table that is not selected or
not available is skipped; a site table can only be in a database (not in a release folder's parse); a site table
the database lacks, or a query that fails, is a check that could not run (it blocks at its severity).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from mimic_qa.checks import CheckDef
from mimic_qa.checks.kinds import PerRow, TableFacts, kind
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.checks.sql import run_per_row, run_set_based
from mimic_qa.config import LocalChecks
from mimic_qa.results import CheckResult, Status
from mimic_qa.sources.base import Source


@dataclass
class LocalRun:
    """What the local checks found: their results in the file's order, and the rows of each table they counted
    (a waiver's ceiling as a share of the rows reads them, site tables included)."""

    results: list[CheckResult] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _result(check: CheckDef, status: Status, message: str, failing: int | None = None) -> CheckResult:
    return CheckResult(id=check.id, table=check.table, kind=check.kind, category=check.category,
                       severity=check.severity, status=status, failing_rows=failing, message=message, engine="sql")


def _unavailable(local: LocalChecks, table: str, selected: list[str], present: set[str], in_database: bool) -> str | None:
    """Why the checks of ``table`` cannot run here (None: they can)."""
    if table in local.site_tables:
        return None if in_database else ("site tables are checked in a database: validate the kept database "
                                          "(--keep-db) or the database the site's tables are in")
    if table not in selected:
        return f"table {table} is not among the selected tables"
    return None if table in present else f"table {table} is not available"


def run_local_checks(local: LocalChecks, source: Source, selected: list[str], present: set[str],
                     in_database: bool) -> LocalRun:
    """The result of every local check, in the order the file declares them, and the rows counted."""
    fetch: Callable[[exp.Expr], tuple[Any, ...]] = lambda query: source.fetch_one(local.bind(query))  # noqa: E731
    done: dict[str, CheckResult] = {}
    counted_rows: dict[str, int] = {}
    for table in dict.fromkeys(c.table or "" for c in local.checks):
        checks = [c for c in local.checks if c.table == table]
        why = _unavailable(local, table, selected, present, in_database)
        if why is not None:
            done.update({c.id: _result(c, Status.SKIPPED, why) for c in checks})
            continue
        spec_table = local.spec.tables[table]
        try:
            rows, counted = run_per_row(fetch, spec_table, [c for c in checks if isinstance(kind(c.kind), PerRow)])
        except Exception as exc:  # noqa: BLE001  (engine errors may quote data: keep only their type)
            where = local.site_tables[table].relation if table in local.site_tables else table
            reason = (f"query failed on {source.engine} ({type(exc).__name__}): is {where} in the database, with "
                      f"the columns the checks name?")
            done.update({c.id: _result(c, Status.ERROR, reason) for c in checks})
            continue
        done.update({r.id: r for r in counted})
        counted_rows[table] = rows
        for c in checks:
            if c.kind == RowCount.name:
                facts = TableFacts(table, rows=rows, expected_rows=c.params["rows"])
                outcome = kind(c.kind).evaluate(c, spec_table, facts)
                assert outcome is not None
                done[c.id] = _result(c, outcome.status, outcome.message, outcome.failing)
            elif c.id not in done:
                ref = c.params.get("ref_table")
                why = _unavailable(local, ref, selected, present, in_database) if ref else None
                if why is not None:
                    done[c.id] = _result(c, Status.SKIPPED, f"the table it refers to: {why}")
                    continue
                try:
                    done[c.id] = run_set_based(fetch, local.spec, c, rows)
                except Exception as exc:  # noqa: BLE001
                    done[c.id] = _result(c, Status.ERROR, f"query failed on {source.engine} ({type(exc).__name__})")
    return LocalRun([done[c.id] for c in local.checks], counted_rows)
