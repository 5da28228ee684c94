"""Console output of the commands' summaries: where it goes, and tables that keep identifiers whole at any width.

A check id, a table or a column name is never folded or cut: a table whose identifier columns do not fit the
terminal (80 columns, say) is drawn without its side borders, and if it still does not fit, printed as
one line per row instead.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

ELLIPSIS = "…"
PIPE_WIDTH = 160  # what a pipe or a file gets, rather than the 80 columns rich would assume


def summary_console(to_stderr: bool = False) -> Console:
    """The console for a command's summary: standard output (or stderr), laid out 160 columns wide when it is
    not a terminal."""
    stream = sys.stderr if to_stderr else sys.stdout
    return Console(stderr=to_stderr, highlight=False, width=None if stream.isatty() else PIPE_WIDTH)


def _whole(console: Console, table: Table) -> bool:
    """Does the table, drawn at the console's width, keep every cell whole (rich marks a cut with …) and every
    line within the width (a column's ``min_width`` can push it past)?"""
    probe = Console(width=console.width, file=io.StringIO(), color_system=None, highlight=False)
    with probe.capture() as drawn:
        probe.print(table, crop=False)
    lines = drawn.get().splitlines()
    return not any(ELLIPSIS in line or cell_len(line) > console.width for line in lines)


def print_table(console: Console, table: Table, lines: Iterable[str]) -> None:
    """``table`` if it can be drawn with no cell cut short (without side borders if need be), else ``lines``
    (rich markup), one per row. Identifier columns must be ``no_wrap`` (rich cuts them rather than fold them),
    prose columns ``overflow="fold"`` with a ``min_width``."""
    for compact in (False, True):
        if compact:
            table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
        if _whole(console, table):
            console.print(table)
            return
    if table.title:
        console.print(f"{table.title}:")
    for line in lines:
        console.print(line)  # wrapped between words: an identifier holds no space
