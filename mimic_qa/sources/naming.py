"""Names in mimic-code's layout (schema ``mimiciv_<module>``, from the spec's modules) and SQL quoting."""

from __future__ import annotations

from sqlglot import exp

from mimic_qa.spec import Spec, Table

META_SCHEMA = "mimic_qa"  # where a database mimic-qa built records its release, table selection and rejects


def qualified(spec: Spec, table: Table) -> str:
    """``mimiciv_hosp.admissions`` (unquoted: every name in the layout is a plain identifier)."""
    return f"{spec.schema_of(table)}.{table.name}"


def relation(spec: Spec, table: Table) -> exp.Table:
    """The table in mimic-code's layout, as a query node."""
    return exp.table_(table.name, db=spec.schema_of(table))


def schema_names(spec: Spec) -> list[str]:
    """Every module's schema, in spec order."""
    return [m.schema_name for m in spec.modules.values()]


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (any column or table name, in DuckDB and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def listed(names: list[str]) -> str:
    """``'a', 'b'``: names as a SQL IN list."""
    return ", ".join(quote_literal(n) for n in names)
