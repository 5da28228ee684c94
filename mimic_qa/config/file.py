"""Where a site's configuration is and what it says: ``mimic-qa.toml``, or the ``[tool.mimic-qa]`` table of a
``pyproject.toml``, found by walking up from the working directory (or named with ``--config``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mimic_qa.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover  (Python 3.10: the same parser, as a package)
    import tomli as tomllib

CONFIG_NAME = "mimic-qa.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "mimic-qa"  # [tool.mimic-qa]


def _toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a configuration file") from None
    except FileNotFoundError:
        raise UsageError(f"no configuration file at {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def _tool_table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def read_config(path: Path) -> dict[str, Any]:
    """The settings a file holds: a whole ``mimic-qa.toml`` (any name), or a ``pyproject.toml``'s
    ``[tool.mimic-qa]`` table."""
    data = _toml(path)
    if path.name != PYPROJECT:
        return data
    table = _tool_table(data)
    if table is None:
        raise UsageError(f"{path}: no [tool.{TOOL_TABLE}] table")
    return table


def find_config(start: Path) -> Path | None:
    """The nearest ``mimic-qa.toml``, or ``pyproject.toml`` with a ``[tool.mimic-qa]`` table, in ``start`` or a
    folder above it (a ``mimic-qa.toml`` wins over a ``pyproject.toml`` in the same folder)."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        project = folder / PYPROJECT
        if project.is_file() and _tool_table(_toml(project)) is not None:
            return project
    return None
