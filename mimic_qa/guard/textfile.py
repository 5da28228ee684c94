"""Text data files, whatever their name (.csv, .tsv, .txt, .json, .ndjson, none), plain or gzip-compressed.

Delimited text goes to the line reader (``text``), text starting with ``{`` or ``[`` to the JSON reader.

Only a bounded sample is read: the first ``HEAD_BYTES`` (decompressed, for gzip) and, for a larger
plain file, the last ``TAIL_BYTES`` read against the header found at the top.
"""

from __future__ import annotations

import zlib

from mimic_qa.guard.jsondata import assess_json, looks_like_json
from mimic_qa.guard.model import Finding
from mimic_qa.guard.probe import HEAD_BYTES, TAIL_BYTES, Probe
from mimic_qa.guard.signals import QUICK_ID
from mimic_qa.guard.text import assess_lines

GZIP_MAGIC = b"\x1f\x8b"


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_binary(sample: bytes) -> bool:
    return b"\x00" in sample[:8192]


def as_utf8(sample: bytes) -> bytes:
    """A sample of UTF-16 text (it starts with a byte-order mark) as UTF-8, so its rows read like any text;
    other samples unchanged. A re-encoded table is still the table."""
    if sample[:2] not in UTF16_BOMS:
        return sample
    return sample[: len(sample) // 2 * 2].decode("utf-16", errors="replace").encode("utf-8")


def _lines(sample: bytes, cut_head: bool, cut_tail: bool) -> list[str]:
    lines = sample.decode("utf-8", errors="replace").splitlines()
    if cut_tail and lines:
        lines.pop()  # a partial last line
    if cut_head and lines:
        lines.pop(0)  # a partial first line
    return lines


def gunzip_head(probe: Probe) -> tuple[bytes, bool]:
    """Up to HEAD_BYTES of the decompressed stream, and whether it stopped early at damage (a truncated file,
    corrupt data, bytes that are not gzip after a member). What decompressed before the damage is kept: a
    cut or damaged copy of a table still holds its rows."""
    out = bytearray()
    inflate = zlib.decompressobj(wbits=31)
    pending = b""
    step = 1 << 12  # small steps: the output of a step that meets corrupt data is lost with it
    try:
        with probe.path.open("rb") as fh:
            while len(out) < HEAD_BYTES:
                data = pending or inflate.unconsumed_tail or fh.read(step)
                pending = b""
                if not data:
                    return bytes(out), not inflate.eof  # the file ends inside a member: truncated
                out += inflate.decompress(data, HEAD_BYTES - len(out))
                if inflate.eof:  # a member ends: another member, trailing bytes, or the end of the file
                    rest = inflate.unused_data or fh.read(step)
                    if not rest:
                        return bytes(out), False
                    if rest[:2] != GZIP_MAGIC:
                        return bytes(out), True
                    inflate, pending = zlib.decompressobj(wbits=31), rest
    except (OSError, zlib.error):
        return bytes(out), True
    return bytes(out), False


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
    data, damaged = gunzip_head(probe)
    data = as_utf8(data)
    if not data or looks_binary(data):
        return []
    return scan_text_sample(probe, data, partial=damaged or len(data) >= HEAD_BYTES)
