"""Builds every table as a DuckDB query over ``range()``: allocation of rows to parents, the row
context, quirks, dictionary picks and the per-column expressions (vectorised, seeded, ordered)."""

from __future__ import annotations

import duckdb

from mimic_qa.spec import Spec
from mimic_qa.synth import realism
from mimic_qa.synth.columns import column_expr
from mimic_qa.synth.counts import DICTIONARIES
from mimic_qa.synth.plans import ORDER, plan_for
from mimic_qa.synth.quirks import table_quirks

PATIENT_WINDOW = ("make_timestamp(anchor_year, 1, 1, 0, 0, 0) + secs(86400 * 300 * u('pt.ws', _i))",
                  f"{3 * 365 * 86400}")


class Builder:
    """Creates the allocation tables and row queries of one synthetic release in a DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec, counts: dict[str, int],
                 materialize: set[str]) -> None:
        self.con, self.spec, self.n = con, spec, counts
        self.materialize = materialize
        self.queries: dict[str, str] = {}  # table -> full query (streamed tables)
        self.materialized: set[str] = set()
        self._pick_sizes: dict[str, int] = {}

    # --- parents and allocations ------------------------------------------------------------------
    def _allocate(self, table: str) -> None:
        plan, n = plan_for(table), self.n[table]
        sib = " ".join(f"LEFT JOIN a_{s} s_{s} ON s_{s}._pi = p._pi" for s in plan.siblings)
        self.con.execute(f"""
            CREATE OR REPLACE TABLE a_{table} AS
            WITH p AS (SELECT p.*, ({plan.minimum})::BIGINT AS _m, greatest(1, ({plan.weight}))::BIGINT AS _w
                       FROM p_{plan.parent} p {sib} WHERE {plan.eligible}),
            r AS (SELECT *, row_number() OVER (ORDER BY h('{table}.elig', _pi), _pi) AS _r, count(*) OVER () AS _e FROM p),
            r2 AS (SELECT *, sum(_m) OVER (ORDER BY _r ROWS UNBOUNDED PRECEDING) AS _cm FROM r),
            s AS (SELECT * FROM r2 WHERE _r <= greatest(1, round({plan.share} * _e)) AND _cm <= {n}),
            c AS (SELECT *, sum(_m) OVER w - _m AS _mb, sum(_w) OVER w - _w AS _wb,
                         sum(_m) OVER () AS _mt, sum(_w) OVER () AS _wt
                  FROM s WINDOW w AS (ORDER BY _pi ROWS UNBOUNDED PRECEDING)),
            e AS (SELECT *, (_mb + (({n} - _mt)::HUGEINT * _wb) // _wt)::BIGINT AS _start FROM c),
            f AS (SELECT *, coalesce(lead(_start) OVER (ORDER BY _pi), {n}) - _start AS _n FROM e)
            SELECT * EXCLUDE (_m, _w, _r, _e, _cm, _mb, _wb, _mt, _wt),
                   min(_start) OVER (PARTITION BY subject_id) AS _sstart,
                   sum(_n) OVER (PARTITION BY subject_id) AS _scount
            FROM f WHERE _n > 0 ORDER BY _pi""")
        got = self.con.execute(f"SELECT coalesce(sum(_n), 0) FROM a_{table}").fetchone()[0]
        if got != n:
            raise RuntimeError(f"allocation of {table}: {got} rows instead of {n} (scale too small?)")

    def _parent_views(self, table: str) -> None:
        con = self.con
        if table == "patients":
            ws, span = PATIENT_WINDOW
            con.execute(f"""CREATE OR REPLACE TABLE p_patients AS SELECT _i AS _pi, subject_id, {ws} AS _ws,
                            {ws} + secs({span}) AS _we FROM patients ORDER BY _i""")
        elif table == "admissions":
            con.execute("""CREATE OR REPLACE TABLE p_admissions AS SELECT _i AS _pi, subject_id, hadm_id,
                           least(admittime, coalesce(dischtime, admittime)) AS _ws,
                           greatest(admittime, coalesce(dischtime, admittime)) AS _we, edregtime IS NOT NULL AS _ed
                           FROM admissions ORDER BY _i""")
            self._allocate("icustays")
            n_adm = self.n["admissions"]
            con.execute(f"""CREATE OR REPLACE TABLE p_visits AS
                SELECT a._pi, a.subject_id, a.hadm_id, a._ws, a._we, a._ed, coalesce(i._n, 0) AS _icu
                FROM p_admissions a LEFT JOIN a_icustays i USING (_pi)
                UNION ALL
                SELECT {n_adm} + row_number() OVER (ORDER BY p._pi) - 1, p.subject_id, NULL::INTEGER,
                       p._ws + secs(86400 * 700 * u('ed.v', p._pi)),
                       p._ws + secs(86400 * 700 * u('ed.v', p._pi) + 3600 * (2 + 10 * u('ed.l', p._pi))), TRUE, 0
                FROM p_patients p ANTI JOIN p_admissions a USING (subject_id)
                ORDER BY 1""")
        elif table == "icustays":
            con.execute("""CREATE OR REPLACE TABLE p_icustays AS SELECT _i AS _pi, subject_id, hadm_id, stay_id,
                           intime AS _ws, outtime AS _we FROM icustays ORDER BY _i""")

    # --- dictionary picks ---------------------------------------------------------------------------
    def _pick_table(self, table: str, ref: str) -> tuple[str, int]:
        name = f"k_{ref}" + (f"_{table}" if ref == "d_items" else "")
        if name not in self._pick_sizes:
            key = ", ".join(self.spec.tables[ref].primary_key or self.spec.tables[ref].candidate_keys[0].columns)
            where = f"WHERE linksto = '{table}'" if ref == "d_items" else ""
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT row_number() OVER (ORDER BY {key}) - 1 AS _di, "
                             f"* EXCLUDE (_i) FROM {ref} {where}")
            self._pick_sizes[name] = self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        return name, self._pick_sizes[name]

    # --- row queries --------------------------------------------------------------------------------
    def row_query(self, table: str, lo: int, hi: int) -> str:
        """SELECT of the table's rows [lo, hi): spec columns in file order, then the order column ``_i``."""
        t, plan, n = self.spec.tables[table], plan_for(table), self.n[table]
        quirks = table_quirks(self.spec, table, n)
        dup = [k for c, k in quirks.items() if (".unique." in c or c.endswith(".pk")) and k > 0]
        src = f"CASE WHEN _i > 0 AND every(_i, {dup[0]}, {n}, 7) THEN _i - 1 ELSE _i END" if dup else "_i"
        base = f"SELECT _i, {src} AS _src FROM range({lo}, {hi}) r(_i)"
        if plan.parent:
            ctx = (f"SELECT b._i, b._src, a.*, b._src - a._start AS _k FROM ({base}) b "
                   f"ASOF JOIN a_{table} a ON b._src >= a._start")
            t0 = (f"d0._ws + secs((d0._k + u('{table}.t0', d0._src)) * "
                  f"greatest(date_diff('second', d0._ws, d0._we), 0) / d0._n)")
        else:
            ctx, t0 = f"SELECT b._i, b._src, b._src AS _k, {n} AS _n FROM ({base}) b", "NULL::TIMESTAMP"
        flags = []
        for i, r in enumerate(t.rules):
            k = quirks.get(f"{t.module}.{table}.rule.{r.name}", 0)
            flags.append(f"every(d0._src, {k}, {n}, {13 + 101 * i}) AS _q_{r.name}")
        ctx = f"SELECT d0.*, {t0} AS _t0{''.join(', ' + f for f in flags)} FROM ({ctx}) d0"
        extras = realism.EXTRAS.get(table, {})
        if extras:
            ctx = f"SELECT d.*, {', '.join(f'{e} AS {k}' for k, e in extras.items())} FROM ({ctx}) d"
        joins = [f"LEFT JOIN a_{s} s_{s} ON s_{s}._pi = d._pi" for s in plan.siblings]
        for fk in t.foreign_keys:
            if fk.ref_table in DICTIONARIES:
                name, size = self._pick_table(table, fk.ref_table)
                index = realism.PICK_INDEX.get((table, fk.name), f"skew({size}, '{table}.{fk.name}', d._src, 2.5)")
                joins.append(f"LEFT JOIN {name} fk_{fk.name} ON fk_{fk.name}._di = ({index}) % {size}")
        joins.extend(plan.joins)
        overrides = realism.OVERRIDES[table](self.n) if table in realism.OVERRIDES else {}
        cols = []
        for c in t.columns:
            expr = column_expr(t, c, overrides)
            k = quirks.get(f"{t.module}.{table}.empty_string.{c.name}", 0)
            if k:
                expr = f"CASE WHEN every(d._src, {k}, {n}, 29) THEN '' ELSE {expr} END"
            cols.append(f"CAST({expr} AS {c.sql_type('duckdb')}) AS \"{c.name}\"")
        return f"SELECT {', '.join(cols)}, d._i FROM ({ctx}) d {' '.join(joins)}"

    def build(self, table: str) -> None:
        """Allocate the table's rows and either materialize it or keep its query for streaming."""
        plan = plan_for(table)
        if plan.parent and table != "icustays":
            self._allocate(table)
        if plan.materialize or table in self.materialize:
            self.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS {self.row_query(table, 0, self.n[table])} ORDER BY _i')
            self.materialized.add(table)
        self._parent_views(table)
        if table == "admissions":
            self._patient_deaths()

    def _patient_deaths(self) -> None:
        """dod: the date of an in-hospital death, or for some patients a death within a year of discharge."""
        self.con.execute("""
            UPDATE patients SET dod = x.dod FROM (
              SELECT subject_id, CASE WHEN bool_or(hospital_expire_flag = 1) THEN CAST(max(deathtime) AS DATE)
                     WHEN u('pt.dod', any_value(subject_id)) < 0.1
                     THEN CAST(max(greatest(admittime, dischtime)) + secs(86400 * 360 * u('pt.dd', any_value(subject_id))) AS DATE)
                     END AS dod
              FROM admissions GROUP BY subject_id) x
            WHERE patients.subject_id = x.subject_id""")

    def build_all(self) -> None:
        for table in ORDER:
            self.build(table)

    def source(self, table: str, lo: int, hi: int) -> str:
        """Rows [lo, hi) of a table, ready to write (materialized tables may carry injected faults)."""
        if table in self.materialized:
            return f'SELECT * FROM "{table}" WHERE _i >= {lo} AND _i < {hi}'
        return self.row_query(table, lo, hi)
