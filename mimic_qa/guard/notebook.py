"""Jupyter notebooks: row-level data in saved outputs, and clearing those outputs.

Every output of every code cell is read: ``stream`` text (printed rows), and the ``text/plain``,
``text/html`` and JSON renderings of ``execute_result`` / ``display_data`` (DataFrames). Cell sources
are code and are not flagged. Locations are 0-based cell and output indices, as in the JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mimic_qa.errors import UsageError
from mimic_qa.guard.jsondata import assess_json
from mimic_qa.guard.model import Finding, Location
from mimic_qa.guard.probe import Probe
from mimic_qa.guard.signals import Evidence, Signals
from mimic_qa.guard.text import assess_html, assess_text

NOTEBOOK_SUFFIX = ".ipynb"


def _joined(value: Any) -> str:
    """Notebook text fields are a string or a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value or "")


def output_evidence(output: dict[str, Any], signals: Signals) -> Evidence:
    """The strongest evidence among one output's text renderings."""
    texts = []
    if output.get("output_type") == "stream":
        texts.append(assess_text(_joined(output.get("text")), signals))
    data = output.get("data") or {}
    if "text/plain" in data:
        texts.append(assess_text(_joined(data["text/plain"]), signals))
    if "text/html" in data:
        texts.append(assess_html(_joined(data["text/html"]), signals))
    texts += [assess_json(json.dumps(value), signals) for mime, value in data.items() if mime.endswith("json")]
    return max(texts, key=lambda ev: ev.rows, default=Evidence())


def load_notebook(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        nb = json.load(fh)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise TypeError("not a notebook")
    return nb


def scan_notebook(probe: Probe) -> list[Finding]:
    try:
        nb = load_notebook(probe.path)
    except (ValueError, TypeError, UnicodeDecodeError):
        return []  # not JSON: left to the text detector by the caller
    findings = []
    for c, cell in enumerate(nb["cells"]):
        for o, output in enumerate(cell.get("outputs") or []):
            ev = output_evidence(output, probe.signals)
            found = probe.rows_finding(ev, "notebook-output", Location(cell=c, output=o))
            if found:
                findings.append(found)
    return findings


def strip_outputs(path: Path) -> int:
    """Clear outputs and execution counts of every code cell, in place (atomically); returns outputs removed."""
    if not path.is_file():
        raise UsageError(f"{path}: no such notebook")
    try:
        nb = load_notebook(path)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise UsageError(f"{path}: not a Jupyter notebook (JSON with a 'cells' list)") from None
    removed = 0
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            removed += len(cell.get("outputs") or [])
            cell["outputs"] = []
            cell["execution_count"] = None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return removed
