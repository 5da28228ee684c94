"""pandera check functions the spec needs beyond pandera's builtin ones (ibis backend)."""

from __future__ import annotations

import ibis
import sqlglot
from pandera.api.ibis.types import IbisData


def in_dialect(expr: str, dialect: str) -> str:
    """A spec rule expression (DuckDB SQL) in the database's SQL dialect."""
    return expr if dialect == "duckdb" else sqlglot.transpile(expr, read="duckdb", write=dialect)[0]


def rule_holds(data: IbisData, *, expr: str) -> bool:
    """True when no row of the table makes ``expr`` FALSE (NULL passes); one aggregate in the database."""
    con = data.table.get_backend()
    source = ibis.to_sql(data.table, dialect=con.name)
    query = f"SELECT count(*) FILTER (WHERE NOT ({in_dialect(expr, con.name)})) = 0 FROM ({source}) AS src"
    return bool(con.raw_sql(query).fetchall()[0][0])


def isin_any_case(data: IbisData, *, allowed_values: list[str]) -> ibis.Value:
    """Per-row test: the value is one of ``allowed_values``, ignoring case."""
    return data.table[data.key].upper().isin([v.upper() for v in allowed_values])
