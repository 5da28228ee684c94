"""How long work reports its progress to whoever shows it (the CLI's ``TableProgress``): one call when a table
(or file) starts, one when it is done, with its size in bytes and its rows when known. Never a data value."""

from __future__ import annotations

from collections.abc import Callable

# (event: "start" | "done", name, bytes or None, rows or None)
TableEvents = Callable[[str, str, "int | None", "int | None"], None]


def ignore(event: str, name: str, size: int | None, rows: int | None) -> None:
    """The default listener: nothing is shown."""
