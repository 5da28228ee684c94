"""The generic, spec-driven column generator: one SQL expression per column from its kind, domain,
foreign key, nullability and length, unless ``realism.py`` gives the column its own logic."""

from __future__ import annotations

from mimic_qa.spec.models import Column, Table
from mimic_qa.synth import realism, text, vocab
from mimic_qa.synth.calibration import Calibrated, delta
from mimic_qa.synth.counts import DICTIONARIES
from mimic_qa.synth.sqlfn import pick

PARENT_KEYS = ("subject_id", "hadm_id", "stay_id")
END_TIMES = ("endtime", "stoptime", "outtime")


def dictionary_fk(table: Table, column: str) -> tuple[str, str] | None:
    """(pick alias, referenced column) when ``column`` references a dictionary table."""
    for fk in table.foreign_keys:
        if column in fk.columns and fk.ref_table in DICTIONARIES:
            return f"fk_{fk.name}", fk.ref_columns[fk.columns.index(column)]
    return None


def _domain_expr(table: Table, col: Column, tag: str) -> str | None:
    for d in table.domains:
        if d.column != col.name:
            continue
        if d.values is not None:
            return pick(d.values, tag)
        if d.min is not None and d.max is not None:
            if col.kind == "integer":
                return f"({int(d.min)} + h('{tag}', d._src) % {int(d.max - d.min + 1)})"
            return f"round({d.min} + u('{tag}', d._src) * {d.max - d.min}, 2)"
    return None


def _timestamp_expr(table: Table, col: Column, tag: str, cal: Calibrated) -> str:
    rules = {r.name for r in table.rules}
    name = col.name
    if name.startswith("store"):
        ahead = delta(cal, table.name, name, default=f"d._t0 + secs(60 + 3600 * u('{tag}', d._src))")
        if "charttime_le_storetime" in rules:
            return f"CASE WHEN d._q_charttime_le_storetime THEN d._t0 - secs(60 + 3000 * u('{tag}', d._src)) ELSE {ahead} END"
        return ahead
    if name in END_TIMES:
        return delta(cal, table.name, name, default=f"d._t0 + secs(600 + 3600 * 24 * u('{tag}', d._src))")
    return delta(cal, table.name, name)


def _kind_expr(col: Column, tag: str) -> str:
    kind = col.kind
    if kind == "integer":
        return "d._k + 1" if col.name.endswith("seq_num") or col.name.endswith("_seq") else f"(h('{tag}', d._src) % 100)"
    if kind == "float":
        return f"round(u('{tag}', d._src) * 100, 2)"
    if kind == "date":
        return "CAST(d._t0 AS DATE)"
    if (col.max_length or 99) <= 2:
        return pick(["Y", "N"], tag)
    return text.words_expr(vocab.WORDS, tag, 3)


def column_expr(table: Table, col: Column, overrides: dict[str, str], cal: Calibrated) -> str:
    """SQL for one column over the row context ``d`` (and the dictionary picks ``fk_*``): the table's own logic
    (``realism``), else the demo's distribution (``calibration``), else a generic value from the spec."""
    tag = f"{table.name}.{col.name}"
    if col.name in overrides:
        expr = overrides[col.name]
        nullable_generic = False
    elif (table.name, col.name) in cal.columns:
        expr = cal.columns[(table.name, col.name)]
        if col.kind == "integer":
            expr = f"round({expr})"
        nullable_generic = False
    elif (pick := dictionary_fk(table, col.name)) is not None:
        expr, nullable_generic = f"{pick[0]}.{pick[1]}", True
    elif col.name in PARENT_KEYS:
        return f"d.{col.name}"
    elif col.kind == "integer" and (col.name.endswith("seq_num") or col.name.endswith("_seq")):
        # a rank within the parent (1, 2, ...), even where the spec gives seq_num a range: a random
        # draw from the range repeats within one admission and breaks keys such as diagnoses_icd's
        expr, nullable_generic = "d._k + 1", True
    else:
        dom = _domain_expr(table, col, tag)
        if dom is not None:
            expr = dom
        elif col.kind == "timestamp":
            expr = _timestamp_expr(table, col, tag, cal)
        else:
            expr = _kind_expr(col, tag)
        nullable_generic = True
    if col.kind == "string" and col.max_length:
        expr = f"left({expr}, {col.max_length})"
    if col.nullable and nullable_generic:
        rate = cal.null_rate(table.name, col.name)
        if rate is None:
            rate = realism.NULL_RATES.get(col.name, realism.DEFAULT_NULL_RATE)
        if rate > 0:
            expr = f"CASE WHEN u('{tag}.null', d._src) < {rate} THEN NULL ELSE {expr} END"
    return expr
