"""Fault injection: named, documented damage to a synthetic release, each recorded with the check ids a
correct validator must fail. Content faults change the DuckDB tables before writing (the checksums then
describe the damaged files); byte faults change files after SHA256SUMS.txt is written."""

from __future__ import annotations

import gzip
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mimic_qa.checks.definition import check_id
from mimic_qa.checks.kinds.column_type import ColumnType
from mimic_qa.checks.kinds.columns import Columns
from mimic_qa.checks.kinds.domain import DomainKind
from mimic_qa.checks.kinds.file_present import FilePresent
from mimic_qa.checks.kinds.file_readable import FileReadable
from mimic_qa.checks.kinds.file_sha256 import FileSha256
from mimic_qa.checks.kinds.fk import ForeignKey
from mimic_qa.checks.kinds.not_null import NotNull
from mimic_qa.checks.kinds.pk import PrimaryKey
from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.checks.kinds.rule import RuleKind
from mimic_qa.checks.kinds.sha256sums_listed import Sha256sumsListed
from mimic_qa.errors import UsageError
from mimic_qa.sources.database import one_row, scalar
from mimic_qa.spec import Spec
from mimic_qa.spec.models import Table


@dataclass(frozen=True)
class Fault:
    name: str
    stage: str  # "content" (tables), "bytes" (a file before checksums), "file" (after checksums), "phi"
    target: str  # what the optional ':TARGET' names
    default: str
    effect: str


FAULTS: dict[str, Fault] = {f.name: f for f in [
    Fault("missing-file", "file", "table", "hosp.admissions", "Deletes the table's .csv.gz (still listed in SHA256SUMS.txt)."),
    Fault("empty-file", "file", "table", "hosp.admissions", "Truncates the table's .csv.gz to 0 bytes."),
    Fault("truncated-gzip", "file", "table", "hosp.labevents", "Cuts the .csv.gz in half: the gzip stream ends early."),
    Fault("corrupt-gzip", "file", "table", "hosp.labevents",
          "Overwrites 4 KB in the middle of the compressed data so that inflating fails."),
    Fault("checksum-mismatch", "file", "table", "hosp.admissions", "Changes the file's SHA256SUMS.txt entry (file intact)."),
    Fault("non-utf8", "bytes", "table", "hosp.labevents", "Puts the bytes 0xFF 0xFE inside a text field of the first data row."),
    Fault("missing-row", "content", "table", "hosp.labevents", "Deletes one row no other table references."),
    Fault("extra-row", "content", "table", "hosp.labevents", "Appends a copy of a row with fresh key values."),
    Fault("duplicate-pk", "content", "table", "hosp.labevents", "Overwrites one unreferenced row with an exact copy of another."),
    Fault("orphan-fk", "content", "fk check id", "hosp.labevents.fk.itemid", "Points one row's foreign key at a parent that does not exist."),
    Fault("null-in-not-null", "content", "table.column", "hosp.admissions.admittime", "Empties a NOT NULL field in one row."),
    Fault("unparseable-value", "content", "table.column", "hosp.admissions.admittime", "Writes a value that does not parse as the column's type."),
    Fault("out-of-domain", "content", "domain check id", "hosp.patients.domain.gender", "Writes a value outside the column's documented domain."),
    Fault("time-order", "content", "rule check id", "icu.icustays.rule.intime_le_outtime", "Breaks a time-order rule in more rows than the known quirk explains."),
    Fault("renamed-column", "content", "table", "hosp.admissions", "Renames the table's last column in the header."),
    Fault("reordered-columns", "content", "table", "hosp.admissions", "Swaps the table's first two columns."),
    Fault("missing-column", "content", "table", "hosp.admissions", "Drops the table's last column."),
    Fault("extra-column", "content", "table", "hosp.admissions", "Adds a column 'extra_column' at the end."),
    Fault("phi", "phi", "entity type(s), '+'-separated", "all",
          "Injects fake identifiers into free-text columns; exact spans go to phi-ground-truth.jsonl."),
]}


def list_faults() -> str:
    """One line per fault: name, target, default, effect (for --list-faults)."""
    return "\n".join(f"{f.name:<19} [:{f.target}, default {f.default}]  {f.effect}" for f in FAULTS.values())


@dataclass(frozen=True)
class Request:
    fault: Fault
    target: str


def parse(inject: list[str], spec: Spec) -> list[Request]:
    """Validate ``NAME[:TARGET]`` strings; unknown names or targets are a UsageError."""
    out = []
    for item in inject:
        name, _, target = item.partition(":")
        if name not in FAULTS:
            raise UsageError(f"unknown fault {name!r} (see mimic-qa synth --list-faults)")
        req = Request(FAULTS[name], target or FAULTS[name].default)
        _validate_target(spec, req)
        out.append(req)
    return out


