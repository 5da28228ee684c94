"""How long work reports its progress to whoever shows it (the CLI's ``TableProgress``): one call when a table
(or file) starts, one when it is done, with its size in bytes and its rows when known. Never a data value.

A command whose work comes in phases (validate parses files, counts rows, then checks keys) announces each phase
first, with its total, so that what follows can be shown against it: ``("phase", verb, total bytes or None,
number of tables or files)``; the tables' events that follow use that verb's phase.
"""

from __future__ import annotations

from collections.abc import Callable

# (event: "phase" | "start" | "done", name (a phase's verb, or a table), bytes or None, rows (a phase: its count)
# or None)
TableEvents = Callable[[str, str, "int | None", "int | None"], None]
PHASE = "phase"


def ignore(event: str, name: str, size: int | None, rows: int | None) -> None:
    """The default listener: nothing is shown."""
