"""Ctrl-C and SIGTERM: stop at once, leave nothing half-written, exit 130.

Work in flight may be a DuckDB query on another thread or a GX process, which would finish first if the
interpreter waited for them; and an output written in pieces must not survive as if complete. So commands
register what an interruption must remove (a scratch folder, a database being built, a temporary output file);
on the signal those are removed, one line is printed and the process exits 130 (what shells use for SIGINT, so
a CI job can tell an interruption from a failed gate, exit 1).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from mimic_qa.errors import ExitCode

EXIT_CODE = ExitCode.INTERRUPTED
_lock = threading.Lock()
_doomed: dict[int, Path] = {}
_children: set[int] = set()


@contextlib.contextmanager
def removed_if_interrupted(path: Path) -> Iterator[Path]:
    """Within this block, an interruption removes ``path`` (a file or a folder) before the process exits."""
    with _lock:
        key = id(path) ^ len(_doomed)
        _doomed[key] = Path(path)
    try:
        yield path
    finally:
        with _lock:
            _doomed.pop(key, None)


def kill_if_interrupted(pid: int, watch: bool = True) -> None:
    """Have an interruption kill the child process ``pid`` (``watch=False``: no longer)."""
    with _lock:
        if watch:
            _children.add(pid)
        else:
            _children.discard(pid)


def _remove_all() -> None:
    with _lock:
        paths = list(_doomed.values())
        children = list(_children)
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _on_signal(signum: int, frame: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _remove_all()
    try:
        sys.stdout.flush()
        sys.stderr.write("mimic-qa: interrupted; no output file was left half-written\n")
        sys.stderr.flush()
    finally:
        os._exit(EXIT_CODE)


def install() -> None:
    """Handle SIGINT and SIGTERM as above (the command-line entry point calls this; a library caller keeps
    Python's own KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
