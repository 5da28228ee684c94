"""Row detection in text: CSV/TSV/pipe-delimited files, printed DataFrames and HTML table renderings.

Each line is split on the delimiter it uses (tab, comma, pipe, else whitespace). A line whose
fields name MIMIC columns becomes the current header; a later line with at least as many fields
(less one, for a dropped index) is read against it. Without a header a row needs two signals.
"""

from __future__ import annotations

import html
import re

from mimic_qa.guard.signals import Evidence, Signals, header_signature, row_kinds, row_looks_mimic

_TAG = re.compile(r"<[^>]*>")
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_ROW_END = re.compile(r"</tr\s*>", re.IGNORECASE)


def split_fields(line: str) -> list[str]:
    for sep in ("\t", ",", "|", ";"):
        if sep in line:
            return line.split(sep)
    return line.split()


def html_to_text(markup: str) -> str:
    """An HTML table as tab-separated lines (one per ``<tr>``), tags dropped and entities decoded."""
    flat = markup.replace("\n", " ")
    flat = _ROW_END.sub("\n", _CELL_END.sub("\t", flat))
    return html.unescape(_TAG.sub("", flat))


def assess_lines(lines: list[str], signals: Signals, first_line: int | None = 1,
                 header: list[str] | None = None) -> tuple[Evidence, list[str] | None]:
    """Evidence over consecutive lines; returns it with the header in force at the end (for a later sample).

    ``first_line`` is the line number of ``lines[0]``, or None when it is unknown (a sample from the middle).
    """
    ev = Evidence()
    for offset, line in enumerate(lines):
        if not line.strip():
            continue
        fields = split_fields(line)
        table = header_signature(fields, signals) if len(fields) > 1 else None
        if table is not None:
            header, ev.table = fields, ev.table or table
            continue
        kinds = row_kinds(fields, signals)
        if not kinds:
            continue
        fits = header is not None and len(fields) >= len(header) - 1
        if row_looks_mimic(kinds, fits):
            ev.add_row(kinds, None if first_line is None else first_line + offset)
    return ev, header


def assess_text(text: str, signals: Signals) -> Evidence:
    """Evidence in one block of text (a notebook output, a printed frame)."""
    return assess_lines(text.splitlines(), signals)[0]


def assess_html(markup: str, signals: Signals) -> Evidence:
    return assess_text(html_to_text(markup), signals)
