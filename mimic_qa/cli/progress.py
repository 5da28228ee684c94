"""Progress of a long command, table by table (or file by file).

On a terminal: a live bar (bytes or items done of the phase's total, what is under way, elapsed time), drawn on
stderr and cleared at the end. Elsewhere (a CI log, a pipe): a line when a phase starts, with its total ("31 tables
to be parsed (262.1 MB)"), then one plain line per finished table, never a redraw. ``--quiet``: nothing.
Lines name tables and files and give sizes, rows and seconds: never a data value.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from mimic_qa.progress import PHASE


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n / 1e3:,.1f} kB"


@dataclass
class TableProgress:
    """Report ``start(name)`` and ``done(name, ...)`` events; ``close()`` at the end (also on error)."""

    console: Console
    verb: str  # what is done to each table: "parsed", "scanned", "written", "loaded", "profiled"
    quiet: bool = False
    total: int | None = None  # bytes (``unit="bytes"``) or items expected in all, when known
    unit: str = "bytes"  # or "tables", "files"
    _bar: Progress | None = field(default=None, init=False)
    _task: TaskID | None = field(default=None, init=False)
    _active: dict[str, float] = field(default_factory=dict, init=False)

    @property
    def live(self) -> bool:
        return not self.quiet and self.console.is_terminal

    def _start_bar(self) -> None:
        amount = DownloadColumn() if self.unit == "bytes" else MofNCompleteColumn()
        self._bar = Progress(TextColumn(f"[bold]{escape(self.verb)}"), BarColumn(), amount,
                             TextColumn("{task.fields[now]}"), TimeElapsedColumn(), console=self.console,
                             transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.verb, total=self.total, now="")

    def event(self, event: str, name: str, size: int | None, rows: int | None) -> None:
        """A ``mimic_qa.progress.TableEvents`` listener."""
        if event == PHASE:
            self.phase(name, size, rows)
        elif event == "start":
            self.start(name, size)
        else:
            self.done(name, size, rows)

    def phase(self, verb: str, size: int | None, count: int | None) -> None:
        """A new phase: its tables are ``verb`` from now on, counted against its total (bytes when ``size`` is
        known, else ``count`` tables)."""
        self.close()
        self.verb = verb
        self.unit = "bytes" if size is not None else "tables"
        self.total = size if size is not None else count
        self._active.clear()
        if self.quiet:
            return
        if self.live:
            self._start_bar()
            return
        sized = f" ({_size(size)})" if size is not None else ""
        tables = f"{count or 0:,} table" + ("" if count == 1 else "s")
        self.console.print(f"{tables} to be {escape(verb)}{sized}", highlight=False)

    def start(self, name: str, size: int | None = None) -> None:
        self._active[name] = time.monotonic()
        if self.live:
            if self._bar is None:
                self._start_bar()
            self._show()

    def done(self, name: str, size: int | None = None, rows: int | None = None, note: str = "") -> None:
        began = self._active.pop(name, None)
        seconds = time.monotonic() - began if began is not None else None
        if self.quiet:
            return
        if self.live:
            if self._bar is None:
                self._start_bar()
            assert self._bar is not None and self._task is not None
            self._bar.advance(self._task, size if self.unit == "bytes" and size else 1)
            self._show()
            return
        parts = ([_size(size)] if size is not None else []) + ([f"{rows:,} rows"] if rows is not None else []) + \
                ([f"{seconds:.1f} s"] if seconds is not None else []) + ([note] if note else [])
        self.console.print(f"{self.verb} {escape(name)}" + (f": {', '.join(parts)}" if parts else ""),
                           highlight=False)

    def _show(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, now=escape(", ".join(sorted(self._active))))

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
