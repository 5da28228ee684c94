"""Compile the catalogue's table checks to set-based SQL and run them on a DuckDB database.

One aggregate query per table covers every column-level check (NOT NULL, empty strings, lengths,
domains, row rules); keys and foreign keys are GROUP BY and anti-join queries (they spill to disk,
unlike count(DISTINCT)). Only counts come back from the database, never values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mimic_qa.results import CheckResult, Status
from mimic_qa.spec import CheckDef, Spec, Table, load_spec

AGGREGATE_KINDS = frozenset({"not_null", "empty_string", "max_length", "domain", "rule"})
KEY_KINDS = frozenset({"pk", "unique", "fk"})


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _is_char(check: CheckDef) -> bool:
    table = load_spec().tables[check.table or ""]
    return table.column(check.columns[0]).base_type == "CHAR"


def violation_predicate(check: CheckDef) -> str:
    """A SQL predicate that is TRUE exactly on the rows violating ``check`` (NULL counts as passing)."""
    p = check.params
    col = quote(check.columns[0]) if check.columns else ""
    if check.kind == "domain" and _is_char(check):
        col = f"rtrim({col})"  # CHAR(n) pads with spaces in PostgreSQL; the padding is not part of the value
    if check.kind == "not_null":
        return f"{col} IS NULL"
    if check.kind == "empty_string":
        return f"{col} = ''"
    if check.kind == "max_length":
        return f"length({col}) > {int(p['max_length'])}"
    if check.kind == "rule":
        return f"NOT ({p['expr']})"
    if check.kind == "domain":
        if p.get("values") is not None:
            if p.get("case_insensitive"):
                values = ", ".join(literal(str(v).lower()) for v in p["values"])
                return f"lower({col}) NOT IN ({values})"
            return f"{col} NOT IN ({', '.join(literal(v) for v in p['values'])})"
        if p.get("pattern") is not None:
            return f"NOT regexp_matches({col}, {literal(p['pattern'])})"
        parts = []
        if p.get("min") is not None:
            parts.append(f"{col} < {literal(p['min'])}")
        if p.get("max") is not None:
            parts.append(f"{col} > {literal(p['max'])}")
        return " OR ".join(parts)
    raise ValueError(f"{check.kind} is not an aggregate check")


def aggregate_sql(relation: str, checks: Iterable[CheckDef]) -> str:
    """One scan of the table: total rows plus one violation count per check."""
    items = ["count(*)"] + [f"count(*) FILTER (WHERE {violation_predicate(c)})" for c in checks]
    return f"SELECT {', '.join(items)} FROM {relation}"


def duplicate_keys_sql(relation: str, columns: Iterable[str], primary: bool = True) -> str:
    """Number of key values held by more than one row. A primary key also counts each key with a NULL
    part; a candidate key follows SQL UNIQUE semantics (rows with a NULL in the key are not compared).
    The GX suites' UnexpectedRowsExpectation queries count the same way, so every engine agrees."""
    cols = list(columns)
    keys = ", ".join(quote(c) for c in cols)
    if primary:
        nulls = " OR ".join(f"{quote(c)} IS NULL" for c in cols)
        return (f"SELECT count(*) FROM (SELECT 1 AS k FROM {relation} GROUP BY {keys} "
                f"HAVING count(*) > 1 OR {nulls}) AS dup")
    present = " AND ".join(f"{quote(c)} IS NOT NULL" for c in cols)
    return (f"SELECT count(*) FROM (SELECT 1 AS k FROM {relation} WHERE {present} GROUP BY {keys} "
            f"HAVING count(*) > 1) AS dup")


