"""Spec table -> pandera ibis ``DataFrameSchema``: dtypes, nullability, domains and row rules.

Every check carries its catalogue id: domain and rule checks as the pandera ``Check.name``, the
not-null and type checks of a column in ``Column.metadata["check_ids"]``. Uniqueness is not part of
the schema: ``Column(unique=True)`` is silently ignored by pandera's ibis backend, so keys are left
to the SQL engine. Schemas are built for the database they run in (``duckdb`` or ``postgres``): dtypes
are those its ibis backend reports, and rules (written in DuckDB SQL) are transpiled to its dialect.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import pandera.ibis as pa
import sqlglot
from ibis.backends.sql.datatypes import DuckDBType, PostgresType
from pandera.api.ibis.types import IbisData

from mimic_qa.spec.models import Column, Domain, Rule, Table

#: Key of ``Column.metadata`` holding ``{"not_null": id, "type": id}``.
CHECK_IDS = "check_ids"
DIALECTS = {"duckdb": DuckDBType, "postgres": PostgresType}


def ibis_dtype(column: Column, dialect: str = "duckdb") -> dt.DataType:
    """The ibis type the database reports for a column loaded with the spec's type (e.g. ``timestamp(6)``).

    Strings are unbounded: pandera's ibis engine knows no ``string(n)``, so a PostgreSQL VARCHAR(n) / CHAR(n)
    is read as text (see ``mimic_qa.schemas.run``)."""
    dtype = DIALECTS[dialect].from_string(column.sql_type(dialect))
    return dt.string if dtype.is_string() else dtype


def in_dialect(expr: str, dialect: str) -> str:
    """A spec rule expression (DuckDB SQL) in the database's SQL dialect."""
    return expr if dialect == "duckdb" else sqlglot.transpile(expr, read="duckdb", write=dialect)[0]


def check_id(table: Table, kind: str, name: str) -> str:
    """Catalogue id of a table check (``<module>.<table>.<kind>.<name>``)."""
    return f"{table.module}.{table.name}.{kind}.{name}"


def rule_holds(data: IbisData, *, expr: str) -> bool:
    """True when no row of the table makes ``expr`` FALSE (NULL passes); one aggregate in the database."""
    con = data.table.get_backend()
    source = ibis.to_sql(data.table, dialect=con.name)
    query = f"SELECT count(*) FILTER (WHERE NOT ({in_dialect(expr, con.name)})) = 0 FROM ({source}) AS src"
    return bool(con.raw_sql(query).fetchall()[0][0])


def isin_any_case(data: IbisData, *, allowed_values: list[str]) -> ibis.Value:
    """Per-row test: the value is one of ``allowed_values``, ignoring case."""
    return data.table[data.key].upper().isin([v.upper() for v in allowed_values])


def _bound(value: float, column: Column) -> int | float:
    return int(value) if column.kind == "integer" and float(value).is_integer() else value


def domain_check(domain: Domain, column: Column, cid: str) -> pa.Check:
    """The pandera check of a spec domain: isin, in_range / ge / le, or str_matches."""
    common = {"name": cid, "description": domain.describe()}
    if domain.values is not None:
        values = [str(v) for v in domain.values] if column.kind == "string" else list(domain.values)
        if domain.case_insensitive:
            return pa.Check(isin_any_case, allowed_values=values, **common)
        return pa.Check.isin(values, **common)
    if domain.pattern is not None:
        return pa.Check.str_matches(domain.pattern, **common)
    if domain.min is not None and domain.max is not None:
        return pa.Check.in_range(_bound(domain.min, column), _bound(domain.max, column), **common)
    if domain.min is not None:
        return pa.Check.ge(_bound(domain.min, column), **common)
    return pa.Check.le(_bound(domain.max, column), **common)  # type: ignore[arg-type]


def rule_check(rule: Rule, cid: str) -> pa.Check:
    """A dataframe-level pandera check of a row rule; its SQL text is ``check.statistics["expr"]``."""
    return pa.Check(rule_holds, expr=rule.expr, name=cid, description=rule.description)


def build_schema(table: Table, dialect: str = "duckdb") -> pa.DataFrameSchema:
    """The pandera ibis schema of one spec table: columns in file order, typed as the database
    (``duckdb`` or ``postgres``) loads them."""
    domains = {d.column: d for d in table.domains}
    columns: dict[str, pa.Column] = {}
    for c in table.columns:
        ids = {"type": check_id(table, "type", c.name)}
        if not c.nullable:
            ids["not_null"] = check_id(table, "not_null", c.name)
        checks = [domain_check(domains[c.name], c, check_id(table, "domain", c.name))] if c.name in domains else []
        columns[c.name] = pa.Column(ibis_dtype(c, dialect), checks=checks, nullable=c.nullable, name=c.name,
                                    metadata={CHECK_IDS: ids})
    rules = [rule_check(r, check_id(table, "rule", r.name)) for r in table.rules]
    return pa.DataFrameSchema(columns, checks=rules, name=table.qualified_name, description=table.description)
