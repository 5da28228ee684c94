"""What a run covers and how it is judged, as users name it: the tables (``--tables``, then
``--exclude-tables``), the engine and the gate level (``--fail-on``).

Every command and the Python API read these choices here, so a name means the same everywhere and a wrong one
is the same one-line error.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from enum import Enum
from typing import TYPE_CHECKING

from mimic_qa.errors import UsageError
from mimic_qa.spec.severity import Severity

if TYPE_CHECKING:
    from mimic_qa.spec import Spec


class EngineName(str, Enum):
    """``--engine``: where the checks run. ``auto``: DuckDB for folders, DuckDB files and Parquet; the server
    for ``postgresql://`` and ``bigquery://`` sources."""

    AUTO = "auto"
    DUCKDB = "duckdb"
    POSTGRES = "postgres"
    PARQUET = "parquet"
    SPARK = "spark"
    BIGQUERY = "bigquery"

    def __str__(self) -> str:
        return self.value


ENGINES = tuple(e.value for e in EngineName)


def split_names(values: str | Iterable[str] | None) -> list[str]:
    """Repeated options and comma-separated lists alike: ["a,b", " c"] -> ["a", "b", "c"]; "a,b" -> ["a", "b"]."""
    items = [values] if isinstance(values, str) else values or ()
    return [n.strip() for v in items for n in v.split(",") if n.strip()]


def gate_level(value: Severity | str, what: str = "fail_on") -> Severity:
    """``value`` as a severity, or a one-line usage error naming the levels."""
    try:
        return Severity(value)
    except ValueError:
        levels = ", ".join(s.value for s in Severity)
        raise UsageError(f"{what} must be one of: {levels} (got {value!r})") from None


def check_engine(engine: str) -> EngineName:
    """``engine`` as an ``EngineName``, or a one-line usage error naming the engines."""
    try:
        return EngineName(engine)
    except ValueError:
        raise UsageError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}") from None


def unknown_tables(spec: Spec, names: Iterable[str]) -> dict[str, str | None]:
    """Each name that is not a table of the spec, with the table it most looks like (None: none does)."""
    return {n: next(iter(get_close_matches(n, spec.tables, n=1)), None) for n in dict.fromkeys(names)
            if n not in spec.tables}


def select_tables(spec: Spec, tables: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
                  among: Iterable[str] | None = None) -> list[str]:
    """The tables to work on, in spec order: ``tables`` (when empty: ``among``, by default every table of the
    spec), less ``exclude``.

    Names may be comma-separated. An unknown name, or a selection that leaves nothing, is a usage error."""
    include, leave_out = split_names(tables), split_names(exclude)
    unknown = unknown_tables(spec, include + leave_out)
    if unknown:
        close = [m for m in unknown.values() if m]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"unknown table(s): {', '.join(unknown)}{hint}; tables are: {', '.join(spec.tables)}")
    pool = set(include or (spec.tables if among is None else among))
    chosen = [n for n in spec.tables if n in pool and n not in leave_out]
    if not chosen:
        raise UsageError("no table left: --exclude-tables removes every table selected")
    return chosen

