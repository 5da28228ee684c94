"""Pickled objects (pandas DataFrames, lists of tuples, ...), inspected without ever being unpickled.

``pickletools.genops`` walks the opcodes of the first ``MAX_PICKLE_BYTES``: nothing is imported
or called. Strings and byte buffers give column names (pandas may store an Index as one concatenated
Arrow buffer); integers, byte buffers read as little-endian int64 / int32 arrays, and digits
inside strings give identifier values.
"""

from __future__ import annotations

import pickletools
import re
from collections import Counter

import numpy as np

from mimic_qa.guard.model import Finding
from mimic_qa.guard.probe import MAX_PICKLE_BYTES, Probe
from mimic_qa.guard.signals import Evidence, Signals, header_signature, value_signal

PICKLE_SUFFIXES = (".pkl", ".pickle", ".pck", ".pcl")
_DIGITS = re.compile(r"(?<![0-9])[0-9]{8}(?![0-9])")
RUN = 3  # consecutive in-range values that make a buffer an id column
_TEXT_SAMPLE = 4 * 1024 * 1024  # characters of string payload searched for names and ids


def is_pickle(probe: Probe) -> bool:
    protocol_2_plus = probe.head[:1] == b"\x80" and probe.head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")
    return protocol_2_plus or probe.path.suffix.lower() in PICKLE_SUFFIXES


def _buffer_ids(buf: bytes, signals: Signals) -> Counter[str]:
    """Identifiers in a byte buffer read as little-endian int64 and int32 arrays.

    Only runs of ``RUN`` or more in-range values count: an id column is one long run, while a
    random 32-bit value lands in a block with odds below 0.5%, three in a row about once in 10 million.
    """
    counts: Counter[str] = Counter()
    for dtype, width in (("<i8", 8), ("<i4", 4)):
        usable = len(buf) - len(buf) % width
        if usable < RUN * width:
            continue
        values = np.frombuffer(buf[:usable], dtype=dtype)
        for r in signals.id_ranges:
            inside = (values >= r.low) & (values <= r.high)
            n = len(inside) - RUN + 1
            starts = np.ones(max(n, 0), dtype=bool)
            for k in range(RUN):
                starts &= inside[k:k + n]
            in_run = np.zeros_like(inside)
            for k in range(RUN):
                in_run[k:k + n] |= starts
            counts[r.name] += int(np.count_nonzero(in_run))
    return +counts


def pickle_evidence(data: bytes, signals: Signals) -> Evidence:
    """Counts of identifier values per block, and the column names a pickle's strings contain."""
    counts: Counter[str] = Counter()
    texts: list[str] = []
    try:
        for _op, arg, _pos in pickletools.genops(data):
            if isinstance(arg, str):
                texts.append(arg)
            elif isinstance(arg, int) and not isinstance(arg, bool):
                if (kind := signals.id_kind(arg)) is not None:
                    counts[kind] += 1
            elif isinstance(arg, (bytes, bytearray)):
                counts += _buffer_ids(bytes(arg), signals)
                texts.append(bytes(arg[:_TEXT_SAMPLE]).decode("latin-1"))  # string buffers (e.g. Arrow-backed)
    except (ValueError, EOFError):
        pass  # truncated sample or not a pickle after all: keep what was read
    blob = "".join(texts)[:_TEXT_SAMPLE]
    for digits in _DIGITS.findall(blob):
        if (kind := value_signal(digits, signals)) is not None:
            counts[kind] += 1
    names = [c for c in signals.columns if c in blob]
    ev = Evidence(table=header_signature(names, signals))
    ev.rows = counts[signals.person_range.name]
    ev.signals = set(counts)
    return ev


def scan_pickle(probe: Probe) -> list[Finding]:
    """Flag when identifiers of a patient block are present and either column names or a second block back them."""
    with probe.path.open("rb") as fh:
        data = fh.read(MAX_PICKLE_BYTES)
    ev = pickle_evidence(data, probe.signals)
    backed = ev.table is not None or len(ev.signals) >= 2
    found = probe.rows_finding(ev) if backed else None
    return [found] if found else []
