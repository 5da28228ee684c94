"""Text data files, whatever their name (.csv, .tsv, .txt, .json, .ndjson, none), plain or gzip-compressed.

Delimited text goes to the line reader (``text``), text starting with ``{`` or ``[`` to the JSON reader.

Only a bounded sample is read: the first ``HEAD_BYTES`` (decompressed, for gzip) and, for a larger
plain file, the last ``TAIL_BYTES`` read against the header found at the top.
"""

from __future__ import annotations

import gzip
import zlib

from mimic_qa.guard.jsondata import assess_json, looks_like_json
from mimic_qa.guard.model import Finding
from mimic_qa.guard.probe import HEAD_BYTES, TAIL_BYTES, Probe
from mimic_qa.guard.signals import QUICK_ID
from mimic_qa.guard.text import assess_lines

GZIP_MAGIC = b"\x1f\x8b"


def looks_binary(sample: bytes) -> bool:
    return b"\x00" in sample[:8192]


def _lines(sample: bytes, cut_head: bool, cut_tail: bool) -> list[str]:
    lines = sample.decode("utf-8", errors="replace").splitlines()
    if cut_tail and lines:
        lines.pop()  # a partial last line
    if cut_head and lines:
        lines.pop(0)  # a partial first line
    return lines


def gunzip_head(probe: Probe) -> bytes | None:
    """Up to HEAD_BYTES of the decompressed stream, or None when it is not valid gzip."""
    try:
        with gzip.open(probe.path, "rb") as fh:
            return fh.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error):
        return None


def scan_text_sample(probe: Probe, data: bytes, partial: bool, tail: bytes | None = None) -> list[Finding]:
    """Findings in a text sample; ``partial`` says the sample stops mid-file, ``tail`` is an extra sample from the end."""
    if not QUICK_ID.search(data) and not (tail and QUICK_ID.search(tail)):
        return []
    if looks_like_json(data):
        ev = assess_json(data.decode("utf-8", errors="replace"), probe.signals)
        if tail is not None and ev.rows < probe.min_rows:
            more = assess_json(tail.decode("utf-8", errors="replace"), probe.signals)
            more.first_line = None
            ev.merge(more)
    else:
        ev, header = assess_lines(_lines(data, cut_head=False, cut_tail=partial), probe.signals)
        if tail is not None and ev.rows < probe.min_rows:
            more, _ = assess_lines(_lines(tail, cut_head=True, cut_tail=False), probe.signals, None, header)
            ev.merge(more)
    found = probe.rows_finding(ev)
    return [found] if found else []


def scan_text_file(probe: Probe) -> list[Finding]:
    partial = probe.size > len(probe.head)
    tail = probe.read_tail(TAIL_BYTES) if probe.size > HEAD_BYTES + TAIL_BYTES else None
    return scan_text_sample(probe, probe.head, partial, tail)


def scan_gzip_file(probe: Probe) -> list[Finding]:
    data = gunzip_head(probe)
    if not data or looks_binary(data):
        return []
    return scan_text_sample(probe, data, partial=len(data) >= HEAD_BYTES)
