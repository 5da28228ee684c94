"""The kind of value a stored column type holds, whatever engine spelled the type (a fact of the types, used by
the checks and by every source)."""

from __future__ import annotations

# A stored type holds the spec's kind of value when its name is one of these (an INTEGER column stored as
# BIGINT by a Parquet writer still holds integers; VARCHAR(n) vs TEXT is the max_length check's job).
_KIND_TYPES: dict[str, tuple[str, ...]] = {
    "integer": ("INT", "SMALLINT", "BIGINT", "INTEGER", "TINYINT", "HUGEINT", "LONG", "SHORT", "BYTE", "INT64",
                "INT32", "INT16"),  # BigQuery, Spark and Parquet spellings included
    "float": ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "FLOAT64", "FLOAT32"),
    "string": ("VARCHAR", "CHAR", "TEXT", "STRING", "CHARACTER", "BPCHAR"),
    "date": ("DATE",),
    "timestamp": ("TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ"),
}


def stored_kind(stored: str) -> str | None:
    """integer, float, string, date or timestamp for a stored type in any engine's spelling; None for types
    outside those kinds (BOOLEAN, INTERVAL, ...)."""
    head = stored.upper().replace("CHARACTER VARYING", "VARCHAR").replace("DOUBLE PRECISION", "DOUBLE")
    head = head.split("(")[0].split(" ")[0].strip()
    return next((kind for kind, names in _KIND_TYPES.items() if head in names), None)
