"""Builds every table as a DuckDB query over ``range()``: allocation of rows to parents, the row
context, quirks, dictionary picks and the per-column expressions (vectorised, seeded, ordered)."""

from __future__ import annotations

import duckdb

from mimic_qa.checks.definition import check_id
from mimic_qa.checks.kinds.empty_string import EmptyString
from mimic_qa.checks.kinds.rule import RuleKind
from mimic_qa.sources.database import scalar
from mimic_qa.spec import Spec
from mimic_qa.synth import realism
from mimic_qa.synth.calibration import COPIED, SLOTS, Calibrated, copy_dictionary_sql
from mimic_qa.synth.columns import column_expr
from mimic_qa.synth.counts import DICTIONARIES
from mimic_qa.synth.plans import ORDER, plan_for
from mimic_qa.synth.quirks import table_quirks

# A patient's timeline starts on 1 January of the anchor year (admissions are placed from there, as in the demo);
# ED-only visits and outpatient results fall within three years of it.
PATIENT_WINDOW = ("make_timestamp(anchor_year, 1, 1, 0, 0, 0)", f"{3 * 365 * 86400}")

# Rows appended to a demo dictionary where the release's is larger (3.1): invented codes, never in the demo's
# dictionary (candidates that are get skipped), valid for the spec's domains. SQL over candidate number i.
PADDING = {
    "d_hcpcs": "SELECT 'X' || lpad(i::VARCHAR, 4, '0'), NULL, NULL, 'Synthetic HCPCS code'",
    "d_icd_diagnoses": "SELECT 'U9' || lpad(i::VARCHAR, 5, '0'), 10, 'Synthetic diagnosis code'",
    "d_icd_procedures": "SELECT 'XY' || lpad(i::VARCHAR, 5, '0'), 10, 'Synthetic procedure code'",
    "d_labitems": "SELECT 59000 + i, 'Synthetic lab item ' || i::VARCHAR, 'Blood', 'Chemistry'",
    "d_items": ("SELECT 239000 + i, 'Synthetic item ' || i::VARCHAR, 'Synthetic ' || i::VARCHAR, 'chartevents', "
                "'General', NULL, 'Text', NULL, NULL"),
}


