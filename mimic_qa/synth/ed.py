"""The ED module of a synthetic copy: MIMIC-IV-ED's six tables over the clinical copy of the same seed and scale.

An ED stay is one of the clinical copy's ED transfers (its ``transfer_id`` is the stay's ``stay_id``, its times
the stay's, as in the real demos), so every ``subject_id`` is a patient and every ``hadm_id`` the same patient's
admission. Values follow ``data/calibration-ed.json`` (aggregates of the real ED demo, small-cell rule); values
the demo's common ones do not cover come from the spec's documented domains or a small vocabulary written here.
"""

from __future__ import annotations

import json
from functools import cache

import duckdb

from mimic_qa.sources.database import scalar
from mimic_qa.spec import Spec
from mimic_qa.synth.calibrate_ed import FILE, VITALS
from mimic_qa.synth.calibration import DATA_DIR, Calibrated
from mimic_qa.synth.sqlfn import pick
from mimic_qa.synth.vocab import DRUGS

# Filler for the share the small-cell rule withholds (invented for mimic-qa, not from any patient record).
COMPLAINTS = ["Chest pain", "Abd pain", "Dyspnea", "Fall", "Fever", "Headache", "Weakness", "Syncope", "Altered mental status",
              "Back pain", "N/V", "Dizziness", "Cough", "Transfer", "Lower extremity swelling", "Palpitations",
              "Hypotension", "Abnormal labs", "Rash", "Flank pain"]
RHYTHMS = ["Sinus Rhythm", "Normal Sinus Rhythm", "Sinus Tachycardia", "Atrial Fibrillation", "Sinus Bradycardia"]
DIGITS = {"temperature": 1}
CHILDREN = ("diagnosis", "medrecon", "pyxis", "vitalsign")


@cache
def load() -> dict:
    return json.loads((DATA_DIR / FILE).read_text(encoding="utf-8"))


