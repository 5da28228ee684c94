"""Set-based SQL for ``UnexpectedRowsExpectation``: key uniqueness, foreign keys, rules, case-free domains.

Each query returns one row per violation and selects only a constant or a count, never a column value,
so even a ``COMPLETE`` result format cannot copy patient data into a validation result. The text is a
portable subset that PostgreSQL, BigQuery and DuckDB all accept: unquoted identifiers, ``LEFT JOIN``
anti-joins, ``GROUP BY ... HAVING count(*) > 1`` (not ``count(DISTINCT ...)``, which does not spill to
disk in DuckDB). GX substitutes the batch with ``str.format``, so literal braces are doubled.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot

from mimic_qa.spec import Table

SCHEMA_PREFIX = "mimiciv"
# Dialects a rule expression must read the same in to be put in a portable suite.
PORTABLE_DIALECTS = ("duckdb", "postgres", "bigquery")


def schema_name(module: str) -> str:
    """mimic-code's schema for a module: ``mimiciv_hosp`` / ``mimiciv_icu``."""
    return f"{SCHEMA_PREFIX}_{module}"


def qualified_name(table: Table) -> str:
    """``mimiciv_hosp.admissions``."""
    return f"{schema_name(table.module)}.{table.name}"


def _braces(sql: str) -> str:
    """Escape literal braces for GX's ``str.format`` substitution of ``{batch}``."""
    return sql.replace("{", "{{").replace("}", "}}")


def _literal(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _all(columns: Sequence[str], test: str, prefix: str = "") -> str:
    return " AND ".join(f"{prefix}{c} {test}" for c in columns)


def key_query(columns: Sequence[str], *, primary: bool) -> str:
    """One row per key value that occurs more than once (and, for a primary key, per key with a NULL part).

    A candidate key follows SQL UNIQUE semantics: rows with a NULL in the key are not compared.
    """
    cols = ", ".join(columns)
    if primary:
        nulls = " OR ".join(f"{c} IS NULL" for c in columns)
        return f"SELECT count(*) AS n_rows FROM {{batch}} GROUP BY {cols} HAVING count(*) > 1 OR {nulls}"
    return (f"SELECT count(*) AS n_rows FROM {{batch}} WHERE {_all(columns, 'IS NOT NULL')} "
            f"GROUP BY {cols} HAVING count(*) > 1")


def fk_query(columns: Sequence[str], parent: Table, ref_columns: Sequence[str]) -> str:
    """One row per child row whose non-NULL reference has no parent row (a LEFT JOIN anti-join)."""
    on = " AND ".join(f"c.{c} = p.{r}" for c, r in zip(columns, ref_columns))
    return (f"SELECT 1 AS orphan FROM {{batch}} AS c LEFT JOIN {qualified_name(parent)} AS p ON {on} "
            f"WHERE {_all(columns, 'IS NOT NULL', 'c.')} AND p.{ref_columns[0]} IS NULL")


def any_case_domain_query(column: str, values: Sequence[str | int]) -> str:
    """One row per non-NULL value outside the set, compared without case."""
    allowed = ", ".join(_literal(v.lower() if isinstance(v, str) else v) for v in values)
    return f"SELECT 1 AS out_of_domain FROM {{batch}} WHERE lower({column}) NOT IN ({_braces(allowed)})"


def is_portable(expr: str) -> bool:
    """True when a rule expression reads the same in DuckDB, PostgreSQL and BigQuery SQL."""
    try:
        return len({sqlglot.transpile(expr, read="duckdb", write=d)[0] for d in PORTABLE_DIALECTS}) == 1
    except sqlglot.errors.SqlglotError:
        return False


def rule_query(expr: str) -> str:
    """One row per row where the rule is FALSE (NULL passes, as in the spec)."""
    return "SELECT 1 AS violation FROM {batch} WHERE NOT (" + _braces(expr) + ")"
