"""``mimic-qa guard``: keep row-level MIMIC-IV data out of code repositories.

``run_guard`` selects the files (git work tree, given paths, or staged files), reads a bounded
sample of each, and reports findings as counts and locations, never the rows themselves.
"""

from __future__ import annotations

from pathlib import Path

from mimic_qa.guard.config import GuardConfig, load_config
from mimic_qa.guard.files import select_files
from mimic_qa.guard.model import Finding, Location, ScanResult, Skipped
from mimic_qa.guard.notebook import strip_outputs
from mimic_qa.guard.release_copy import build_release_index
from mimic_qa.guard.scanner import Scanner, scan_files
from mimic_qa.guard.signals import default_signals
from mimic_qa.progress import TableEvents, ignore
from mimic_qa.spec import load_spec

__all__ = ["Finding", "GuardConfig", "Location", "ScanResult", "Skipped", "run_guard", "strip_outputs"]


def run_guard(paths: list[Path], staged: bool = False, config: Path | None = None,
              cwd: Path | None = None, progress: TableEvents = ignore) -> ScanResult:
    """Scan ``paths`` (default: the git work tree of ``cwd``) or the staged files, and return the result.
    ``progress`` hears each folder start and finish (the bytes of its files scanned)."""
    cwd = cwd or Path.cwd()
    root, files = select_files(paths, staged, cwd)
    settings = load_config(config, root)
    scanner = Scanner(default_signals(), build_release_index(load_spec()), settings)
    return scan_files(files, root, scanner, progress)
