"""Damage a copy of any MIMIC-IV release folder, and say exactly what was damaged.

Tests assert the failures they expect from the ``Damage`` records this helper returns (which table,
which column, how many rows), never from the validator and never from ``mimic-qa synth``'s own
bookkeeping. The helper knows CSV and gzip, not the spec: it reads and writes files with the standard
library only.

Rewriting a table file changes its bytes; unless told otherwise the copy's ``SHA256SUMS.txt`` entry is
updated to the new bytes (as a re-extraction would), so that only the content damage is detectable.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SUMS = "SHA256SUMS.txt"
Row = dict[str, str]
ZERO_LENGTH = "\x00zero-length\x00"  # a value written as a quoted empty field (""), which is not a NULL
NOT_UTF8 = "\udcff\udcfe"  # a value written as the bytes 0xFF 0xFE, which no UTF-8 text holds


@dataclass(frozen=True)
class Damage:
    """One change made to a copy, in plain terms."""

    table: str  # <module>.<table>, from the file's folder: hosp.labevents
    action: str  # delete-rows, set-value, rename-column, flip-byte, remove-file
    rows: int = 0  # data rows changed or removed
    column: str | None = None
    detail: str = ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ReleaseCopy:
    """A writable copy of a release folder (module folders such as ``hosp/``, ``icu/``, ``ed/``; optional
    ``SHA256SUMS.txt``)."""

    def __init__(self, source: Path, dest: Path, tables: list[str] | None = None) -> None:
        """Copy ``source`` to ``dest`` (only the table files named in ``tables``, when given)."""
        def keep(folder: str, names: list[str]) -> list[str]:
            if tables is None or Path(folder).name not in ("hosp", "icu"):
                return []
            return [n for n in names if n.split(".")[0] not in tables]

        shutil.copytree(source, dest, ignore=keep)
        for path in dest.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        self.root = dest
        self.damage: list[Damage] = []

    def path(self, table: str) -> Path:
        found = sorted(self.root.glob(f"*/{table}.csv*"))
        if not found:
            raise FileNotFoundError(f"no file for table {table} under {self.root}")
        return found[0]

    # -- records, kept byte for byte: only the fields a damage changes are rewritten -------------------

    def records(self, table: str) -> tuple[list[str], list[list[str]]]:
        """The header names and every record as its raw fields (quotes kept, so ``""`` stays ``""``)."""
        path = self.path(table)
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        lines = _split_records(raw.decode("utf-8", "surrogateescape"))
        header = [_value(f) for f in _split_fields(lines[0])]
        return header, [_split_fields(line) for line in lines[1:]]

    def write(self, table: str, header: list[str], records: list[list[str]], update_sums: bool = True) -> None:
        path = self.path(table)
        text = "".join(",".join(fields) + "\n" for fields in [[_raw(h) for h in header], *records])
        data = text.encode("utf-8", "surrogateescape")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(gzip.compress(data, compresslevel=6, mtime=0) if path.name.endswith(".gz") else data)
        os.replace(tmp, path)
        if update_sums:
            self._update_sum(path)

    def _update_sum(self, path: Path) -> None:
        sums = self.root / SUMS
        if not sums.is_file():
            return
        rel = path.relative_to(self.root).as_posix()
        lines = [f"{_sha256(path)} {rel}" if line.split(" ", 1)[-1] == rel else line
                 for line in sums.read_text(encoding="utf-8").splitlines()]
        sums.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # -- damage ------------------------------------------------------------------------------------------

    def qualified(self, table: str) -> str:
        return f"{self.path(table).parent.name}.{table}"

    def _record(self, damage: Damage) -> Damage:
        self.damage.append(damage)
        return damage

    def delete_rows(self, table: str, where: Callable[[Row], bool], detail: str = "") -> Damage:
        header, records = self.records(table)
        kept = [r for r in records if not where(_row(header, r))]
        self.write(table, header, kept)
        return self._record(Damage(self.qualified(table), "delete-rows", len(records) - len(kept), detail=detail))

    def set_value(self, table: str, column: str, value: str, where: Callable[[Row], bool], limit: int = 1,
                  detail: str = "") -> Damage:
        """Set ``column`` to ``value`` in the first ``limit`` rows matching ``where``."""
        header, records = self.records(table)
        at = header.index(column)
        changed = 0
        for r in records:
            if changed < limit and where(_row(header, r)):
                r[at] = _raw(value)
                changed += 1
        if not changed:
            raise ValueError(f"no row of {table} matched")
        self.write(table, header, records)
        return self._record(Damage(self.qualified(table), "set-value", changed, column, detail))

    def update(self, table: str, change: Callable[[Row], Row], where: Callable[[Row], bool], limit: int,
               detail: str = "") -> Damage:
        """Set the values ``change(row)`` gives (column -> value) in the first ``limit`` rows matching ``where``
        (exactly ``limit``: fewer matching rows is an error)."""
        header, records = self.records(table)
        changed, columns = 0, set()
        for r in records:
            if changed == limit:
                break
            row = _row(header, r)
            if where(row):
                for column, value in change(row).items():
                    r[header.index(column)] = _raw(value)
                    columns.add(column)
                changed += 1
        if changed < limit:
            raise ValueError(f"only {changed} rows of {table} matched, {limit} wanted")
        self.write(table, header, records)
        return self._record(Damage(self.qualified(table), "set-value", changed, ",".join(sorted(columns)), detail))

    def duplicate_rows(self, table: str, where: Callable[[Row], bool], limit: int = 1, detail: str = "",
                       change: Callable[[Row], Row] | None = None) -> Damage:
        """Append a copy of the first ``limit`` rows matching ``where`` (with the values ``change`` gives)."""
        header, records = self.records(table)
        copies = [list(r) for r in records if where(_row(header, r))][:limit]
        if not copies:
            raise ValueError(f"no row of {table} matched")
        for r in copies:
            for column, value in (change(_row(header, r)) if change else {}).items():
                r[header.index(column)] = _raw(value)
        self.write(table, header, records + copies)
        return self._record(Damage(self.qualified(table), "duplicate-rows", len(copies), detail=detail))

    def rename_column(self, table: str, old: str, new: str) -> Damage:
        header, records = self.records(table)
        self.write(table, [new if h == old else h for h in header], records)
        return self._record(Damage(self.qualified(table), "rename-column", 0, old, f"header {old} -> {new}"))

    def flip_byte(self, table: str, offset_from_end: int = 12) -> Damage:
        """Flip one bit inside the compressed stream (SHA256SUMS.txt is left as published)."""
        path = self.path(table)
        data = bytearray(path.read_bytes())
        at = len(data) - offset_from_end
        data[at] ^= 0x01
        path.write_bytes(bytes(data))
        return self._record(Damage(self.qualified(table), "flip-byte", detail=f"byte {at}"))

    def misstate_checksum(self, table: str) -> Damage:
        """Change the table file's entry in SHA256SUMS.txt to another digest (the file is intact)."""
        rel = self.path(table).relative_to(self.root).as_posix()
        sums = self.root / SUMS
        lines = sums.read_text(encoding="utf-8").splitlines()
        wrong = [f"{'0' * 64} {rel}" if line.split(" ", 1)[-1] == rel else line for line in lines]
        assert wrong != lines, f"{rel} is not listed in {SUMS}"
        sums.write_text("\n".join(wrong) + "\n", encoding="utf-8")
        return self._record(Damage(self.qualified(table), "misstate-checksum"))

    def add_file(self, relative: str, data: bytes) -> Damage:
        """A file the release does not have (not listed in SHA256SUMS.txt)."""
        (self.root / relative).write_bytes(data)
        return self._record(Damage(relative, "add-file"))

    def append_to_file(self, relative: str, data: bytes) -> Damage:
        """Change a non-table file (its SHA256SUMS.txt entry is left as published)."""
        with (self.root / relative).open("ab") as fh:
            fh.write(data)
        return self._record(Damage(relative, "change-file"))

    def remove_file(self, table: str) -> Damage:
        name = self.qualified(table)
        self.path(table).unlink()
        return self._record(Damage(name, "remove-file"))


