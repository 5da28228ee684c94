"""The results of one validation run, keyed by check id, as the stages record them."""

from __future__ import annotations

from mimic_qa.checks.definition import CheckDef, check_id
from mimic_qa.results import CheckResult, Status
from mimic_qa.spec import Spec, Table


class ResultStore:
    """What each stage found: a result per check id, or why a check could not apply, and each table's rows."""

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

    def check(self, table: str | None, kind: str) -> CheckDef:
        """The one check of ``kind`` on ``table`` (None: the release)."""
        return next(c for c in self._by_table.get(table, []) if c.kind == kind)

    def column_check(self, table: Table, kind: str, column: str) -> CheckDef:
        """The check of ``kind`` on one column (type, not_null, ...)."""
        return self.by_id[check_id(table, kind, column)]

    def checks(self, table: str, kinds: set[str] | frozenset[str] | None = None) -> list[CheckDef]:
        """The table's checks (of ``kinds``), in catalogue order."""
        return [c for c in self._by_table.get(table, []) if kinds is None or c.kind in kinds]

    def open(self, table: str, kinds: set[str] | frozenset[str] | None = None) -> list[CheckDef]:
        """The table's checks that have neither a result nor a reason not to run yet."""
        return [c for c in self.checks(table, kinds) if c.id not in self.results and c.id not in self.skip_reason]

    def put(self, check: CheckDef, status: Status, failing: int | None = None, message: str = "",
            engine: str = "sql") -> None:
        self.results[check.id] = CheckResult(id=check.id, table=check.table, kind=check.kind,
                                             category=check.category, severity=check.severity, status=status,
                                             failing_rows=failing, message=message, engine=engine)

    def keep(self, result: CheckResult) -> None:
        """A result an engine produced (unless the check was found not to apply)."""
        if result.id not in self.skip_reason:
            self.results[result.id] = result

    def skip(self, check: CheckDef, reason: str) -> None:
        self.skip_reason.setdefault(check.id, reason)

    def skip_table(self, table: str, reason: str, keep: tuple[str, ...] = ()) -> None:
        """Every open check of the table (but those of the ``keep`` kinds) cannot apply."""
        for c in self.checks(table):
            if c.id not in self.results and c.kind not in keep:
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
