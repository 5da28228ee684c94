"""The calibration the package ships (``data/calibration.json``, derived from the real demo 2.2 by
``calibrate.py``), installed into a generator's DuckDB connection as lookup lists, and the SQL that draws from it.

Draws are vectorised and seeded like every other column: a categorical group (one or more columns drawn as a
tuple) is a list of ``SLOTS`` indices into its tuples, so one uniform number picks a tuple with its real share;
a numeric column or an item's measure is a list of quantiles, sampled by linear interpolation (the inverse CDF).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import duckdb

from mimic_qa.sources.csv_loader import csv_read
from mimic_qa.sources.database import scalar
from mimic_qa.spec import Spec

DATA_DIR = Path(__file__).parent / "data"
SLOTS = 1000
COPIED = ("d_hcpcs", "d_icd_diagnoses", "d_icd_procedures", "d_labitems", "d_items")  # shipped from the demo


@cache
def load() -> dict:
    """The shipped calibration (parsed once per process)."""
    return json.loads((DATA_DIR / "calibration.json").read_text(encoding="utf-8"))


def dictionary_file(table: str) -> Path:
    """The demo's own dictionary table (ODbL), shipped byte for byte."""
    return DATA_DIR / "dictionaries" / f"{table}.csv.gz"


def slots(p: list[float], n: int = SLOTS) -> list[int]:
    """``n`` 1-based indices into ``p``'s entries, each entry getting a run proportional to its share."""
    out, acc, k = [], 0.0, 0
    total = sum(p) or 1.0
    for i in range(n):
        mid = (i + 0.5) / n * total
        while k < len(p) - 1 and acc + p[k] <= mid:
            acc += p[k]
            k += 1
        out.append(k + 1)
    return out


def _key(*parts: str) -> str:
    return "_".join(parts).replace(".", "_")