def orphan_rows_sql(relation: str, columns: Iterable[str], parent: str, parent_columns: Iterable[str],
                    trim: bool = False) -> str:
    """Rows whose non-NULL reference has no parent row (anti-join)."""
    cols, pcols = list(columns), list(parent_columns)

    def side(alias: str, name: str) -> str:
        ref = f"{alias}.{quote(name)}"
        return f"trim(CAST({ref} AS VARCHAR))" if trim else ref

    match = " AND ".join(f"{side('p', pc)} = {side('c', cc)}" for cc, pc in zip(cols, pcols))
    present = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in cols)
    return (f"SELECT count(*) FROM {relation} AS c WHERE {present} "
            f"AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {match})")


def _result(check: CheckDef, failing: int, message: str) -> CheckResult:
    return CheckResult(id=check.id, table=check.table, kind=check.kind, category=check.category,
                       severity=check.severity, status=Status.FAILED if failing else Status.PASSED,
                       failing_rows=failing, message=message, engine="sql")


def _count_message(check: CheckDef, failing: int, rows: int) -> str:
    if not failing:
        return "ok"
    share = f" ({failing / rows:.4%} of {rows:,})" if rows else ""
    what = {
        "not_null": "NULL values", "empty_string": "zero-length strings", "max_length": "values over the length",
        "domain": "values outside the domain", "rule": "rows violating the rule",
        "pk": "key values duplicated or with a NULL part", "unique": "key values held by more than one row",
        "fk": "orphan rows",
    }[check.kind]
    return f"{failing:,} {what}{share}"


Fetch = Callable[[str], tuple[Any, ...]]  # runs one DuckDB-dialect query on an engine, returns its row


SAMPLED_KINDS = frozenset({"domain", "max_length"})


def sample_sql(relation: str, check: CheckDef, limit: int = 5) -> str:
    """Up to ``limit`` distinct offending values of a column check, as one array (only with --show-values)."""
    col = quote(check.columns[0])
    return (f"SELECT array_agg(v) FROM (SELECT DISTINCT CAST({col} AS VARCHAR) AS v FROM {relation} "
            f"WHERE {violation_predicate(check)} ORDER BY v LIMIT {int(limit)}) AS s")


def run_aggregate(fetch: Fetch, relation: str, checks: list[CheckDef]) -> tuple[int, list[CheckResult]]:
    """(row count, results) for the column-level checks of one table, in a single scan."""
    counts = fetch(aggregate_sql(relation, checks))
    rows = int(counts[0])
    return rows, [_result(c, int(n), _count_message(c, int(n), rows)) for c, n in zip(checks, counts[1:])]


def run_key_check(fetch: Fetch, spec: Spec, check: CheckDef, relation_of: Callable[[Table], str], rows: int,
                  trim_codes: bool = False) -> CheckResult:
    """A primary-key, candidate-key or foreign-key check as one set-based query."""
    relation = relation_of(spec.tables[check.table or ""])
    if check.kind in ("pk", "unique"):
        failing = fetch(duplicate_keys_sql(relation, check.columns, primary=check.kind == "pk"))[0]
    else:
        parent: Table = spec.tables[check.params["ref_table"]]
        failing = fetch(orphan_rows_sql(relation, check.columns, relation_of(parent),
                                        check.params["ref_columns"], trim_codes))[0]
    return _result(check, int(failing), _count_message(check, int(failing), rows))


def table_queries(spec: Spec, checks: list[CheckDef], table: Table, relation_of: Callable[[Table], str],
                  trim_codes: bool = False) -> list[str]:
    """Every query validate runs for one table (used to estimate cost before running, e.g. on BigQuery)."""
    relation = relation_of(table)
    mine = [c for c in checks if c.table == table.name]
    out = [aggregate_sql(relation, [c for c in mine if c.kind in AGGREGATE_KINDS])]
    for c in mine:
        if c.kind in ("pk", "unique"):
            out.append(duplicate_keys_sql(relation, c.columns, primary=c.kind == "pk"))
        elif c.kind == "fk":
            out.append(orphan_rows_sql(relation, c.columns, relation_of(spec.tables[c.params["ref_table"]]),
                                       c.params["ref_columns"], trim_codes))
    return out
