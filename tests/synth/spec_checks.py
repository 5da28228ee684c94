"""An independent evaluator of the spec's checks over a generated release (test helper, DuckDB).

It loads every table with the spec's types (``""`` stays an empty string, the empty field is NULL) and
counts failing rows per check id, so tests can assert a clean copy passes and a fault really fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from mimic_qa.checks import build_catalog
from mimic_qa.spec import Spec


def load(con: duckdb.DuckDBPyConnection, root: Path, spec: Spec) -> None:
    """Every table of the copy's modules (the spec's other modules are another project's download)."""
    for name, t in spec.tables.items():
        if not (root / t.module).is_dir():
            continue
        cols = "{" + ", ".join(f"'{c.name}': '{c.sql_type('duckdb')}'" for c in t.columns) + "}"
        con.execute(f"""CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM read_csv('{root / t.file}', header=true,
                        columns={cols}, allow_quoted_nulls=false, auto_detect=false, quote='"', escape='"',
                        timestampformat='%Y-%m-%d %H:%M:%S')""")


def failing_rows(con: duckdb.DuckDBPyConnection, spec: Spec, check) -> int | None:
    """Rows failing one catalogue check (None for file-level checks this helper does not evaluate)."""
    loaded = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    t = spec.tables.get(check.table) if check.table in loaded else None
    tn = f'"{check.table}"'
    kind, cols = check.kind, check.columns
    if check.params.get("ref_table", check.table) not in loaded:
        return None  # a reference into a module the copy does not hold
    if t is None or kind in ("file.present", "file.readable", "file.sha256", "columns", "type", "row_count"):
        return None
    c = cols[0] if cols else None
    if kind == "not_null":
        sql = f'SELECT count(*) FROM {tn} WHERE "{c}" IS NULL'
    elif kind == "empty_string":
        sql = f"SELECT count(*) FROM {tn} WHERE \"{c}\" = ''"
    elif kind == "max_length":
        sql = f'SELECT count(*) FROM {tn} WHERE length("{c}") > {check.params["max_length"]}'
    elif kind in ("pk", "unique"):
        key = ", ".join(f'"{k}"' for k in cols)
        nulls = " OR ".join(f'"{k}" IS NULL' for k in cols) if kind == "pk" else "FALSE"
        sql = (f"SELECT coalesce(sum(n - 1), 0) + (SELECT count(*) FROM {tn} WHERE {nulls}) FROM "
               f"(SELECT count(*) n FROM {tn} GROUP BY {key} HAVING count(*) > 1)")
    elif kind == "fk":
        ref = check.params["ref_table"]
        on = " AND ".join(f'x."{a}" = r."{b}"' for a, b in zip(cols, check.params["ref_columns"]))
        notnull = " AND ".join(f'x."{a}" IS NOT NULL' for a in cols)
        sql = f'SELECT count(*) FROM {tn} x WHERE {notnull} AND NOT EXISTS (SELECT 1 FROM "{ref}" r WHERE {on})'
    elif kind == "domain":
        p = check.params
        if p["values"] is not None:
            if t.column(c).kind in ("integer", "float"):
                cond = f'"{c}" NOT IN ({", ".join(str(v) for v in p["values"])})'
            else:
                vals = ", ".join(f"'{v}'" for v in p["values"])
                col = f'lower("{c}")' if p["case_insensitive"] else f'"{c}"'
                cond = f"{col} NOT IN ({vals.lower() if p['case_insensitive'] else vals})"
        elif p["pattern"] is not None:
            cond = f"NOT regexp_full_match(\"{c}\"::VARCHAR, '{p['pattern']}')"
        else:
            parts = ([f'"{c}" < {p["min"]}'] if p["min"] is not None else []) + (
                [f'"{c}" > {p["max"]}'] if p["max"] is not None else [])
            cond = " OR ".join(parts)
        sql = f'SELECT count(*) FROM {tn} WHERE "{c}" IS NOT NULL AND ({cond})'
    elif kind == "rule":
        sql = f"SELECT count(*) FROM {tn} WHERE NOT ({check.params['expr']})"
    else:
        return None
    return con.execute(sql).fetchone()[0]


def evaluate(con: duckdb.DuckDBPyConnection, spec: Spec, severities: tuple[str, ...] = ("error",)) -> dict[str, int]:
    """check id -> failing rows over tables ``load``-ed into ``con``, for the given severities (and all domains)."""
    out = {}
    for check in build_catalog(spec):
        if check.severity in severities or check.kind == "domain":
            n = failing_rows(con, spec, check)
            if n is not None:
                out[check.id] = n
    return out


def header(path: Path) -> list[str]:
    import gzip
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return re.split(",", f.readline().rstrip("\n"))
