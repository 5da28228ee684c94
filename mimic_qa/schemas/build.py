"""Spec table -> pandera ibis ``DataFrameSchema``, assembled from what each check kind contributes
(``Kind.to_pandera``, as data): dtypes, nullability, domains and row rules.

Every check carries its catalogue id: domain and rule checks as the pandera ``Check.name``, the not-null and
type checks of a column in ``Column.metadata["check_ids"]``. Keys are not part of the schema:
``Column(unique=True)`` is silently ignored by pandera's ibis backend, so keys are GX's and SQL's. Schemas are
built for the database they run in (``duckdb`` or ``postgres``): dtypes are those its ibis backend reports.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.datatypes as dt
import pandera.ibis as pa
from ibis.backends.sql.datatypes import DuckDBType, PostgresType

from mimic_qa.checks import CheckDef
from mimic_qa.checks.kinds import PanderaCheck, kind
from mimic_qa.schemas.custom import isin_any_case, rule_holds
from mimic_qa.spec.models import Column, Table

#: Key of ``Column.metadata`` holding the ids of the column's not-null and type checks, by kind name.
CHECK_IDS = "check_ids"


def dtype(column: Column, dialect: str) -> dt.DataType:
    """The ibis type the database reports for the spec's type (e.g. ``timestamp(6)``). Strings are unbounded:
    pandera's ibis engine knows no ``string(n)``, so a PostgreSQL VARCHAR(n) / CHAR(n) is read as text."""
    reported = {"duckdb": DuckDBType, "postgres": PostgresType}[dialect].from_string(
        column.sql_type("postgres" if dialect == "postgres" else "duckdb"))
    return dt.string if reported.is_string() else reported


def pandera_check(check: PanderaCheck) -> pa.Check:
    """The pandera check a kind describes."""
    common: dict[str, Any] = {"name": check.name, "description": check.description}
    if check.test == "isin_any_case":
        return pa.Check(isin_any_case, allowed_values=check.args[0], **common)
    if check.test == "rule":
        return pa.Check(rule_holds, expr=check.args[0], **common)
    return getattr(pa.Check, check.test)(*check.args, **common)


def build_schema(table: Table, catalog: list[CheckDef], dialect: str = "duckdb") -> pa.DataFrameSchema:
    """The pandera ibis schema of one spec table (its checks: ``catalog``, the run's): columns in file order,
    typed as the database loads them."""
    columns: dict[str, dict[str, Any]] = {c.name: {"nullable": True, "checks": [], "ids": {}} for c in table.columns}
    frame_checks: list[pa.Check] = []
    for check in catalog:
        if check.table != table.name:
            continue
        part = kind(check.kind).to_pandera(check, table, dialect)
        if part is None:
            continue
        if part.column is None:
            if part.check is not None:
                frame_checks.append(pandera_check(part.check))
            continue
        column = columns[part.column]
        if part.typed is not None:
            column["dtype"], column["ids"][check.kind] = dtype(part.typed, dialect), check.id
        if part.nullable is False:
            column["nullable"], column["ids"][check.kind] = False, check.id
        if part.check is not None:
            column["checks"].append(pandera_check(part.check))
    return pa.DataFrameSchema(
        {name: pa.Column(c["dtype"], checks=c["checks"], nullable=c["nullable"], name=name,
                         metadata={CHECK_IDS: c["ids"]}) for name, c in columns.items()},
        checks=frame_checks, name=table.qualified_name, description=table.description)
