"""Where the packaged data directories live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(installed: Path, in_source: Path) -> Path:
    return installed if installed.is_dir() else in_source


def expectations_dir() -> Path:
    """The Great Expectations suites (``expectations/`` in the repository, package data when installed)."""
    return _locate(_PACKAGE / "expectations", _PACKAGE.parent / "expectations")


def templates_dir() -> Path:
    """The Jinja2 report templates (``reports/templates/`` in the repository, package data when installed)."""
    return _locate(_PACKAGE / "reports" / "templates", _PACKAGE.parent / "reports" / "templates")
