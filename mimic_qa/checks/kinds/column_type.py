"""``<table>.type.<column>``: every value parses as the column's type (files), or the stored type can hold it."""

from __future__ import annotations

from collections.abc import Iterator

from mimic_qa.checks.definition import CheckDef
from mimic_qa.checks.kinds.base import Guide, Kind, PanderaPart
from mimic_qa.sources.types import stored_kind
from mimic_qa.spec.models import Column, Spec, Table

def type_compatible(column: Column, stored: str) -> bool:
    """Does a stored type (any engine's spelling) hold the spec column's kind of value?"""
    return stored_kind(stored) == column.kind


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
        """The column's dtype: the ibis type the database reports for the spec's type (e.g. ``timestamp(6)``).

        Strings are unbounded: pandera's ibis engine knows no ``string(n)``, so a PostgreSQL VARCHAR(n) /
        CHAR(n) is read as text."""
        import ibis.expr.datatypes as dt
        from ibis.backends.sql.datatypes import DuckDBType, PostgresType

        column = table.column(check.columns[0])
        dtype = {"duckdb": DuckDBType, "postgres": PostgresType}[dialect].from_string(
            column.sql_type("postgres" if dialect == "postgres" else "duckdb"))
        return PanderaPart(column.name, dtype=dt.string if dtype.is_string() else dtype)

    @staticmethod
    def rejects_message(type_name: str, count: int, first_line: int) -> str:
        return f"{count:,} values do not parse as {type_name} (first at line {first_line:,}); those rows were not loaded"

    @staticmethod
    def stored_message(stored: str, type_name: str) -> str:
        return f"stored as {stored}, which cannot hold {type_name}"
