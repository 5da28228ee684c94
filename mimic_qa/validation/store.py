"""The results of one validation run, keyed by check id, as the stages record them."""

from __future__ import annotations

from collections.abc import Callable

from mimic_qa.checks.definition import CheckDef, check_id
from mimic_qa.checks.kinds import ReleaseFacts, Stage, TableFacts, kind
from mimic_qa.results import CheckResult, Status
from mimic_qa.sources.fingerprint import Fingerprint
from mimic_qa.spec import Spec, Table


class ResultStore:
    """What each stage found: a result per check id, or why a check could not apply, and each table's rows and
    fingerprint."""

    def __init__(self, spec: Spec, catalog: list[CheckDef], tables: list[str]):
        self.spec = spec
        self.catalog = catalog
        self.by_id = {c.id: c for c in catalog}
        self._by_table: dict[str | None, list[CheckDef]] = {}
        for c in catalog:
            self._by_table.setdefault(c.table, []).append(c)
        self.tables = tables  # the selected tables, in spec order
        self.results: dict[str, CheckResult] = {}
        self.skip_reason: dict[str, str] = {}  # check id -> why it could not apply
        self.rows: dict[str, int | None] = {}
        self.fingerprints: dict[str, Fingerprint] = {}  # each table's content (``mimic_qa.sources.fingerprint``)

    def check(self, table: str | None, kind: str) -> CheckDef:
        """The one check of ``kind`` on ``table`` (None: the release)."""
        return next(c for c in self._by_table.get(table, []) if c.kind == kind)

    def column_check(self, table: Table, kind: str, column: str) -> CheckDef:
        """The check of ``kind`` on one column (type, not_null, ...)."""
        return self.by_id[check_id(table, kind, column)]

    def checks(self, table: str | None, kinds: set[str] | frozenset[str] | None = None) -> list[CheckDef]:
        """The table's (None: the release's) checks (of ``kinds``), in catalogue order."""
        return [c for c in self._by_table.get(table, []) if kinds is None or c.kind in kinds]

    def open(self, table: str | None, kinds: set[str] | frozenset[str] | None = None) -> list[CheckDef]:
        """The table's (None: the release's) checks that have neither a result nor a reason not to run yet."""
        return [c for c in self.checks(table, kinds) if c.id not in self.results and c.id not in self.skip_reason]

    def put(self, check: CheckDef, status: Status, failing: int | None = None, message: str = "",
            engine: str = "sql") -> None:
        self.results[check.id] = CheckResult(id=check.id, table=check.table, kind=check.kind,
                                             category=check.category, severity=check.severity, status=status,
                                             failing_rows=failing, message=message, engine=engine)

    def judge(self, table: str | None, facts: TableFacts | ReleaseFacts, stage: Stage,
              only: Callable[[CheckDef], bool] | None = None) -> None:
        """Let each open check of ``stage`` on ``table`` (None: the release) decide from the facts, where they
        suffice (its kind's ``evaluate``); ``only``: the checks that may (those compiled SQL evaluates)."""
        spec_table = self.spec.tables[table] if table is not None else None
        for check in self.open(table):
            k = kind(check.kind)
            if k.stage == stage and (only is None or only(check)) and \
                    (outcome := k.evaluate(check, spec_table, facts)) is not None:
                if outcome.status is Status.SKIPPED:
                    self.skip(check, outcome.message)
                else:
                    self.put(check, outcome.status, outcome.failing, outcome.message)

    def skip_stage(self, table: str | None, stage: Stage, reason: str) -> None:
        """Every open check of ``stage`` on ``table`` (None: the release) cannot apply."""
        for check in self.open(table):
            if kind(check.kind).stage == stage:
                self.skip(check, reason)

    def keep(self, result: CheckResult) -> None:
        """A result an engine produced (unless the check was found not to apply)."""
        if result.id not in self.skip_reason:
            self.results[result.id] = result

    def skip(self, check: CheckDef, reason: str) -> None:
        self.skip_reason.setdefault(check.id, reason)

    def skip_table(self, table: str, reason: str, keep: tuple[str, ...] = (), keep_stage: Stage | None = None) -> None:
        """Every open check of the table (but those of the ``keep`` kinds and of ``keep_stage``) cannot apply."""
        for c in self.checks(table):
            if c.id not in self.results and c.kind not in keep and kind(c.kind).stage != keep_stage:
                self.skip(c, reason)

    def skip_column(self, table: str, column: str) -> None:
        for c in self.checks(table):
            if column in c.columns and c.id not in self.results:
                self.skip(c, f"column {column} is missing")

    def error(self, table: str, reason: str) -> None:
        """Every open check of the table could not run (an engine error, in words that quote no data)."""
        for c in self.checks(table):
            if c.id not in self.results:
                self.put(c, Status.ERROR, None, reason)

    def finish(self) -> list[CheckResult]:
        """One result per catalogue check, in catalogue order (skipped where nothing ran)."""
        out = []
        for c in self.catalog:
            r = self.results.get(c.id)
            if r is None:
                r = CheckResult(id=c.id, table=c.table, kind=c.kind, category=c.category, severity=c.severity,
                                status=Status.SKIPPED, message=self.skip_reason.get(c.id, "not applicable"))
            out.append(r)
        return out
