"""Findings: one JSON line per occurrence, locating PHI by table, column, row key and offsets (never the text)."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mimic_qa.phi.engine import Hit

FINDINGS_FILE = "findings.jsonl"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create (or tighten) an output directory readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)
    return path


def key_value(value: Any) -> Any:
    """A row-key value as JSON: integers stay integers, timestamps and the rest become strings."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)) and float(value).is_integer():
        return int(value)
    if isinstance(value, (datetime, date)):
        return str(value)
    return str(value)


def masked_context(value: str, hits: list[Hit], hit: Hit, width: int = 30) -> str:
    """The text around ``hit`` with every finding in the value replaced by ``[TYPE]`` (opt-in only)."""
    parts, pos, centre = [], 0, 0
    for h in sorted(hits, key=lambda h: h.start):
        parts.append(value[pos:h.start])
        if h is hit:
            centre = sum(len(p) for p in parts)
        parts.append(f"[{h.entity_type}]")
        pos = h.end
    parts.append(value[pos:])
    text = "".join(parts)
    start, end = max(0, centre - width), min(len(text), centre + len(hit.entity_type) + 2 + width)
    return ("..." if start else "") + text[start:end] + ("..." if end < len(text) else "")


class FindingsWriter:
    """Stream findings to ``DIR/findings.jsonl`` (owner-only, renamed into place on close) and count them."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / FINDINGS_FILE
        fd, tmp = tempfile.mkstemp(prefix=f".{FINDINGS_FILE}.", dir=out_dir)  # created 0o600
        self.tmp_path = Path(tmp)
        self._fh = os.fdopen(fd, "w", encoding="utf-8")
        self.total = 0
        self.by_entity_type: Counter[str] = Counter()
        self.by_table: Counter[str] = Counter()
        self.locations: list[dict[str, Any]] = []  # the first findings, for the report draft
        self.keep_locations = 500

    def write(self, table: str, column: str, row: dict[str, Any], hit: Hit, context: str | None = None) -> None:
        record: dict[str, Any] = {"table": table, "column": column, "row": row, "entity_type": hit.entity_type,
                                  "start": hit.start, "end": hit.end, "score": hit.score, "recognizer": hit.recognizer}
        if context is not None:
            record["context"] = context
        self._fh.write(json.dumps(record) + "\n")
        self.total += 1
        self.by_entity_type[hit.entity_type] += 1
        self.by_table[table] += 1
        if len(self.locations) < self.keep_locations:
            self.locations.append({k: v for k, v in record.items() if k != "context"})

    def close(self) -> None:
        self._fh.close()
        os.chmod(self.tmp_path, PRIVATE_FILE)
        os.replace(self.tmp_path, self.path)

    def abort(self) -> None:
        self._fh.close()
        self.tmp_path.unlink(missing_ok=True)
