"""Scan results as concise text, JSON, or SARIF 2.1.0 (for code-scanning UIs). Counts and locations only."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mimic_qa.guard.model import RULES, Finding, ScanResult, Skipped
from mimic_qa.version import __version__

FORMATS = ("text", "json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _where(f: Finding) -> str:
    loc = f.location.describe()
    return f"{f.path}: {loc}" if loc else f.path


def _count(n: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def verdict_line(result: ScanResult) -> str:
    """Findings and files, or none, with what was scanned: the one line ``--quiet`` prints."""
    skipped = Counter(s.reason for s in result.skipped)
    extra = "".join(f"; {n:,} skipped ({why})" for why, n in sorted(skipped.items()))
    blocking = [f for f in result.findings if f.level == "error"]
    files = len({f.path for f in blocking})
    verdict = f"{_count(len(blocking), 'finding')} in {_count(files, 'file')}" if blocking else "no MIMIC-IV data found"
    notes = len(result.findings) - len(blocking)
    if notes:
        verdict += f"; {_count(notes, 'open-access demo file')} noted (info)"
    return f"mimic-qa guard: {verdict} ({_count(result.scanned, 'file')} scanned in {result.seconds:.1f} s{extra})"


def render_text(result: ScanResult) -> str:
    lines = [f"{_where(f)}: " + ("info: " if f.level == "info" else "") + f.reason for f in result.findings]
    lines.append(verdict_line(result))
    if any(f.level == "error" for f in result.findings):
        lines.append("Remove these files from the commit (or clear notebook outputs: mimic-qa guard --strip-outputs "
                     "NOTEBOOK); list synthetic fixtures under 'allow' in .mimic-qa-guard.yaml.")
    return "\n".join(lines)


class GuardReport(BaseModel):
    """What a scan found: ``mimic-qa guard --format json``."""

    # the shape to_json writes (the tests check its output against the schema generated from this model)

    model_config = ConfigDict(use_attribute_docstrings=True, json_schema_serialization_defaults_required=True)

    tool: Literal["mimic-qa guard"]
    version: str
    """mimic-qa's version."""
    root: str
    """The folder the paths are relative to."""
    found: bool
    """Something must not be committed (exit 1); info findings do not count."""
    scanned: int
    """Files scanned."""
    seconds: float
    findings: list[Finding]
    skipped: list[Skipped]


def to_json(result: ScanResult) -> dict[str, Any]:
    return {
        "tool": "mimic-qa guard",
        "version": __version__,
        "root": result.root,
        "found": result.found,
        "scanned": result.scanned,
        "seconds": round(result.seconds, 3),
        "findings": [f.to_json() for f in result.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }


def _sarif_result(f: Finding) -> dict[str, Any]:
    region = {"startLine": f.location.line or 1}
    where = f.location.describe() if f.location.line is None else ""
    message = f"{where}: {f.reason}" if where else f.reason
    props: dict[str, Any] = {"rows": f.rows, **f.location.to_json()}
    return {
        "ruleId": f.kind,
        "level": "note" if f.level == "info" else "error",
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                                            "region": region}}],
        "properties": props,
    }


def to_sarif(result: ScanResult) -> dict[str, Any]:
    rules = [{"id": rid, "name": rid.title().replace("-", ""), "shortDescription": {"text": text},
              "defaultConfiguration": {"level": "note" if rid == "open-data-file" else "error"}}
             for rid, text in RULES.items()]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mimic-qa guard", "version": __version__, "rules": rules}},
            "results": [_sarif_result(f) for f in result.findings],
        }],
    }


def render(result: ScanResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(result), indent=2)
    if fmt == "sarif":
        return json.dumps(to_sarif(result), indent=2)
    return render_text(result)
