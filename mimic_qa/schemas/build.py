"""Spec table -> pandera ibis ``DataFrameSchema``, assembled from what each check kind contributes
(``Kind.to_pandera``): dtypes, nullability, domains and row rules.

Every check carries its catalogue id: domain and rule checks as the pandera ``Check.name``, the not-null and
type checks of a column in ``Column.metadata["check_ids"]``. Keys are not part of the schema:
``Column(unique=True)`` is silently ignored by pandera's ibis backend, so keys are GX's and SQL's. Schemas are
built for the database they run in (``duckdb`` or ``postgres``): dtypes are those its ibis backend reports.
"""

from __future__ import annotations

from typing import Any

import pandera.ibis as pa

from mimic_qa.checks.catalog import build_catalog
from mimic_qa.checks.kinds import kind
from mimic_qa.spec import load_spec
from mimic_qa.spec.models import Table

#: Key of ``Column.metadata`` holding ``{"not_null": id, "type": id}``.
CHECK_IDS = "check_ids"


def build_schema(table: Table, dialect: str = "duckdb") -> pa.DataFrameSchema:
    """The pandera ibis schema of one spec table: columns in file order, typed as the database loads them."""
    columns: dict[str, dict[str, Any]] = {c.name: {"nullable": True, "checks": [], "ids": {}} for c in table.columns}
    frame_checks: list[pa.Check] = []
    for check in build_catalog(load_spec(), [table.name]):
        part = kind(check.kind).to_pandera(check, table, dialect)
        if part is None:
            continue
        if part.column is None:
            frame_checks.append(part.check)
            continue
        column = columns[part.column]
        if part.dtype is not None:
            column["dtype"], column["ids"]["type"] = part.dtype, check.id
        if part.nullable is False:
            column["nullable"], column["ids"]["not_null"] = False, check.id
        if part.check is not None:
            column["checks"].append(part.check)
    return pa.DataFrameSchema(
        {name: pa.Column(c["dtype"], checks=c["checks"], nullable=c["nullable"], name=name,
                         metadata={CHECK_IDS: c["ids"]}) for name, c in columns.items()},
        checks=frame_checks, name=table.qualified_name, description=table.description)