def _split_records(text: str) -> list[str]:
    """CSV records (a quoted field may hold newlines), without their line ends."""
    out: list[str] = []
    pending: list[str] = []  # the lines of a record whose quoted field is still open
    for line in text.split("\n"):
        pending.append(line)
        if sum(part.count('"') for part in pending) % 2 == 0:
            out.append("\n".join(pending).rstrip("\r"))
            pending = []
    if pending:
        out.append("\n".join(pending))
    if out and out[-1] == "":  # the final line end
        out.pop()
    return out


def _split_fields(record: str) -> list[str]:
    """A record's fields as written (quotes kept)."""
    if '"' not in record:
        return record.split(",")
    out, start, quoted = [], 0, False
    for i, ch in enumerate(record):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            out.append(record[start:i])
            start = i + 1
    out.append(record[start:])
    return out


def _value(field: str) -> str:
    """A raw field's value (``""`` and an empty field both read as the empty string)."""
    return field[1:-1].replace('""', '"') if field.startswith('"') else field


def _raw(value: str) -> str:
    """A value as a CSV field, quoted when it must be (``ZERO_LENGTH``: a quoted empty field)."""
    if value == ZERO_LENGTH:
        return '""'
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value


def _row(header: list[str], record: list[str]) -> Row:
    return {h: _value(f) for h, f in zip(header, record)}
