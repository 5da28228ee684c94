"""Where mimic-code's layout keeps each table: schema ``mimiciv_hosp`` / ``mimiciv_icu`` (``<prefix>_<module>``)."""

from __future__ import annotations

from sqlglot import exp

from mimic_qa.spec.models import Table

MODULES = ("hosp", "icu")
DEFAULT_PREFIX = "mimiciv"
META_SCHEMA = "mimic_qa"  # where a database mimic-qa built records its release, row counts and rejects


def schema_name(module: str, prefix: str = DEFAULT_PREFIX) -> str:
    """``mimiciv_hosp`` / ``mimiciv_icu`` for the default prefix."""
    return f"{prefix}_{module}"


def qualified(table: Table, prefix: str = DEFAULT_PREFIX) -> str:
    """``mimiciv_hosp.admissions`` (unquoted: every name in the layout is a plain identifier)."""
    return f"{schema_name(table.module, prefix)}.{table.name}"


def schema_names(prefix: str = DEFAULT_PREFIX) -> list[str]:
    return [schema_name(m, prefix) for m in MODULES]


def relation(table: Table, prefix: str = DEFAULT_PREFIX) -> exp.Table:
    """The table in mimic-code's layout, as a query node."""
    return exp.table_(table.name, db=schema_name(table.module, prefix))


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (any column or table name, in DuckDB and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