class Builder:
    """Creates the allocation tables and row queries of one synthetic release in a DuckDB connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec, counts: dict[str, int],
                 materialize: set[str], release: str) -> None:
        self.con, self.spec, self.n = con, spec, counts
        self.cal = Calibrated(con, spec, release)
        # an ICU stay that is the admission's first unit (no ward stay before it), with the demo's share
        con.execute(f"CREATE OR REPLACE MACRO icu_direct(pi) AS u('tr.direct', pi) < {self.cal.data['stays']['direct_share']}")
        self.materialize = materialize
        self.queries: dict[str, str] = {}  # table -> full query (streamed tables)
        self.materialized: set[str] = set()
        self._pick_sizes: dict[str, int] = {}

    # --- parents and allocations ------------------------------------------------------------------
    def _allocate(self, table: str) -> None:
        plan, n = plan_for(table), self.n[table]
        share, weight = plan.share, plan.weight
        rpp = self.cal.data["rows_per_parent"].get(table)
        if rpp is not None and plan.calibrated:
            # rows per parent follow the demo's distribution (its share of parents with rows only for the demo
            # itself: the full release's populations differ); the parent's own size still orders the draw
            at = f"(0.95 * percent_rank() OVER (ORDER BY {plan.weight}, p._pi) + 0.05 * u('w.{table}', p._pi))"
            weight = f"round(1000 * {self.cal.quantile(rpp['q'], f'rpp.{table}', at=at)})"
            if self.cal.demo:
                share = rpp["share"]
        sib = " ".join(f"LEFT JOIN a_{s} s_{s} ON s_{s}._pi = p._pi" for s in plan.siblings)
        self.con.execute(f"""
            CREATE OR REPLACE TABLE a_{table} AS
            WITH p0 AS (SELECT p.*, ({plan.minimum})::BIGINT AS _m,
                               CASE WHEN {plan.minimum_only} THEN 0 ELSE ({weight}) END AS _w0
                        FROM p_{plan.parent} p {sib} WHERE {plan.eligible}),
            p AS (SELECT * EXCLUDE (_w0), greatest(0, _w0)::BIGINT AS _w FROM p0),
            r AS (SELECT *, row_number() OVER (ORDER BY {plan.choose.format(table=table)}, _pi) AS _r,
                         count(*) OVER () AS _e FROM p),
            r2 AS (SELECT *, sum(_m) OVER (ORDER BY _r ROWS UNBOUNDED PRECEDING) AS _cm FROM r),
            s AS (SELECT * FROM r2 WHERE _r <= greatest(1, round({share} * _e)) AND _cm <= {n}),
            c AS (SELECT *, sum(_m) OVER w - _m AS _mb, sum(_w) OVER w - _w AS _wb,
                         sum(_m) OVER () AS _mt, sum(_w) OVER () AS _wt
                  FROM s WINDOW w AS (ORDER BY _pi ROWS UNBOUNDED PRECEDING)),
            e AS (SELECT *, (_mb + (({n} - _mt)::HUGEINT * _wb) // greatest(_wt, 1))::BIGINT AS _start FROM c),
            f AS (SELECT *, coalesce(lead(_start) OVER (ORDER BY _pi), {n}) - _start AS _n FROM e)
            SELECT * EXCLUDE (_m, _w, _r, _e, _cm, _mb, _wb, _mt, _wt),
                   min(_start) OVER (PARTITION BY subject_id) AS _sstart,
                   sum(_n) OVER (PARTITION BY subject_id) AS _scount
            FROM f WHERE _n > 0 ORDER BY _pi""")
        got = scalar(self.con, f"SELECT coalesce(sum(_n), 0) FROM a_{table}")
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
                           greatest(admittime, coalesce(dischtime, admittime)) AS _we, edregtime IS NOT NULL AS _ed,
                           least(edregtime, admittime) AS _edreg FROM admissions ORDER BY _i""")
            self._allocate("icustays")
            n_adm = self.n["admissions"]
            # ED visits without admission: every patient without admissions has one; in the demo (where every
            # patient has admissions) a share of patients also has one, as many as in the real demo
            share = self.cal.data["stays"]["ed_only_per_patient"] if self.cal.demo else 0.0
            ed_only = f"u('ed.only', p._pi) < {share}"
            con.execute(f"""CREATE OR REPLACE TABLE p_visits AS
                SELECT a._pi, a.subject_id, a.hadm_id, a._ws, a._we, a._ed, a._edreg, coalesce(i._n, 0) AS _icu
                FROM p_admissions a LEFT JOIN a_icustays i USING (_pi)
                UNION ALL
                SELECT {n_adm} + row_number() OVER (ORDER BY p._pi) - 1, p.subject_id, NULL::INTEGER,
                       p._ws + secs(86400 * 700 * u('ed.v', p._pi)),
                       p._ws + secs(86400 * 700 * u('ed.v', p._pi) + 3600 * (2 + 10 * u('ed.l', p._pi))), TRUE,
                       NULL::TIMESTAMP, 0
                FROM p_patients p
                WHERE p.subject_id NOT IN (SELECT subject_id FROM p_admissions) OR {ed_only}
                ORDER BY 1""")
        elif table == "icustays":
            con.execute("""CREATE OR REPLACE TABLE p_icustays AS SELECT _i AS _pi, subject_id, hadm_id, stay_id,
                           intime AS _ws, outtime AS _we FROM icustays ORDER BY _i""")

    # --- dictionary picks ---------------------------------------------------------------------------
    def _pick_table(self, table: str, ref: str) -> tuple[str, int]:
        if self.cal.items(table) is not None and ref in ("d_labitems", "d_items"):
            if f"k_cal_{table}" not in self._pick_sizes:
                by_rank = (table, "itemid") in realism.RANKED_PICKS
                self._pick_sizes[f"k_cal_{table}"] = self.cal.item_pick_table(table, ref, by_rank)[1]
            return f"k_cal_{table}", self._pick_sizes[f"k_cal_{table}"]
        name = f"k_{ref}" + (f"_{table}" if ref == "d_items" else "")
        if name not in self._pick_sizes:
            key = ", ".join(self.spec.tables[ref].primary_key or self.spec.tables[ref].candidate_keys[0].columns)
            if ref in ("d_icd_diagnoses", "d_icd_procedures"):
                key = "icd_version, icd_code"  # ICD-9 codes first: picks choose the version with the demo's share
            where = f"WHERE linksto = '{table}'" if ref == "d_items" else ""
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT row_number() OVER (ORDER BY {key}) - 1 AS _di, "
                             f"* EXCLUDE (_i) FROM {ref} {where}")
            self._pick_sizes[name] = scalar(self.con, f"SELECT count(*) FROM {name}")
        return name, self._pick_sizes[name]

    def _icd_index(self, table: str, fk: str, name: str, size: int) -> str:
        """A skewed pick among the ICD-9 codes (the first n9 rows) or the ICD-10 ones, with the demo's share of
        ICD-9 codes in ``table``."""
        n9 = scalar(self.con, f"SELECT count(*) FROM {name} WHERE icd_version = 9")
        share = self.cal.data["small"]["icd9_share"].get(table, 0.5)
        return (f"CASE WHEN u('{table}.ver', d._src) < {share} THEN skew({max(n9, 1)}, '{table}.{fk}', d._src, 2.5) "
                f"ELSE {n9} + skew({max(size - n9, 1)}, '{table}.{fk}', d._src, 2.5) END")

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
            at = f"((d0._k + u('{table}.t0', d0._src)) / d0._n)"
            timing = self.cal.data["timing"].get(table)
            # where rows fall within the parent's window: the demo's distribution, in row order
            frac = self.cal.quantile(timing["fraction"], f"t0.{table}", at=at) if timing else at
            t0 = f"d0._ws + secs({frac} * greatest(date_diff('second', d0._ws, d0._we), 0))"
            if timing and timing.get("days"):  # rows dated by day: days after the parent's first day
                t0 = f"CAST(d0._ws AS DATE) + round({self.cal.quantile(timing['days'], f'd0.{table}', at=at)})::INTEGER"
        else:
            ctx, t0 = f"SELECT b._i, b._src, b._src AS _k, {n} AS _n FROM ({base}) b", "NULL::TIMESTAMP"
        flags = []
        for i, r in enumerate(t.rules):
            k = quirks.get(check_id(t, RuleKind.name, r.name), 0)
            flags.append(f"every(d0._src, {k}, {n}, {13 + 101 * i}) AS _q_{r.name}")
        ctx = f"SELECT d0.*, {t0} AS _t0{''.join(', ' + f for f in flags)} FROM ({ctx}) d0"
        extras = realism.EXTRAS[table](self.n, self.cal) if table in realism.EXTRAS else {}
        if extras:
            ctx = f"SELECT d.*, {', '.join(f'{e} AS {k}' for k, e in extras.items())} FROM ({ctx}) d"
        joins = [f"LEFT JOIN a_{s} s_{s} ON s_{s}._pi = d._pi" for s in plan.siblings]
        for fk in t.foreign_keys:
            if fk.ref_table in DICTIONARIES:
                name, size = self._pick_table(table, fk.ref_table)
                default = (f"floor(u('{table}.{fk.name}', d._src) * {SLOTS})::BIGINT" if name.startswith("k_cal_")
                           else f"skew({size}, '{table}.{fk.name}', d._src, 2.5)")
                if fk.ref_table in ("d_icd_diagnoses", "d_icd_procedures"):
                    default = self._icd_index(table, fk.name, name, size)
                index = realism.pick_index(table, fk.name, self.cal) or default
                joins.append(f"LEFT JOIN {name} fk_{fk.name} ON fk_{fk.name}._di = ({index}) % {size}")
        joins.extend(plan.joins)
        overrides = realism.OVERRIDES[table](self.n, self.cal) if table in realism.OVERRIDES else {}
        cols = []
        for c in t.columns:
            expr = column_expr(t, c, overrides, self.cal)
            k = quirks.get(check_id(t, EmptyString.name, c.name), 0)
            if k:
                expr = f"CASE WHEN every(d._src, {k}, {n}, 29) THEN '' ELSE {expr} END"
            cols.append(f"CAST({expr} AS {c.sql_type('duckdb')}) AS \"{c.name}\"")
        return f"SELECT {', '.join(cols)}, d._i FROM ({ctx}) d {' '.join(joins)}"

    def _copy_dictionary(self, table: str) -> None:
        """The demo's own dictionary (ODbL), padded with invented codes where the release's is larger."""
        self.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS {copy_dictionary_sql(table, self.spec)}')
        have = scalar(self.con, f'SELECT count(*) FROM "{table}"')
        extra = self.n[table] - have
        if extra > 0:
            t = self.spec.tables[table]
            key = t.primary_key or t.candidate_keys[0].columns
            names = ", ".join(f'"{c}"' for c in t.column_names)
            cands = f"SELECT * FROM ({PADDING[table]} FROM range({2 * extra + 100}) r(i)) x({names})"
            self.con.execute(f"""INSERT INTO "{table}" SELECT {have} + row_number() OVER () - 1, * FROM
                                 (SELECT * FROM ({cands}) c ANTI JOIN "{table}" USING ({", ".join(key)}) LIMIT {extra})""")
        elif extra < 0:
            self.con.execute(f'DELETE FROM "{table}" WHERE _i >= {self.n[table]}')
        self.materialized.add(table)

    def build(self, table: str) -> None:
        """Allocate the table's rows and either materialize it or keep its query for streaming."""
        plan = plan_for(table)
        if table in COPIED:
            self._copy_dictionary(table)
            return
        if plan.parent and table != "icustays":
            self._allocate(table)
        if plan.materialize or table in self.materialize:
            self.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS {self.row_query(table, 0, self.n[table])} ORDER BY _i')
            self.materialized.add(table)
        self._parent_views(table)
        if table == "admissions":
            self._patient_deaths()
        if table == "omr" and table in self.materialized:
            # seq_num numbers a patient's results of one kind on one day (1, 2, ...), as in the demo
            self.con.execute("""UPDATE omr SET seq_num = x.r FROM (SELECT _i, row_number() OVER
                                (PARTITION BY subject_id, chartdate, result_name ORDER BY _i) AS r FROM omr) x
                                WHERE omr._i = x._i""")

    def _patient_deaths(self) -> None:
        """dod: the date of an in-hospital death, or for the demo's share of the others a death after discharge
        (days after it as in the demo)."""
        adm = self.cal.data["admissions"]
        after = self.cal.quantile(adm["dod_after_discharge_days"], "pt.dd", "any_value(subject_id)")
        self.con.execute(f"""
            UPDATE patients SET dod = x.dod FROM (
              SELECT subject_id, CASE WHEN bool_or(hospital_expire_flag = 1) THEN CAST(max(deathtime) AS DATE)
                     WHEN u('pt.dod', any_value(subject_id)) < {adm['dod_after_discharge_share']}
                     THEN CAST(max(greatest(admittime, dischtime)) + secs(86400 * {after}) AS DATE)
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
