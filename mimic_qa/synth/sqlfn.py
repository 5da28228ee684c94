"""Deterministic, vectorised pseudo-random helpers as DuckDB macros (seeded per run)."""

from __future__ import annotations

import duckdb

B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def install_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create the seeded macros every generator query uses.

    ``u(tag, i)`` is a uniform number in [0, 1); ``h(tag, i)`` a 64-bit hash; ``sid(i, n, lo, span)`` the i-th of n sorted distinct ids spread over [lo, lo+span);
    ``b36(x)`` x written as 5 base-36 digits; ``every(i, k, n, off)`` true for exactly k of n rows.
    """
    s = int(seed)
    con.execute(f"CREATE OR REPLACE MACRO h(tag, i) AS hash({s}, tag, i)")
    con.execute(f"CREATE OR REPLACE MACRO u(tag, i) AS (hash({s}, tag, i) % 1000000007) / 1000000007.0")
    con.execute("CREATE OR REPLACE MACRO skew(n, tag, i, p) AS LEAST(n - 1, floor(n * pow(u(tag, i), p)))::BIGINT")
    con.execute(
        "CREATE OR REPLACE MACRO sid(i, n, lo, span) AS "
        "(lo + floor((i + 0.999 * u('sid' || lo::VARCHAR, i)) * (span // n)))::BIGINT"
    )
    digits = " || ".join(f"substr('{B36}', 1 + ((x // {36 ** k}) % 36)::INTEGER, 1)" for k in range(4, -1, -1))
    con.execute(f"CREATE OR REPLACE MACRO b36(x) AS {digits}")
    con.execute(
        "CREATE OR REPLACE MACRO every(i, k, n, off) AS "
        "(k > 0 AND (((i + off) % n) + 1) * k // n > ((i + off) % n) * k // n)"
    )
    con.execute("CREATE OR REPLACE MACRO secs(x) AS to_seconds(floor(x)::BIGINT)")


def lit(values: list) -> str:
    """A SQL list literal of strings or numbers."""
    parts = [str(v) if isinstance(v, (int, float)) else "'" + str(v).replace("'", "''") + "'" for v in values]
    return "[" + ", ".join(parts) + "]"


def pick(values: list, tag: str, idx: str = "d._src") -> str:
    """SQL choosing one of ``values`` per row (an inline list literal: DuckDB folds it once)."""
    return f"{lit(values)}[1 + (h('{tag}', {idx}) % {len(values)})::BIGINT]"
