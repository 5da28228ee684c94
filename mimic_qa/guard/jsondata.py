"""Row detection in JSON and NDJSON text, including a truncated sample that a parser would reject.

Records are the innermost objects and arrays: ``{"subject_id": 1..., ...}`` per line (NDJSON,
``orient="records"``), ``[1..., 2..., "21xx-..."]`` rows (``orient="values"`` / ``"split"``, whose
``columns`` array serves as header), and column objects keyed by row labels
(``{"subject_id": {"0": 1..., "1": ...}}``, pandas' default ``orient="columns"``).
"""

from __future__ import annotations

import re

from mimic_qa.guard.signals import Evidence, Signals, assess_table, header_signature, row_kinds, row_looks_mimic

_INNER = re.compile(r"\{[^{}\[\]]*\}|\[[^\[\]{}]*\]")
_STRING = r'"(?:[^"\\]|\\.)*"'
_PAIR = re.compile(rf'({_STRING})\s*:\s*({_STRING}|[^,\s{{}}\[\]]+)')
_ITEM = re.compile(rf'{_STRING}|[^,\s\[\]]+')
_KEY_BEFORE = re.compile(rf'({_STRING})\s*:\s*$')
_LOOKBACK = 256


def _unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == '"' == token[-1] else token


def looks_like_json(sample: bytes) -> bool:
    return sample.lstrip()[:1] in (b"{", b"[")


def assess_json(text: str, signals: Signals) -> Evidence:
    """Evidence in (possibly truncated) JSON text: records, value rows, and column objects."""
    ev = Evidence()
    header: list[str] | None = None
    columns: dict[str, list[str]] = {}
    for m in _INNER.finditer(text):
        chunk = m.group(0)
        if chunk[0] == "{":
            pairs = [(_unquote(k), _unquote(v)) for k, v in _PAIR.findall(chunk)]
            if not pairs:
                continue
            if all(k.isdigit() for k, _ in pairs):  # one column, keyed by row label
                key = _KEY_BEFORE.search(text[max(0, m.start() - _LOOKBACK):m.start()])
                if key:
                    columns.setdefault(_unquote(key.group(1)), []).extend(v for _, v in pairs)
                continue
            table = header_signature([k for k, _ in pairs], signals)
            ev.table = ev.table or table
            values = [v for _, v in pairs]
            matched = table is not None
        else:
            values = [_unquote(t) for t in _ITEM.findall(chunk)]
            if len(values) > 1 and (table := header_signature(values, signals)) is not None:
                header, ev.table = values, ev.table or table
                continue
            matched = header is not None and len(values) >= len(header) - 1
        kinds = row_kinds(values, signals)
        if row_looks_mimic(kinds, matched):
            ev.add_row(kinds, text.count("\n", 0, m.start()) + 1 if ev.first_line is None else None)
    if columns:
        # a truncated sample may cut the last columns short: pair the rows all columns have
        ev.merge(assess_table(list(columns), zip(*columns.values(), strict=False), signals))
    return ev
