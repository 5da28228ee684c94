"""The Note module of a synthetic copy: discharge summaries and radiology reports over the clinical copy of the
same seed and scale, with their detail tables, at MIMIC-IV-Note's published counts (scale 1.0).

No open note text exists, so nothing here is calibrated on real notes: the structure follows public descriptions
of MIMIC-IV-Note (section headings, ``___`` where de-identification removed text, note types DS/AD and RR/AR,
``note_id`` = ``<subject_id>-<note_type>-<note_seq>``, addenda linked in radiology_detail, lengths of about 10 kB
per discharge summary and 1.7 kB per report: 6.7 GB for 2.65 million notes), and every sentence was written for
mimic-qa. Diagnoses named in the text come from the clinical demo's ICD dictionary (ODbL).

DuckDB places the notes (which admission or patient, when, which exam) and writes the detail tables; the text is
assembled in Python from precomputed fragments with numpy draws (one vectorised draw per chunk, one join per note)
and streamed into ISA-L gzip, so the scale 0.1 copy (about 670 MB of text) takes a minute or two on two cores.
``plant`` puts synthetic PHI (``synth/phi.py``'s phrases) into chosen notes and returns its exact spans.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from isal import igzip

from mimic_qa.phi.entities import Entity
from mimic_qa.sources.database import scalar
from mimic_qa.spec import Spec
from mimic_qa.synth.text_fragments import (DS_COURSE, DS_HPI, DS_INSTRUCTIONS, EXAMS, FINDINGS, IMPRESSIONS,
                                           INDICATIONS, LABS, SERVICES, lab_lines, medication_lines)
from mimic_qa.synth.vocab import DRUGS

CHUNK = 20_000
GZIP_LEVEL = 1
AR_SHARE = 25_720 / 2_321_355  # addenda among radiology reports (a third-party count on the real 2.2 files)
AD_SHARE = 0.005  # discharge addenda: the generator's assumption (no document gives the share)
OUTPATIENT_SHARE = 0.45  # radiology reports without an admission: the generator's assumption
AUTHOR_SHARE = 186_138 / 331_793  # discharge summaries with an author row (the published counts)
DS_MEAN, DS_SIGMA = 10_300, 0.42  # characters: lognormal lengths with the published mean of ~10 kB
RR_MEAN, RR_SIGMA = 1_650, 0.55


@dataclass
class Planted:
    """Synthetic PHI to put into notes: (table, note position, entity, prefix, value, suffix)."""

    table: str
    row: int
    entity: Entity
    prefix: str
    value: str
    suffix: str


class NoteBuilder:
    """Places the notes in a connection holding the clinical copy and writes the four files."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Spec, counts: dict[str, int], seed: int) -> None:
        self.con, self.spec, self.n, self.seed = con, spec, counts, seed
        self.dx = [r[0] for r in con.execute(
            "SELECT long_title FROM d_icd_diagnoses WHERE icd_version = 10 AND long_title IS NOT NULL "
            "ORDER BY hash(icd_code) LIMIT 4000").fetchall()]

    # --- placement (DuckDB) ---------------------------------------------------------------------------
    def place(self) -> None:
        n_ds = self.n["discharge"]
        n_ad = round(n_ds * AD_SHARE)
        n_rr = self.n["radiology"]
        n_ar = round(n_rr * AR_SHARE)
        n_out = round((n_rr - n_ar) * OUTPATIENT_SHARE)
        n_adm = scalar_int(self.con, "SELECT count(*) FROM admissions WHERE dischtime IS NOT NULL")
        n_pat = scalar_int(self.con, "SELECT count(*) FROM p_patients")
        if n_adm < n_ds - n_ad:
            raise RuntimeError(f"discharge: {n_adm} admissions for {n_ds - n_ad} summaries")
        common = """SELECT a.subject_id, a.hadm_id, a.admittime, a.dischtime, p.gender, p.anchor_age, a._i AS _ai
                    FROM admissions a JOIN patients p USING (subject_id) WHERE a.dischtime IS NOT NULL"""
        self.con.execute(f"""CREATE OR REPLACE TABLE n_discharge AS
            WITH pick AS (SELECT * FROM ({common}) ORDER BY h('ds.pick', _ai) LIMIT {n_ds - n_ad}),
            ad AS (SELECT * FROM pick ORDER BY h('ad.pick', _ai) LIMIT {n_ad}),
            r AS (SELECT *, 'DS' AS note_type, date_trunc('day', dischtime) AS charttime,
                         dischtime + secs(3600 * (1 + 40 * u('ds.st', _ai))) AS storetime FROM pick
                  UNION ALL
                  SELECT *, 'AD', date_trunc('day', dischtime) + INTERVAL 1 DAY,
                         dischtime + secs(86400 * (2 + 10 * u('ad.st', _ai))) FROM ad)
            SELECT row_number() OVER (ORDER BY subject_id, charttime, note_type DESC, hadm_id) - 1 AS _i, *,
                   row_number() OVER (PARTITION BY subject_id, note_type ORDER BY charttime, hadm_id) AS note_seq,
                   h('ds.svc', _ai) % {len(SERVICES)} AS _svc
            FROM r""")
        self.con.execute(f"""CREATE OR REPLACE TABLE n_radiology AS
            WITH adm AS (SELECT row_number() OVER (ORDER BY _i) - 1 AS _k, subject_id, hadm_id, admittime, dischtime
                         FROM admissions WHERE dischtime IS NOT NULL),
            pat AS (SELECT row_number() OVER (ORDER BY _pi) - 1 AS _k, subject_id, _ws, _we FROM p_patients),
            inp AS (SELECT r.i, a.subject_id, a.hadm_id,
                           a.admittime + secs(u('rr.t', r.i) * greatest(60, date_diff('second', a.admittime, a.dischtime))) AS charttime
                    FROM range({n_rr - n_ar - n_out}) r(i) JOIN adm a ON a._k = h('rr.a', r.i) % {n_adm}),
            outp AS (SELECT r.i + {n_rr}, p.subject_id, NULL::INTEGER,
                            p._ws + secs(u('rr.o', r.i) * date_diff('second', p._ws, p._we))
                     FROM range({n_out}) r(i) JOIN pat p ON p._k = h('rr.p', r.i) % {n_pat}),
            rr AS (SELECT *, 'RR' AS note_type, NULL::BIGINT AS _parent FROM (SELECT * FROM inp UNION ALL SELECT * FROM outp)),
            ar AS (SELECT i + {2 * n_rr} AS i, subject_id, hadm_id, charttime + secs(3600 * (1 + 71 * u('ar.t', i))),
                          'AR', i FROM rr ORDER BY h('ar.pick', i) LIMIT {n_ar}),
            r AS (SELECT * FROM rr UNION ALL SELECT * FROM ar)
            SELECT row_number() OVER (ORDER BY subject_id, charttime, i) - 1 AS _i, i AS _id, subject_id, hadm_id,
                   note_type, date_trunc('minute', charttime) AS charttime,
                   date_trunc('minute', charttime) + secs(600 + 6 * 3600 * u('rr.st', i)) AS storetime,
                   row_number() OVER (PARTITION BY subject_id, note_type ORDER BY charttime, i) AS note_seq,
                   _parent, skew({len(EXAMS)}, 'rr.exam', coalesce(_parent, i), 2.0) AS _exam,
                   greatest(18, least(91, coalesce(a.anchor_age, 60))) AS _age, gender
            FROM r LEFT JOIN patients a USING (subject_id)""")
        self.con.execute("""CREATE OR REPLACE TABLE n_radiology AS
            SELECT r.*, r.subject_id::VARCHAR || '-' || r.note_type || '-' || r.note_seq::VARCHAR AS note_id,
                   p.subject_id::VARCHAR || '-' || p.note_type || '-' || p.note_seq::VARCHAR AS _parent_id
            FROM n_radiology r LEFT JOIN n_radiology p ON p._id = r._parent ORDER BY r._i""")

    # --- text (Python) -----------------------------------------------------------------------------
    def _rows(self, table: str) -> Iterator[tuple[list[str], dict[str, np.ndarray]]]:
        """Chunks of (CSV prefix of each row up to its text, the draws the text needs)."""
        fmt = "'%Y-%m-%d %H:%M:%S'"
        prefix = (f"note_id_ || ',' || subject_id::VARCHAR || ',' || coalesce(hadm_id::VARCHAR, '') || ',' || "
                  f"note_type || ',' || note_seq::VARCHAR || ',' || strftime(charttime, {fmt}) || ',' || "
                  f"coalesce(strftime(storetime, {fmt}), '') || ','")
        extra = ("gender, _svc, anchor_age AS _age" if table == "discharge" else "gender, _exam, _age")
        total = self.n[table]
        for lo in range(0, total, CHUNK):
            rel = (f"(SELECT *, subject_id::VARCHAR || '-' || note_type || '-' || note_seq::VARCHAR AS note_id_ "
                   f"FROM n_{table} WHERE _i >= {lo} AND _i < {lo + CHUNK} ORDER BY _i)")
            heads = [r[0] for r in self.con.execute(f"SELECT {prefix} FROM {rel}").fetchall()]
            draws = self.con.execute(f"SELECT note_type = 'AD' OR note_type = 'AR' AS _add, {extra} FROM {rel}").fetchnumpy()
            yield heads, draws

    def _discharge_text(self, rng: np.random.Generator, d: dict[str, np.ndarray]) -> list[str]:
        n = len(d["_add"])
        target = rng.lognormal(np.log(DS_MEAN) - DS_SIGMA ** 2 / 2, DS_SIGMA, n)
        n_lab = rng.integers(6, 22, n)
        n_med = rng.integers(4, 16, n)
        n_dx = rng.integers(1, 5, n)
        n_hpi = rng.integers(3, 8, n)
        fixed = 2500 + n_lab * 66 + n_med * 2 * 34 + n_hpi * 61
        n_course = np.maximum(3, ((target - fixed) / 86).astype(np.int64))
        out = []
        pick = rng.integers
        for i in range(n):
            sex = "F" if d["gender"][i] == "F" else "M"
            parts = [
                " \nName:  ___                     Unit No:   ___\n \nAdmission Date:  ___              Discharge Date:   ___\n \n"
                f"Date of Birth:  ___             Sex:   {sex}\n \nService: {SERVICES[d['_svc'][i]]}\n \nAllergies: \n",
                "No Known Allergies / Adverse Drug Reactions" if pick(3) else DRUGS[pick(len(DRUGS))],
                "\n \nAttending: ___.\n \nChief Complaint:\n", INDICATIONS[pick(len(INDICATIONS))].capitalize(),
                "\n \nMajor Surgical or Invasive Procedure:\nNone\n \n \nHistory of Present Illness:\n",
                f"Ms. ___ is a {d['_age'][i]} year old woman " if sex == "F" else f"Mr. ___ is a {d['_age'][i]} year old man ",
                "with a history of ", self.dx[pick(len(self.dx))].lower(), " who presents with ",
                INDICATIONS[pick(len(INDICATIONS))], ". ",
                " ".join(DS_HPI[j] for j in pick(len(DS_HPI), size=n_hpi[i])),
                "\n \nPast Medical History:\n", "\n".join("- " + self.dx[j] for j in pick(len(self.dx), size=3)),
                "\n \nSocial History:\n___\nFamily History:\nNon-contributory.\n \nPhysical Exam:\n"
                "ADMISSION PHYSICAL EXAM:\nVS: T 98.4 BP 128/76 HR 84 RR 18 O2 97% RA\nGENERAL: Alert, in no acute distress\n"
                "HEENT: NCAT, EOMI, MMM\nCARDIAC: RRR, no murmurs\nLUNGS: Clear to auscultation bilaterally\n"
                "ABDOMEN: Soft, non-tender, non-distended\nEXTREMITIES: Warm, well perfused, no edema\n \n"
                "Pertinent Results:\nADMISSION LABS:\n",
                "\n".join(LAB_POOL[j] for j in pick(len(LAB_POOL), size=n_lab[i])),
                "\n \nBrief Hospital Course:\n", "Ms. ___ " if sex == "F" else "Mr. ___ ",
                "was admitted for ", INDICATIONS[pick(len(INDICATIONS))], ".\n \n",
                " ".join(DS_COURSE[j] for j in pick(len(DS_COURSE), size=n_course[i])),
                "\n \nMedications on Admission:\nThe Preadmission Medication list is accurate and complete.\n",
                "\n".join(f"{k + 1}. {MED_POOL[j]}" for k, j in enumerate(pick(len(MED_POOL), size=n_med[i]))),
                "\n \nDischarge Medications:\n",
                "\n".join(f"{k + 1}. {MED_POOL[j]}" for k, j in enumerate(pick(len(MED_POOL), size=n_med[i]))),
                "\n \nDischarge Disposition:\n", "Home" if pick(2) else "Extended Care\n \nFacility:\n___",
                "\n \nDischarge Diagnosis:\n", "\n".join(self.dx[j] for j in pick(len(self.dx), size=n_dx[i])),
                "\n \nDischarge Condition:\nMental Status: Clear and coherent.\nLevel of Consciousness: Alert and interactive.\n"
                "Activity Status: Ambulatory - Independent.\n \nDischarge Instructions:\nDear ___,\n \n",
                " ".join(DS_INSTRUCTIONS[j] for j in pick(len(DS_INSTRUCTIONS), size=6)),
                "\n \nSincerely,\nYour ___ Team\n \nFollowup Instructions:\n___\n",
            ]
            text = "".join(parts)
            if d["_add"][i]:
                text = "ADDENDUM:\n" + " ".join(DS_COURSE[j] for j in pick(len(DS_COURSE), size=3)) + "\n \n" + text
            out.append(text)
        return out

    def _radiology_text(self, rng: np.random.Generator, d: dict[str, np.ndarray]) -> list[str]:
        n = len(d["_add"])
        target = rng.lognormal(np.log(RR_MEAN) - RR_SIGMA ** 2 / 2, RR_SIGMA, n)
        n_find = np.maximum(2, ((target - 330) / 61).astype(np.int64))
        pick = rng.integers
        out = []
        for i in range(n):
            exam = EXAMS[d["_exam"][i]]
            who = "woman" if d["gender"][i] == "F" else "man"
            parts = [
                f"EXAMINATION:  {exam[0]}\n\nINDICATION:  ___ year old {who} with ",
                INDICATIONS[pick(len(INDICATIONS))], " // ", INDICATIONS[pick(len(INDICATIONS))],
                f"\n\nTECHNIQUE:  {exam[1]}\n\nCOMPARISON:  ", "___" if pick(3) else "None.",
                "\n\nFINDINGS: \n\n", " ".join(FINDINGS[j] for j in pick(len(FINDINGS), size=n_find[i])),
                "\n\nIMPRESSION: \n\n", " ".join(IMPRESSIONS[j] for j in pick(len(IMPRESSIONS), size=1 + pick(3))),
            ]
            if d["_add"][i]:
                parts = ["ADDENDUM:  ", IMPRESSIONS[pick(len(IMPRESSIONS))],
                         " Findings were discussed with Dr. ___ by ___ on ___ at ___.\n\n", *parts]
            out.append("".join(parts))
        return out

    def write_text(self, table: str, path: Path, planted: list[Planted]) -> tuple[int, list[dict]]:
        """Write ``table`` (discharge or radiology) to ``path``; returns (text characters, PHI ground truth)."""
        t = self.spec.tables[table]
        by_row = {p.row: p for p in planted if p.table == table}
        make: Callable[[np.random.Generator, dict[str, np.ndarray]], list[str]] = \
            self._discharge_text if table == "discharge" else self._radiology_text
        chars, truth, lo = 0, [], 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as raw, igzip.IGzipFile(fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0,
                                                      filename="") as gz:
            gz.write((",".join(t.column_names) + "\n").encode())
            for chunk, (heads, draws) in enumerate(self._rows(table)):
                rng = np.random.default_rng([self.seed, 1 if table == "discharge" else 2, chunk])
                texts = make(rng, draws)
                for k in range(len(texts)):
                    p = by_row.get(lo + k)
                    if p is not None:
                        lead = texts[k] + "\n" + p.prefix
                        texts[k] = lead + p.value + p.suffix
                        truth.append({"table": t.qualified_name, "column": "text",
                                      "row": {"note_id": heads[k].split(",", 1)[0]}, "start": len(lead),
                                      "end": len(lead) + len(p.value), "entity_type": p.entity.value,
                                      "text_length": len(texts[k])})
                chars += sum(map(len, texts))
                gz.write("".join(f'{h}"{x.replace(chr(34), chr(34) * 2)}"\n' for h, x in zip(heads, texts)).encode())
                lo += len(texts)
        return chars, truth

    # --- detail tables (DuckDB) -------------------------------------------------------------------
    def detail_queries(self) -> dict[str, str]:
        """SELECTs of the two detail tables (spec columns, then the order column ``_i``), exactly n rows each."""
        n_dd, n_rd = self.n["discharge_detail"], self.n["radiology_detail"]
        dd = f"""SELECT note_id, subject_id, 'author' AS field_name, '___' AS field_value, 1 AS field_ordinal,
                        row_number() OVER (ORDER BY _i) - 1 AS _i
                 FROM (SELECT *, subject_id::VARCHAR || '-' || note_type || '-' || note_seq::VARCHAR AS note_id
                       FROM n_discharge ORDER BY h('dd.pick', _i) LIMIT {n_dd})"""
        exams = ", ".join(f"({k}, '{e[0]}', '{e[2]}', '{e[3]}')" for k, e in enumerate(EXAMS))
        n_rep = self.n["radiology"]
        n_links = 2 * scalar_int(self.con, "SELECT count(*) FROM n_radiology WHERE _parent IS NOT NULL")
        n_cpt = max(0, n_rd - 2 * n_rep - n_links)
        base, extra = divmod(n_cpt, n_rep)
        rd = f"""WITH r AS (SELECT r.*, e.name, e.code, e.cpt,
                           {base} + (row_number() OVER (ORDER BY h('rd.cpt', r._i)) <= {extra})::INTEGER AS _ncpt
                           FROM n_radiology r JOIN (VALUES {exams}) e(k, name, code, cpt) ON e.k = r._exam),
            f AS (SELECT _i, note_id, subject_id, 1 AS _o, 'exam_code' AS field_name, code AS field_value, 1 AS field_ordinal FROM r
                  UNION ALL SELECT _i, note_id, subject_id, 2, 'exam_name', name, 1 FROM r
                  UNION ALL SELECT _i, note_id, subject_id, 3, 'cpt_code',
                                   CASE WHEN g.k = 1 THEN cpt ELSE (cpt::INTEGER + 10 * g.k)::VARCHAR END, g.k
                            FROM r, generate_series(1, _ncpt) g(k)
                  UNION ALL SELECT _i, note_id, subject_id, 4, 'parent_note_id', _parent_id, 1 FROM r WHERE _parent IS NOT NULL
                  UNION ALL SELECT p._i, p.note_id, p.subject_id, 5, 'addendum_note_id', r.note_id, 1
                            FROM r JOIN r p ON p._id = r._parent)
            SELECT note_id, subject_id, field_name, field_value, field_ordinal,
                   row_number() OVER (ORDER BY _i, _o, field_ordinal) - 1 AS _i
            FROM (SELECT * FROM f ORDER BY _i, _o, field_ordinal LIMIT {n_rd})"""
        return {"discharge_detail": dd, "radiology_detail": rd}

    def plant(self, entities: list[Entity], seed: int, per_entity: int) -> list[Planted]:
        """Which notes get which synthetic PHI (positions in file order), drawn with Faker like ``synth/phi.py``."""
        from faker import Faker

        from mimic_qa.synth.phi import PHRASES

        fake = Faker("en_US")
        fake.seed_instance(seed)
        chooser = random.Random(seed)
        used: set[tuple[str, int]] = set()
        out = []
        for e_idx, entity in enumerate(entities):
            for r in range(per_entity):
                table = ("discharge", "radiology")[(e_idx * per_entity + r) % 2]
                row = chooser.randrange(self.n[table])
                while (table, row) in used:
                    row = chooser.randrange(self.n[table])
                used.add((table, row))
                prefix, gen, suffix = PHRASES[entity]
                out.append(Planted(table, row, entity, prefix, gen(fake), suffix))
        return out


def scalar_int(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(scalar(con, sql))


LAB_POOL = lab_lines(random.Random(11), LABS, 3000)
MED_POOL = medication_lines(random.Random(12), DRUGS, 1500)