def _validate_target(spec: Spec, req: Request) -> None:
    """Fail early (before any generation) on a target that does not exist."""
    kind = req.fault.target
    if kind == "table":
        resolve_table(spec, req.target)
    elif kind == "table.column":
        t, col = _column_target(spec, req.target)
        if req.fault.name == "null-in-not-null" and t.column(col).nullable:
            raise UsageError(f"{t.name}.{col} is nullable; null-in-not-null needs a NOT NULL column")
        if req.fault.name == "unparseable-value" and t.column(col).kind == "string":
            raise UsageError(f"{t.name}.{col} is text, so every value parses; choose a typed column")
    elif kind.endswith("check id"):
        check = kind.split()[0]
        t, name = _check_target(spec, req.target, check)
        names = {"fk": [f.name for f in t.foreign_keys], "domain": [d.column for d in t.domains],
                 "rule": [r.name for r in t.rules]}[check]
        if name not in names:
            raise UsageError(f"{t.name} has no {check} check {name!r}; choose from {', '.join(names) or 'none'}")
        if check == "rule" and not re.fullmatch(r"\w+ <= \w+", next(r.expr for r in t.rules if r.name == name)):
            raise UsageError(f"{req.target!r} is not a time-order rule ('a <= b')")
    elif req.fault.stage == "phi":
        from mimic_qa.synth.phi import parse_entities
        parse_entities(req.target)


def resolve_table(spec: Spec, target: str) -> Table:
    name = target.split(".")[-1]
    if name not in spec.tables or (target.count(".") == 1 and target.split(".")[0] != spec.tables[name].module):
        raise UsageError(f"unknown table {target!r} in a fault target")
    return spec.tables[name]


def _column_target(spec: Spec, target: str) -> tuple[Table, str]:
    parts = target.split(".")
    for i in range(len(parts) - 1):
        if parts[i] in spec.tables:
            t = spec.tables[parts[i]]
            col = parts[-1]
            if col in t.column_names:
                return t, col
    raise UsageError(f"fault target {target!r} does not name a table column (e.g. hosp.admissions.admittime)")


def _check_target(spec: Spec, target: str, kind: str) -> tuple[Table, str]:
    m = re.fullmatch(rf"(?:(hosp|icu)\.)?(\w+)\.{kind}\.(\w+)", target)
    if not m or m.group(2) not in spec.tables:
        raise UsageError(f"fault target {target!r} is not a {kind} check id (e.g. hosp.labevents.{kind}.itemid)")
    return spec.tables[m.group(2)], m.group(3)


def _q(t: Table) -> str:
    return t.qualified_name


def _lit(v) -> str:
    return "NULL" if v is None else ("'" + str(v).replace("'", "''") + "'" if isinstance(v, str) else str(v))