class Calibrated:
    """The calibration in one generator connection: which columns it covers and the SQL drawing each one, and
    the draws the table logic (``realism``) asks for. Lists live in DuckDB variables, set on first use."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec, release: str, data: dict | None = None) -> None:
        self.con, self.spec, self.release = con, spec, release
        self.demo = spec.release(release).kind == "demo"  # imitating the demo itself, not a full release
        self.data = data if data is not None else load()
        self.columns: dict[tuple[str, str], str] = {}  # (table, column) -> SQL over the row context d
        self._vars: set[str] = set()
        for table, groups in self.data["categorical"].items():
            for g in groups:
                self._group(table, g)
        for table, cols in self.data["numeric"].items():
            for col, num in cols.items():
                self._numeric(table, col, num)

    # --- variables ------------------------------------------------------------------------------------------
    def var(self, name: str, sql_type: str, value: list) -> str:
        """Set a list variable in the connection (once per name and content); returns the SQL reading it."""
        digest = hashlib.sha1(json.dumps([sql_type, value]).encode()).hexdigest()[:10]
        name = f"{name}_{digest}"
        if name not in self._vars:
            self.con.execute(f"SET VARIABLE {name} = CAST(? AS {sql_type}[])", [value])
            self._vars.add(name)
        return f"getvariable('{name}')"

    def null_rate(self, table: str, col: str) -> float | None:
        """The column's real NULL share (None: not in the demo)."""
        return self.data["nulls"].get(table, {}).get(col)

    def _type(self, table: str, col: str) -> str:
        return self.spec.tables[table].column(col).sql_type("duckdb")

    # --- draws ----------------------------------------------------------------------------------------------
    def pick_group(self, table: str, group: dict, tag: str, idx: str = "d._src", *, null_tag: str | None = None
                   ) -> dict[str, str]:
        """SQL per column of a categorical group (NULL with the group's real share)."""
        key = _key("cg", table, tag)
        cols = group["columns"]
        if not group["values"]:
            return {c: "NULL" for c in cols}
        sl = self.var(f"{key}_s", "INTEGER", slots(group["p"]))
        out = {}
        pick = f"{sl}[1 + floor(u('{tag}', {idx}) * {SLOTS})::BIGINT]"
        for i, c in enumerate(cols):
            typ = self._type(table, c) if c in self.spec.tables[table].column_names else "VARCHAR"
            vals = self.var(f"{key}_{i}", typ, [v[i] for v in group["values"]])
            out[c] = f"{vals}[{pick}]"
        nt = null_tag or f"{tag}.null"
        if group["null"] > 0:
            out = {c: f"CASE WHEN u('{nt}', {idx}) < {group['null']} THEN NULL ELSE {e} END" for c, e in out.items()}
        return out

    def documented(self, table: str, g: dict) -> dict:
        """A single column's group with the share the small-cell rule withheld given back, spread evenly over the
        values the spec documents for the column that the demo's common ones do not include (documentation, not
        patient data: the demo contributes only the withheld share)."""
        cols = g["columns"]
        if len(cols) != 1 or not g["values"] or g.get("kept", 1.0) >= 1.0:
            return g
        domain = next((d.values for d in self.spec.tables[table].domains if d.column == cols[0] and d.values), None)
        seen = {v[0] for v in g["values"]}
        extra = [v for v in domain or [] if v not in seen]
        if not extra:
            return g
        kept = g["kept"]
        return {**g, "values": g["values"] + [[v] for v in extra],
                "p": [p * kept for p in g["p"]] + [(1 - kept) / len(extra)] * len(extra)}

    def _group(self, table: str, g: dict) -> None:
        g = self.documented(table, g)
        tag = f"c.{table}.{g['columns'][0]}"
        null_tag = f"c.{table}.{g['null_of']}.null" if g.get("null_of") else None
        self.columns.update({(table, c): e for c, e in self.pick_group(table, g, tag, null_tag=null_tag).items()})

    def quantile(self, q: list[float], tag: str, idx: str = "d._src", digits: int | None = None,
                 at: str | None = None) -> str:
        """SQL drawing from the distribution given by quantiles ``q`` (a Python list), at probability ``at``
        (SQL in [0, 1); default a fresh uniform draw)."""
        key = _key("cq", tag)
        return qdraw(self.var(key, "DOUBLE", q), at or f"u('{tag}', {idx})", digits)

    def _numeric(self, table: str, col: str, num: dict) -> None:
        tag = f"c.{table}.{col}"
        if num["q"] is None:
            self.columns[(table, col)] = "NULL"
            return
        expr = self.quantile(num["q"], tag, digits=num["digits"])
        nt = f"c.{table}.{num['null_of']}.null" if num.get("null_of") else f"{tag}.null"
        if num["null"] > 0:
            expr = f"CASE WHEN u('{nt}', d._src) < {num['null']} THEN NULL ELSE {expr} END"
        self.columns[(table, col)] = expr

    # --- items of the event tables ------------------------------------------------------------------------------
    def items(self, table: str) -> dict | None:
        return self.data["items"].get(table)

    def item_pick_table(self, table: str, ref: str, by_rank: bool = False) -> tuple[str, int]:
        """A pick table over the items the demo's ``table`` uses (from the materialized dictionary ``ref``):
        ``_di`` 0..SLOTS-1 with each item on a run of slots proportional to its real share (``by_rank``: one row
        per item, ``_di`` its rank), the item's dictionary columns, and its distributions: ``_null`` and ``_q``
        (the measure), ``_xs`` / ``_x<j>`` / ``_xnull`` (the tuple of the item's other columns)."""
        cal = self.data["items"][table]
        name = f"k_cal_{table}"
        extra = cal["columns"]
        t = self.spec.tables[table]
        xcols = ", ".join(f"_x{j} {t.column(c).sql_type('duckdb')}[]" for j, c in enumerate(extra))
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE _cal_items (_it INTEGER, itemid BIGINT, _null DOUBLE, "
                         f"_q DOUBLE[], _xs INTEGER[], _xnull DOUBLE{', ' + xcols if xcols else ''})")
        rows = []
        for k, e in enumerate(cal["items"]):
            x = e["extra"]
            rows.append([k + 1, e["itemid"], e.get("null", 0.0), e.get("q") or [0.0],
                         slots(x["p"], 200) if x["values"] else [], x["null"],
                         *[[v[j] for v in x["values"]] for j in range(len(extra))]])
        marks = ", ".join("?" * len(rows[0]))
        self.con.executemany(f"INSERT INTO _cal_items VALUES ({marks})", rows)
        if by_rank:
            di = "SELECT _it - 1 AS _di, _it FROM _cal_items"
        else:
            di = f"SELECT unnest(range({SLOTS})) AS _di, unnest(?) AS _it"
        params = [] if by_rank else [slots([e["p"] for e in cal["items"]])]
        self.con.execute(f'CREATE OR REPLACE TABLE {name} AS SELECT s._di, d.* EXCLUDE (_i), i.* EXCLUDE (_it, itemid) '
                         f'FROM ({di}) s JOIN _cal_items i USING (_it) JOIN "{ref}" d USING (itemid) ORDER BY s._di',
                         params)
        size = scalar(self.con, f"SELECT count(*) FROM {name}")
        return name, size

    def item_measure(self, table: str, alias: str, tag: str) -> str:
        """SQL: the picked item's measure (NULL with the item's own share)."""
        digits = self.data["items"][table]["digits"]
        return (f"CASE WHEN u('{tag}.null', d._src) < {alias}._null THEN NULL "
                f"ELSE round(qdraw({alias}._q, u('{tag}', d._src)), {digits}) END")

    def item_extra(self, table: str, alias: str, col: str, tag: str) -> str:
        """SQL: one of the picked item's other columns, drawn as a tuple with the rest (one draw per row)."""
        j = self.data["items"][table]["columns"].index(col)
        pick = f"{alias}._xs[1 + floor(u('{tag}.x', d._src) * len({alias}._xs))::BIGINT]"
        return f"CASE WHEN u('{tag}.xnull', d._src) < {alias}._xnull THEN NULL ELSE {alias}._x{j}[{pick}] END"


