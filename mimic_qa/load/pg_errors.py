"""PostgreSQL error reports turned into one line that names what failed and quotes no data value.

A server error has a primary message, a DETAIL (``Key (subject_id)=(10000032) is not present ...``,
``Failing row contains (...)``) and a CONTEXT (``COPY patients, line 2, column anchor_age: "x"``).
DETAIL and CONTEXT carry row values, so only the primary message is used; for data exceptions
(SQLSTATE class 22) the primary message itself may quote the bad value, so quoted text and anything
after a colon are cut. Line numbers and column names from the CONTEXT are kept: they locate the
problem without showing it.
"""

from __future__ import annotations

import re

import psycopg

_QUOTED = re.compile(r'"[^"]*"')
_COPY_CONTEXT = re.compile(r"\bline (\d+)(?:, column (\w+))?")


def _words(exc: psycopg.Error) -> str:
    """``ForeignKeyViolation`` -> ``foreign key violation``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()


def describe(exc: psycopg.Error) -> str:
    """A data-free one-line description of a PostgreSQL error."""
    diag = exc.diag
    primary = diag.message_primary or _words(exc)
    sqlstate = diag.sqlstate or ""
    if sqlstate.startswith("22"):
        primary = _QUOTED.sub("<value>", primary.split(": ", 1)[0])
    where = ""
    if diag.context:
        m = _COPY_CONTEXT.search(diag.context.splitlines()[0])
        if m:
            where = f" at line {m.group(1)}" + (f", column {m.group(2)}" if m.group(2) else "")
    code = f" [SQLSTATE {sqlstate}]" if sqlstate else ""
    return " ".join(primary.split()) + where + code
