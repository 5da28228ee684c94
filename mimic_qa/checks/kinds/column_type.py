"""``<table>.type.<column>``: every value parses as the column's type (files), or the stored type can hold it."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, Outcome, PanderaPart, ReleaseFacts, TableFacts
from mimic_qa.spec.types import stored_kind
from mimic_qa.spec.models import Column, Spec, Table



class ColumnType(Kind):
    name = "type"
    category = "conformance"
    stage = "structure"
    per_column = True
    tests = "every value parses as the column's type"
    guide = Guide(
        "Values parse as the column type",
        "Values that do not parse (the count and the first line number are reported, never the value) point "
        "to a corrupt download, the wrong release, or CSV quoting read with the wrong escape character "
        "(`d_hcpcs` line 82579 needs `ESCAPE '\"'`, mimic-code #1881). Rows that do not parse are not loaded, "
        "so row counts and keys fail too. For a database: a column stored with a type that cannot hold the "
        "spec's type.",
        "Check `file.sha256` and `file.readable` first: if the file is damaged, download it again. If the "
        "checksum matches, report the check id and line number to the maintainers. For a database, recreate "
        "the column with the type `mimic-qa spec --table TABLE` shows.",
    )

    def column_checks(self, spec: Spec, table: Table, column: Column) -> Iterator[CheckDef]:
        yield self.define(spec, table, column.name, severity="error", description=f"{column.name} parses as {column.type}.",
                          columns=(column.name,))

    def to_pandera(self, check: CheckDef, table: Table, dialect: str) -> PanderaPart:
        """The column's dtype: the type the database reports for the spec's type."""
        column = table.column(check.columns[0])
        return PanderaPart(column.name, typed=column)

    def evaluate(self, check: CheckDef, table: Table | None, facts: TableFacts | ReleaseFacts) -> Outcome | None:
        """A database's stored type must hold the spec's kind of value; then no value may have failed to parse
        (counted when the file was read, or remembered by a database mimic-qa built)."""
        if not isinstance(facts, TableFacts) or facts.header is None or table is None:
            return None
        column = table.column(check.columns[0])
        spelled = table.spelled_in(facts.header).get(column.name)
        if spelled is None:
            return None  # a missing column: the columns check's failure
        if facts.stored_types is not None:
            stored = facts.stored_types[spelled]
            if stored_kind(stored) != column.kind:
                return Outcome.of(True, None, self.stored_message(stored, column.type))
        rejected = facts.rejects.get(column.name)
        if rejected:
            count, first = rejected
            return Outcome.of(True, count, f"{count:,} values do not parse as {column.type} (first at line "
                                           f"{first:,}); those rows were not loaded")
        return Outcome.of(False, 0, "ok")

    @staticmethod
    def stored_message(stored: str, type_name: str) -> str:
        return f"stored as {stored}, which cannot hold {type_name}"