class EdBuilder:
    """Creates the ED tables (each with its order column ``_i``) in a connection holding the clinical copy."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec, counts: dict[str, int], release: str) -> None:
        self.con, self.spec, self.n = con, spec, counts
        self.data = load()
        self.cal = Calibrated(con, spec, release, data={"categorical": {}, "numeric": {}, "nulls": {}})

    def group(self, table: str, g: dict, tag: str, fallback: dict[str, str] | None = None) -> dict[str, str]:
        """SQL per column of a calibrated group; where the demo's common values cover only part of the rows
        (``kept``), ``fallback`` fills the rest (else the spec's documented values do, see ``documented``)."""
        g = self.cal.documented(table, g)
        drawn = self.cal.pick_group(table, g, tag)
        if fallback is None or not g["values"]:
            return fallback or drawn
        kept = g.get("kept", 1.0)
        return {c: f"CASE WHEN u('{tag}.kept', d._src) < {kept} THEN {e} ELSE {fallback[c]} END"
                for c, e in drawn.items()}

    def vital(self, table: str, col: str) -> str:
        num = self.data[table]["numeric"][col]
        expr = f"round({self.cal.quantile(num['q'], f'{table}.{col}')}, {DIGITS.get(col, 0)})"
        return f"CASE WHEN u('{table}.{col}.null', d._src) < {num['null']} THEN NULL ELSE {expr} END"

    def _create(self, table: str, rows: str, exprs: dict[str, str]) -> None:
        t = self.spec.tables[table]
        cols = ", ".join(f'CAST({exprs[c.name]} AS {c.sql_type("duckdb")}) AS "{c.name}"' for c in t.columns)
        self.con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {cols}, d._i FROM ({rows}) d ORDER BY d._i')

    def edstays(self) -> None:
        n = self.n["edstays"]
        have = scalar(self.con, "SELECT count(*) FROM transfers WHERE eventtype = 'ED'")
        if have < n:
            raise RuntimeError(f"edstays: {have} ED visits in the clinical copy for {n} stays")
        e = self.data["edstays"]
        rows = f"""SELECT row_number() OVER (ORDER BY t.subject_id, t.intime, t.transfer_id) - 1 AS _i,
                          row_number() OVER (ORDER BY t.subject_id, t.intime, t.transfer_id) - 1 AS _src,
                          t.subject_id, t.hadm_id, t.transfer_id AS stay_id, date_trunc('minute', t.intime) AS intime,
                          t.outtime AS _out, p.gender, a.race AS _race
                   FROM (SELECT * FROM transfers WHERE eventtype = 'ED' ORDER BY h('ed.stay', transfer_id) LIMIT {n}) t
                   JOIN patients p USING (subject_id) LEFT JOIN admissions a USING (hadm_id)"""
        hours = self.cal.quantile(e["hours"], "ed.hours")
        admitted = self.group("edstays", e["disposition_admitted"], "ed.disp.a")["disposition"]
        other = self.group("edstays", e["disposition_not_admitted"], "ed.disp.n")["disposition"]
        race = self.group("edstays", e["race"], "ed.race", {"race": pick(["BLACK/AFRICAN AMERICAN", "HISPANIC/LATINO",
                                                                           "ASIAN", "OTHER", "UNKNOWN"], "ed.race.o")})
        self._create("edstays", rows, {
            "subject_id": "d.subject_id", "hadm_id": "d.hadm_id", "stay_id": "d.stay_id", "intime": "d.intime",
            "outtime": f"greatest(d.intime + INTERVAL 1 MINUTE, date_trunc('minute', coalesce(d._out, d.intime + secs(3600 * {hours}))))",
            "gender": "d.gender", "race": f"coalesce(d._race, {race['race']})",
            "arrival_transport": self.group("edstays", e["arrival_transport"], "ed.arr")["arrival_transport"],
            "disposition": f"CASE WHEN d.hadm_id IS NOT NULL THEN {admitted} ELSE {other} END"})

    def triage(self) -> None:
        t = self.data["triage"]
        rows = "SELECT _i, _i AS _src, subject_id, stay_id FROM edstays"
        exprs = {c: self.vital("triage", c) for c in VITALS}
        exprs |= {"subject_id": "d.subject_id", "stay_id": "d.stay_id",
                  "pain": self.group("triage", t["pain"], "tr.pain")["pain"],
                  "acuity": self.group("triage", t["acuity"], "tr.acuity")["acuity"],
                  "chiefcomplaint": self.group("triage", t["chiefcomplaint"], "tr.cc",
                                               {"chiefcomplaint": pick(COMPLAINTS, "tr.cc.o")})["chiefcomplaint"]}
        self._create("triage", rows, exprs)

    def _allocate(self, table: str) -> str:
        """Rows [0, n) over the stays, each chosen stay getting a block sized as in the demo (exactly n in all):
        the row context ``d`` with the stay's keys and times, ``_k`` the row's rank in its stay, ``_n`` its size."""
        s, n = self.data["stays"][table], self.n[table]
        w = f"greatest(1, round({self.cal.quantile(s['q'], f'{table}.w', idx='_i')}))"
        self.con.execute(f"""CREATE OR REPLACE TABLE a_{table} AS
            WITH s AS (SELECT _i AS _pi, subject_id, stay_id, intime, outtime,
                              CASE WHEN u('{table}.share', _i) < {s['share']} THEN {w} ELSE 0 END AS _w FROM edstays),
            c AS (SELECT *, sum(_w) OVER (ORDER BY _pi ROWS UNBOUNDED PRECEDING) - _w AS _cb,
                         greatest(1, sum(_w) OVER ()) AS _tot FROM s)
            SELECT * FROM (SELECT *, ({n} * _cb // _tot)::BIGINT AS _start,
                                  ({n} * (_cb + _w) // _tot - {n} * _cb // _tot)::BIGINT AS _n FROM c) WHERE _n > 0""")
        return (f"SELECT r._i, r._i AS _src, a.*, r._i - a._start AS _k FROM range({n}) r(_i) "
                f"ASOF JOIN a_{table} a ON r._i >= a._start")

    def diagnosis(self) -> None:
        self.con.execute("""CREATE OR REPLACE TABLE k_ed_dx AS SELECT row_number() OVER (ORDER BY icd_version, icd_code) - 1
                            AS _di, icd_code, icd_version, long_title FROM d_icd_diagnoses""")
        size = scalar(self.con, "SELECT count(*) FROM k_ed_dx")
        n9 = scalar(self.con, "SELECT count(*) FROM k_ed_dx WHERE icd_version = 9")
        index = (f"CASE WHEN u('dx.ver', d._src) < {self.data['icd9_share']} THEN skew({n9}, 'dx.c', d._src, 2.5) "
                 f"ELSE {n9} + skew({size - n9}, 'dx.c', d._src, 2.5) END")
        rows = f"SELECT d.*, k.* FROM ({self._allocate('diagnosis')}) d JOIN k_ed_dx k ON k._di = {index}"
        self._create("diagnosis", rows, {
            "subject_id": "d.subject_id", "stay_id": "d.stay_id", "seq_num": "d._k + 1", "icd_code": "d.icd_code",
            "icd_version": "d.icd_version",
            "icd_title": "CASE WHEN d.icd_version = 9 THEN upper(d.long_title) ELSE d.long_title END"})

    def _charttime(self, table: str) -> str:
        hours = self.cal.quantile(self.data["stays"][table]["hours_after_intime"], f"{table}.ct")
        return f"date_trunc('minute', d.intime + secs(3600 * {hours}))"

    def medrecon(self) -> None:
        digits = "lpad((h('mr.{0}', d._src) % {1})::VARCHAR, {2}, '0')"
        drugs = [d.lower() for d in DRUGS]
        fallback = {"name": pick(drugs, "mr.name.o"), "gsn": digits.format("gsn", 10 ** 6, 6),
                    "ndc": digits.format("ndc", 10 ** 11, 11), "etc_rn": "1", "etccode": digits.format("etc", 10 ** 4, 8),
                    "etcdescription": "'Other'"}
        exprs = self.group("medrecon", self.data["tuples"]["medrecon"], "mr.t", fallback)
        exprs |= {"subject_id": "d.subject_id", "stay_id": "d.stay_id", "charttime": self._charttime("medrecon")}
        self._create("medrecon", self._allocate("medrecon"), exprs)

    def pyxis(self) -> None:
        fallback = {"name": pick(DRUGS, "px.name.o"), "gsn": "lpad((h('px.gsn', d._src) % 1000000)::VARCHAR, 6, '0')"}
        exprs = self.group("pyxis", self.data["tuples"]["pyxis"], "px.t", fallback)
        exprs |= {"subject_id": "d.subject_id", "stay_id": "d.stay_id", "charttime": self._charttime("pyxis"),
                  "med_rn": "d._k + 1", "gsn_rn": "1"}
        self._create("pyxis", self._allocate("pyxis"), exprs)

    def vitalsign(self) -> None:
        # charted minutes apart within the stay, strictly increasing (the key is (stay_id, charttime))
        step = "greatest(1, floor(date_diff('minute', d.intime, d.outtime) / d._n))::BIGINT"
        v = self.data["vitalsign"]
        exprs = {c: self.vital("vitalsign", c) for c in VITALS}
        exprs |= {"subject_id": "d.subject_id", "stay_id": "d.stay_id",
                  "charttime": f"d.intime + to_minutes(d._k * {step} + floor(u('vs.ct', d._src) * {step})::BIGINT)",
                  "rhythm": f"CASE WHEN u('vs.rhythm', d._src) < {v['rhythm']['null']} THEN NULL ELSE {pick(RHYTHMS, 'vs.rh')} END",
                  "pain": self.group("vitalsign", v["pain"], "vs.pain")["pain"]}
        exprs["sbp"], exprs["dbp"] = f"round({exprs['sbp']})", f"round({exprs['dbp']})"
        self._create("vitalsign", self._allocate("vitalsign"), exprs)

    def build_all(self) -> list[str]:
        self.edstays()
        self.triage()
        for table in CHILDREN:
            getattr(self, table)()
        return ["edstays", "diagnosis", "medrecon", "pyxis", "triage", "vitalsign"]