def delta(cal: Calibrated, table: str, col: str, base: str = "d._t0", default: str | None = None) -> str:
    """SQL: ``base`` plus the demo's offset of ``col`` from the table's main time (``default`` if not calibrated)."""
    d = cal.data["timing"].get(table, {}).get("deltas", {}).get(col)
    if d is None or d["q"] is None:
        return default if default is not None else base
    return f"{base} + secs({cal.quantile(d['q'], f'dt.{table}.{col}')})"


def qdraw(q: str, x: str, digits: int | None = None) -> str:
    """SQL: the inverse CDF given by the quantile list ``q`` (SQL) at ``x`` in [0, 1), linearly interpolated."""
    expr = f"qdraw({q}, {x})"
    return f"round({expr}, {digits})" if digits is not None else expr


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """``qdraw(q, x)``: linear interpolation of the quantile list q (on an even grid) at probability x."""
    con.execute("CREATE OR REPLACE MACRO qpos(q, x) AS least(greatest(x, 0.0), 0.999999999) * (len(q) - 1)")
    con.execute("CREATE OR REPLACE MACRO qdraw(q, x) AS q[1 + floor(qpos(q, x))::BIGINT] + "
                "(q[2 + floor(qpos(q, x))::BIGINT] - q[1 + floor(qpos(q, x))::BIGINT]) * (qpos(q, x) - floor(qpos(q, x)))")


def copy_dictionary_sql(table: str, spec: Spec) -> str:
    """SELECT of a shipped dictionary's rows, typed by the spec, in file order (column ``_i``)."""
    t = spec.tables[table]
    read = csv_read(dictionary_file(table), t.column_names, t.duckdb_types(t.column_names))
    return f"SELECT (row_number() OVER () - 1)::BIGINT AS _i, * FROM {read}"

