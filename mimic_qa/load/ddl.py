"""SQL that builds mimic-code's database layout from the spec, for PostgreSQL or DuckDB.

One schema per module (``<prefix>_<module>``: ``mimiciv_hosp``, ...), one table per spec table with the
spec's columns in file order, their types in the target dialect and NOT NULL where the spec says so
(mimic-code ``create.sql``); then the declared primary keys and foreign keys under mimic-code's
constraint names, ``<table>_pk`` and ``<table>_<referenced table>_fk`` (``constraint.sql``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mimic_qa.errors import UsageError
from mimic_qa.spec import ForeignKey, Spec, Table
from mimic_qa.spec.models import SCHEMA_PREFIX as DEFAULT_PREFIX

Dialect = Literal["postgres", "duckdb"]
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    """A double-quoted SQL identifier (the same in PostgreSQL and DuckDB)."""
    return '"' + name.replace('"', '""') + '"'


def check_prefix(prefix: str) -> str:
    """The schema prefix if it is a plain lower-case identifier; a usage error otherwise."""
    if not _IDENT.match(prefix):
        raise UsageError(f"schema prefix {prefix!r}: use lower-case letters, digits and '_' (e.g. mimiciv)")
    return prefix


def schema_name(module: str, prefix: str = DEFAULT_PREFIX) -> str:
    """``<prefix>_<module>``: ``mimiciv_hosp`` for mimic-code's own prefix."""
    return f"{prefix}_{module}"


def schema_names(spec: Spec, prefix: str = DEFAULT_PREFIX) -> list[str]:
    return [schema_name(m, prefix) for m in spec.modules]


def qualified(table: Table, prefix: str = DEFAULT_PREFIX) -> str:
    """``"mimiciv_hosp"."admissions"``."""
    return f"{ident(schema_name(table.module, prefix))}.{ident(table.name)}"


def create_schema_sql(module: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"CREATE SCHEMA IF NOT EXISTS {ident(schema_name(module, prefix))}"


def create_table_sql(table: Table, prefix: str = DEFAULT_PREFIX, dialect: Dialect = "postgres") -> str:
    """CREATE TABLE with the spec's columns in file order, typed for ``dialect``, NOT NULL per the spec."""
    cols = [
        f"  {ident(c.name)} {c.sql_type(dialect)}{'' if c.nullable else ' NOT NULL'}"
        for c in table.columns
    ]
    return f"CREATE TABLE {qualified(table, prefix)} (\n" + ",\n".join(cols) + "\n)"


def drop_table_sql(table: Table, prefix: str = DEFAULT_PREFIX) -> str:
    """DROP TABLE IF EXISTS, also dropping foreign keys of other tables that point at it."""
    return f"DROP TABLE IF EXISTS {qualified(table, prefix)} CASCADE"


def primary_key_name(table: Table) -> str:
    return f"{table.name}_pk"


def foreign_key_name(table: Table, fk: ForeignKey) -> str:
    return f"{table.name}_{fk.ref_table}_fk"


@dataclass(frozen=True)
class Constraint:
    """One declared constraint: its name, the table it sits on, and the statement that adds it."""

    name: str
    table: str
    kind: Literal["primary key", "foreign key"]
    sql: str
    ref_table: str | None = None


def primary_key(table: Table, prefix: str = DEFAULT_PREFIX) -> Constraint | None:
    """The declared primary key of ``table`` (None if mimic-code declares none)."""
    if not table.primary_key:
        return None
    name = primary_key_name(table)
    cols = ", ".join(ident(c) for c in table.primary_key)
    stmt = f"ALTER TABLE {qualified(table, prefix)} ADD CONSTRAINT {ident(name)} PRIMARY KEY ({cols})"
    return Constraint(name, table.name, "primary key", stmt)


def foreign_keys(table: Table, spec: Spec, prefix: str = DEFAULT_PREFIX) -> list[Constraint]:
    """The declared foreign keys of ``table`` (documented-but-undeclared ones are checks, not constraints)."""
    out = []
    for fk in table.foreign_keys:
        if not fk.declared:
            continue
        name = foreign_key_name(table, fk)
        cols = ", ".join(ident(c) for c in fk.columns)
        refs = ", ".join(ident(c) for c in fk.ref_columns)
        target = qualified(spec.tables[fk.ref_table], prefix)
        stmt = (f"ALTER TABLE {qualified(table, prefix)} ADD CONSTRAINT {ident(name)} "
                f"FOREIGN KEY ({cols}) REFERENCES {target} ({refs})")
        out.append(Constraint(name, table.name, "foreign key", stmt, fk.ref_table))
    return out