class ContentFaults:
    """Applies content faults to the materialized tables of one generation run."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec) -> None:
        self.con, self.spec = con, spec
        # the tables this run holds (a module's copy references another project's tables it does not write)
        self.present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}

    def _children(self, t: Table) -> list[tuple[Table, list[str], list[str]]]:
        return [(c, fk.columns, fk.ref_columns) for c in self.spec.tables.values() for fk in c.foreign_keys
                if fk.ref_table == t.name and c.name in self.present and fk.where is None]

    def _free_row(self, t: Table, skip: int | None = None) -> int:
        """_i of a row (preferably the last) that no other row references."""
        conds = []
        for child, cols, refs in self._children(t):
            on = " AND ".join(f'c."{a}" = x."{b}"' for a, b in zip(cols, refs))
            conds.append(f'NOT EXISTS (SELECT 1 FROM "{child.name}" c WHERE {on})')
        where = " AND ".join(conds + ([f"x._i <> {skip}"] if skip is not None else [])) or "TRUE"
        row = scalar(self.con, f'SELECT max(_i) FROM "{t.name}" x WHERE {where}')
        if row is None:
            raise UsageError(f"every row of {t.name} is referenced; choose another table for this fault")
        return row

    def _row_for(self, t: Table, column: str) -> int:
        """A row whose ``column`` may change: unreferenced if other tables reference that column, else the last."""
        if any(column in refs for _, _, refs in self._children(t)):
            return self._free_row(t)
        return scalar(self.con, f'SELECT max(_i) FROM "{t.name}"')

    def _rules_on(self, t: Table, column: str) -> list[str]:
        return [check_id(t, RuleKind.name, r.name) for r in t.rules if re.search(rf"\b{column}\b", r.expr)]

    def _fks_on(self, t: Table, column: str) -> list[str]:
        return [check_id(t, ForeignKey.name, fk.name) for fk in t.foreign_keys if column in fk.columns]

    def apply(self, req: Request) -> dict:
        return getattr(self, req.fault.name.replace("-", "_"))(req.target)

    def missing_row(self, target: str) -> dict:
        t = resolve_table(self.spec, target)
        self.con.execute(f'DELETE FROM "{t.name}" WHERE _i = {self._free_row(t)}')
        return {"fault": "missing-row", "table": _q(t), "check_ids": [check_id(t, RowCount.name)], "rows": 1}

    def extra_row(self, target: str) -> dict:
        t = resolve_table(self.spec, target)
        keys = t.primary_key or (t.candidate_keys[0].columns if t.candidate_keys else [])
        fk_cols = {c for fk in t.foreign_keys for c in fk.columns}
        ruled = {c for r in t.rules for c in t.column_names if re.search(rf"\b{c}\b", r.expr)}
        domained = {d.column for d in t.domains if d.values is not None or d.pattern is not None}
        free = [c for c in keys if c not in fk_cols | ruled | domained]
        free.sort(key=lambda c: t.column(c).kind != "integer")
        src = self._free_row(t)
        change = ""
        if free:
            c = free[0]
            if t.column(c).kind == "integer":
                change = f'REPLACE ((SELECT max("{c}") FROM "{t.name}") + 1 AS "{c}", '
            else:
                change = f"REPLACE (\"{c}\" || '*' AS \"{c}\", "
        elif keys:
            raise UsageError(f"extra-row cannot make a fresh key for {t.name}; choose another table")
        new_i = f'(SELECT max(_i) + 1 FROM "{t.name}")'
        change = change + f"{new_i} AS _i)" if change else f"REPLACE ({new_i} AS _i)"
        self.con.execute(f'INSERT INTO "{t.name}" SELECT * {change} FROM "{t.name}" WHERE _i = {src}')
        return {"fault": "extra-row", "table": _q(t), "check_ids": [check_id(t, RowCount.name)], "rows": 1}

    def duplicate_pk(self, target: str) -> dict:
        t = resolve_table(self.spec, target)
        if not t.primary_key:
            raise UsageError(f"{t.name} has no declared primary key; duplicate-pk needs one")
        victim = self._free_row(t)
        src = scalar(self.con, f'SELECT min(_i) FROM "{t.name}" WHERE _i <> {victim}')
        self.con.execute(f'DELETE FROM "{t.name}" WHERE _i = {victim}')
        self.con.execute(f'INSERT INTO "{t.name}" SELECT * REPLACE ({victim} AS _i) FROM "{t.name}" WHERE _i = {src}')
        return {"fault": "duplicate-pk", "table": _q(t), "columns": t.primary_key, "check_ids": [check_id(t, PrimaryKey.name)], "rows": 1}

    def orphan_fk(self, target: str) -> dict:
        t, name = _check_target(self.spec, target, "fk")
        fk = next((f for f in t.foreign_keys if f.name == name), None)
        if fk is None:
            raise UsageError(f"{t.name} has no foreign key {name!r}")
        notnull = " AND ".join(f'"{c}" IS NOT NULL' for c in fk.columns)
        row = scalar(self.con, f'SELECT max(_i) FROM "{t.name}" WHERE {notnull}')
        old = one_row(self.con, f'SELECT {", ".join(chr(34) + c + chr(34) for c in fk.columns)} FROM "{t.name}" '
                               f"WHERE _i = {row}")
        col, ref_col = fk.columns[0], fk.ref_columns[0]
        ref_where = " AND ".join(f'"{rc}" = {_lit(v)}' for rc, v in zip(fk.ref_columns[1:], old[1:]))
        exists = f'SELECT count(*) FROM "{fk.ref_table}" WHERE "{ref_col}" = ? ' + (f"AND {ref_where}" if ref_where else "")
        if t.column(col).kind == "integer":
            new = scalar(self.con, f'SELECT max("{ref_col}") + 1 FROM "{fk.ref_table}"')
        else:
            limit = t.column(col).max_length or 99
            base = str(old[0])[: limit - 1]
            new = next(c for c in (base + ch for ch in "0123456789ZYXWVUTSRQPONMLKJIHGFEDCBA")
                       if scalar(self.con, exists, [c]) == 0)
        self.con.execute(f'UPDATE "{t.name}" SET "{col}" = ? WHERE _i = {row}', [new])
        ids = [check_id(t, ForeignKey.name, fk.name)] + self._rules_on(t, col)
        return {"fault": "orphan-fk", "table": _q(t), "column": col, "relation": check_id(t, ForeignKey.name, fk.name),
                "check_ids": ids, "rows": 1}

    def null_in_not_null(self, target: str) -> dict:
        t, col = _column_target(self.spec, target)
        if t.column(col).nullable:
            raise UsageError(f"{t.name}.{col} is nullable; null-in-not-null needs a NOT NULL column")
        self.con.execute(f'UPDATE "{t.name}" SET "{col}" = NULL WHERE _i = {self._row_for(t, col)}')
        ids = [check_id(t, NotNull.name, col)] + ([check_id(t, PrimaryKey.name)] if col in (t.primary_key or []) else [])
        return {"fault": "null-in-not-null", "table": _q(t), "column": col, "check_ids": ids, "rows": 1}

    def unparseable_value(self, target: str) -> dict:
        t, col = _column_target(self.spec, target)
        kind = t.column(col).kind
        bad = {"integer": "n/a", "float": "1.2.3", "date": "2150-02-30", "timestamp": "2150-02-30 25:61:00"}.get(kind)
        if bad is None:
            raise UsageError(f"{t.name}.{col} is text, so every value parses; choose a typed column")
        self.con.execute(f'ALTER TABLE "{t.name}" ALTER "{col}" TYPE VARCHAR')
        self.con.execute(f'UPDATE "{t.name}" SET "{col}" = ? WHERE _i = {self._row_for(t, col)}', [bad])
        return {"fault": "unparseable-value", "table": _q(t), "column": col, "check_ids": [check_id(t, ColumnType.name, col)],
                "rows": 1}

    def out_of_domain(self, target: str) -> dict:
        t, col = _check_target(self.spec, target, "domain")
        dom = next((d for d in t.domains if d.column == col), None)
        if dom is None:
            raise UsageError(f"{t.name} has no domain on {col!r}")
        c = t.column(col)
        new: int | float | str
        if dom.values is not None:
            new = (max(int(v) for v in dom.values) + 7) if c.kind in ("integer", "float") else "X" * min(3, c.max_length or 3)
            if new in dom.values:
                new = "Q"
        elif dom.pattern is not None:
            new = "#" * min(6, c.max_length or 6)
        else:
            bound = (dom.max + 1) if dom.max is not None else (dom.min or 0) - 1
            new = int(bound) if c.kind == "integer" else bound
        self.con.execute(f'UPDATE "{t.name}" SET "{col}" = ? WHERE _i = {self._row_for(t, col)}', [new])
        ids = [check_id(t, DomainKind.name, col)] + self._fks_on(t, col) + self._rules_on(t, col)
        return {"fault": "out-of-domain", "table": _q(t), "column": col, "check_ids": ids, "rows": 1}

    def time_order(self, target: str) -> dict:
        t, name = _check_target(self.spec, target, "rule")
        rule = next((r for r in t.rules if r.name == name), None)
        m = re.fullmatch(r"(\w+) <= (\w+)", rule.expr) if rule else None
        if rule is None or m is None:
            raise UsageError(f"{target!r} is not a time-order rule ('a <= b')")
        a, b = m.groups()
        check = check_id(t, RuleKind.name, name)
        quirk = self.spec.quirk_for(check)
        n_rows = scalar(self.con, f'SELECT count(*) FROM "{t.name}"')
        now = scalar(self.con, f'SELECT count(*) FROM "{t.name}" WHERE NOT ({rule.expr})')
        rows = max(1, (quirk.tolerance(n_rows) if quirk else 0) - now + 1)
        self.con.execute(f'''UPDATE "{t.name}" SET "{b}" = "{a}" - INTERVAL 1 HOUR WHERE _i IN (
                             SELECT _i FROM "{t.name}" WHERE ({rule.expr}) ORDER BY _i DESC LIMIT {rows})''')
        ids = [check] + [i for i in self._rules_on(t, b) if i != check]
        return {"fault": "time-order", "table": _q(t), "column": b, "check_ids": ids, "rows": rows}

    def _columns_fault(self, target: str, fault: str, change: Callable[[Table, list[str]], str]) -> dict:
        t = resolve_table(self.spec, target)
        cols = [r[0] for r in self.con.execute(f'DESCRIBE "{t.name}"').fetchall() if r[0] != "_i"]
        self.con.execute(f'CREATE OR REPLACE TABLE "{t.name}" AS SELECT {change(t, cols)}, _i FROM "{t.name}" ORDER BY _i')
        return {"fault": fault, "table": _q(t), "check_ids": [check_id(t, Columns.name)], "rows": 0}

    def renamed_column(self, target: str) -> dict:
        return self._columns_fault(target, "renamed-column", lambda t, c: ", ".join(
            f'"{x}"' for x in c[:-1]) + f', "{c[-1]}" AS "{c[-1]}_renamed"')

    def reordered_columns(self, target: str) -> dict:
        return self._columns_fault(target, "reordered-columns",
                                   lambda t, c: ", ".join(f'"{x}"' for x in [c[1], c[0], *c[2:]]))

    def missing_column(self, target: str) -> dict:
        return self._columns_fault(target, "missing-column", lambda t, c: ", ".join(f'"{x}"' for x in c[:-1]))

    def extra_column(self, target: str) -> dict:
        return self._columns_fault(target, "extra-column",
                                   lambda t, c: ", ".join(f'"{x}"' for x in c) + ", 'x' AS extra_column")


# --- byte-level faults --------------------------------------------------------------------------------

def inject_non_utf8(path: Path, t: Table) -> dict:
    """Rewrite the file with 0xFF 0xFE appended inside the first string field of the first data row."""
    import csv
    import io

    from isal import igzip

    with gzip.open(path, "rb") as f:
        head, first, rest = f.readline(), f.readline(), f.read()
    fields = next(csv.reader([first.decode("utf-8")]))
    col = next((i for i, c in enumerate(t.columns) if c.kind == "string"), None)
    if col is None or col >= len(fields):
        raise UsageError(f"{t.name} has no text column for non-utf8")
    fields[col] += "\u0000MARK"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(fields)
    line = buf.getvalue().encode("utf-8").replace(b"\x00MARK", b"\xff\xfe")
    with open(path, "wb") as raw, igzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0, filename="") as gz:
        gz.write(head + line + rest)
    return {"fault": "non-utf8", "table": t.qualified_name, "column": t.columns[col].name,
            "check_ids": [check_id(t, FileReadable.name)], "rows": 1}


def file_fault(root: Path, req: Request, t: Table) -> dict:
    """The record of a post-checksum file fault (apply it with ``apply_file_fault``)."""
    present, readable, sha256 = (check_id(t, k.name) for k in (FilePresent, FileReadable, FileSha256))
    ids = {
        "missing-file": [present, check_id(None, Sha256sumsListed.name)],
        "empty-file": [readable, sha256],
        "truncated-gzip": [readable, sha256],
        "corrupt-gzip": [readable, sha256],
        "checksum-mismatch": [sha256],
    }[req.fault.name]
    return {"fault": req.fault.name, "table": t.qualified_name, "file": t.file, "check_ids": ids, "rows": 0}


CRC_ONLY = ("incorrect data check", "incorrect length check")  # zlib's messages for a bad gzip trailer
SPAN = 4096  # bytes of the deflate data overwritten


def _corrupt(raw: bytes, tries: int = 64) -> bytes:
    """The gzip file with ``SPAN`` bytes in the middle of its deflate data overwritten by seeded noise, the first
    noise with which inflating fails on the data itself (an invalid block, code or distance), not only on the
    trailing CRC: a reader that skips the CRC (DuckDB's) would otherwise decode garbage and see malformed CSV
    lines instead of a damaged file."""
    middle = 10 + (len(raw) - 18) // 2  # inside the deflate data, past the 10-byte header
    lo, hi = middle, min(middle + SPAN, len(raw) - 8)
    data = bytearray(raw)
    for seed in range(tries):
        data[lo:hi] = random.Random(seed).randbytes(hi - lo)
        try:
            zlib.decompressobj(wbits=31).decompress(bytes(data))
        except zlib.error as exc:
            if not any(m in str(exc) for m in CRC_ONLY):
                break
    return bytes(data)


def apply_file_fault(root: Path, req: Request, t: Table) -> None:
    path = root / t.file
    name = req.fault.name
    if name == "missing-file":
        path.unlink()
    elif name == "empty-file":
        path.write_bytes(b"")
    elif name == "truncated-gzip":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif name == "corrupt-gzip":
        path.write_bytes(_corrupt(path.read_bytes()))
    elif name == "checksum-mismatch":
        sums = root / "SHA256SUMS.txt"
        lines = sums.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            digest, rel = line.split(" ", 1)
            if rel == t.file:
                digest = digest[:-1] + ("0" if digest[-1] != "0" else "1")
            out.append(f"{digest} {rel}")
        sums.write_text("\n".join(out) + "\n", encoding="utf-8")
