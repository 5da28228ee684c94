"""Per-table realism: the few columns whose values follow MIMIC's own logic rather than the spec alone.

Everything here is a SQL expression over the row context ``d`` (``_src`` the row's seed index, ``_k`` its
ordinal within its parent, ``_n`` the parent's row count, ``_t0`` the row's base time, the parent's keys
and window ``_ws``..``_we``) and the dictionary picks ``fk_<column>``. Columns not named here are
generated from the spec by ``columns.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from mimic_qa.synth import text, vocab
from mimic_qa.synth.sqlfn import lit, pick

Overrides = dict[str, str]
N = dict[str, int]


def U(tag: str) -> str:
    return f"u('{tag}', d._src)"


def P(values: list, tag: str, idx: str = "d._src") -> str:
    return pick(values, tag, idx)


def seq_id(subject: str, seq: str) -> str:
    return f"{subject}::VARCHAR || '-' || ({seq})::VARCHAR"


def pharmacy_id(idx: str, n: N) -> str:
    return f"sid({idx}, {n['pharmacy']}, 10000000, 90000000)"


def orderid(idx: str, n: N) -> str:
    return f"sid({idx}, {n['inputevents'] + n['procedureevents']}, 1, 99999998)"


def sibling_row(sib: str, k: str = "d._k") -> str:
    """Row index, in a sibling table, of the ``k``-th (mod its count) sibling row of the same parent."""
    return f"(s_{sib}._start + ({k}) % s_{sib}._n)"


def sibling_seq_id(sib: str, row: str) -> str:
    return seq_id("d.subject_id", f"{row} - s_{sib}._sstart + 1")


def random_sibling(sib: str, tag: str) -> str:
    return sibling_row(sib, f"h('{tag}', d._src)")


# --- dictionaries ------------------------------------------------------------------------------------

def d_hcpcs(n: N) -> Overrides:
    i = "d._src"
    return {
        "code": f"CASE WHEN {i} < 60000 THEN lpad((10000 + {i})::VARCHAR, 5, '0') ELSE "
                f"chr((65 + ({i} - 60000) // 9999 % 26)::INTEGER) || lpad((({i} - 60000) % 9999 + 1)::VARCHAR, 4, '0') END",
        "long_description": P(vocab.HCPCS_DESCRIPTIONS, "hc.ld") + " || ', ' || " + P(vocab.WORDS, "hc.w"),
        "short_description": P(vocab.HCPCS_DESCRIPTIONS, "hc.sd"),
    }


def d_icd_diagnoses(n: N) -> Overrides:
    n9 = round(n["d_icd_diagnoses"] * 0.13)
    i, j = "d._src", f"(d._src - {n9})"
    return {
        "icd_version": f"CASE WHEN {i} < {n9} THEN 9 ELSE 10 END",
        "icd_code": f"CASE WHEN {i} < {n9} THEN lpad({i}::VARCHAR, 5, '0') "
                    f"ELSE chr((65 + {j} % 26)::INTEGER) || lpad(({j} // 26)::VARCHAR, 4, '0') END",
        "long_title": P(vocab.DIAG_TITLES, "dx.t"),
    }


def d_icd_procedures(n: N) -> Overrides:
    n9 = round(n["d_icd_procedures"] * 0.05)
    i, j = "d._src", f"(d._src - {n9})"
    return {
        "icd_version": f"CASE WHEN {i} < {n9} THEN 9 ELSE 10 END",
        "icd_code": f"CASE WHEN {i} < {n9} THEN lpad({i}::VARCHAR, 4, '0') ELSE ({j} % 10)::VARCHAR || "
                    f"chr((65 + ({j} // 10) % 26)::INTEGER) || lpad(({j} // 260)::VARCHAR, 5, '0') END",
        "long_title": P(vocab.PROC_TITLES, "px.t"),
    }


def d_labitems(n: N) -> Overrides:
    return {"itemid": "50801 + d._src", "label": P(vocab.LAB_LABELS, "lab.l"), "fluid": P(vocab.FLUIDS, "lab.f"),
            "category": P(vocab.LAB_CATEGORIES, "lab.c")}


LINKSTO = [("chartevents", 0.72), ("datetimeevents", 0.04), ("inputevents", 0.12), ("ingredientevents", 0.01),
           ("outputevents", 0.03), ("procedureevents", 0.08)]


def _linksto_expr() -> str:
    cases, acc = [], 0.0
    for name, share in LINKSTO[:-1]:
        acc += share
        cases.append(f"WHEN u('it.link', d._src) < {acc} THEN '{name}'")
    return "CASE " + " ".join(cases) + f" ELSE '{LINKSTO[-1][0]}' END"


def d_items(n: N) -> Overrides:
    numeric = "(d._link IN ('chartevents', 'outputevents') AND u('it.num', d._src) < 0.8)"
    cats = " ".join(f"WHEN '{k}' THEN {P(v, 'it.cat')}" for k, v in vocab.ITEM_CATEGORIES.items())
    ptypes = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in vocab.PARAM_TYPES.items())
    return {
        "itemid": f"sid(d._src, {n['d_items']}, 220001, 10000)",
        "label": P(vocab.ITEM_WORDS, "it.l") + " || ' ' || (d._src % 97)::VARCHAR",
        "abbreviation": P(vocab.ITEM_WORDS, "it.l") + " || ' ' || (d._src % 97)::VARCHAR",
        "linksto": "d._link",
        "category": f"CASE d._link {cats} END",
        "unitname": f"CASE WHEN d._link IN ('inputevents', 'ingredientevents', 'outputevents') THEN 'mL' "
                    f"WHEN {numeric} THEN {P(vocab.UNITS, 'it.u')} END",
        "param_type": f"CASE WHEN d._link = 'chartevents' AND NOT {numeric} THEN 'Text' ELSE CASE d._link {ptypes} END END",
        "lownormalvalue": f"CASE WHEN {numeric} THEN round(u('it.lo', d._src) * 50, 0) END",
        "highnormalvalue": f"CASE WHEN {numeric} THEN round(50 + u('it.hi', d._src) * 100, 0) END",
    }


def provider(n: N) -> Overrides:
    return {"provider_id": f"'P' || b36(sid(d._src, {n['provider']}, 0, 60466176))"}


def caregiver(n: N) -> Overrides:
    return {"caregiver_id": f"sid(d._src, {n['caregiver']}, 1000, 99000)"}


# --- patients, admissions, transfers, icustays ---------------------------------------------------------

YEAR_GROUPS = [("2008 - 2010", 101607), ("2011 - 2013", 76266), ("2014 - 2016", 71640), ("2017 - 2019", 65941),
               ("2020 - 2022", 49173)]


def patients(n: N) -> Overrides:
    total = sum(c for _, c in YEAR_GROUPS)
    cases, acc = [], 0
    for name, c in YEAR_GROUPS[:-1]:
        acc += c
        cases.append(f"WHEN u('pt.grp', d._src) < {acc / total} THEN '{name}'")
    return {
        "subject_id": f"sid(d._src, {n['patients']}, 10000000, 10000000)",
        "gender": P(["F", "M"], "pt.g"),
        "anchor_age": "CASE WHEN d._age > 89 THEN 91 ELSE d._age END",
        "anchor_year": "d._year",
        "anchor_year_group": "CASE " + " ".join(cases) + f" ELSE '{YEAR_GROUPS[-1][0]}' END",
        "dod": "NULL::DATE",  # set from admissions once they exist
    }


PATIENT_EXTRAS = {
    "_age": "(18 + floor(pow(u('pt.age', d._src), 1.15) * 80))::INTEGER",
    "_year": "(2110 + floor(u('pt.year', d._src) * 96))::INTEGER",
}

EMERGENCY = ["EW EMER.", "EU OBSERVATION", "OBSERVATION ADMIT", "URGENT", "DIRECT EMER."]
PLANNED = ["ELECTIVE", "SURGICAL SAME DAY ADMISSION", "DIRECT OBSERVATION", "AMBULATORY OBSERVATION", "URGENT"]

ADMISSION_EXTRAS = {
    "_slot": "greatest(3600, date_diff('second', d._ws, d._we) // d._n)",
    "_ed": "u('ad.ed', d._src) < 0.55",
    "_flag": "(d._k = d._n - 1 AND u('ad.died', d._src) < 0.045)",
}


def admissions(n: N) -> Overrides:
    admit = "(d._ws + secs(d._k * d._slot + u('ad.at', d._src) * d._slot * 0.2))"
    los = "secs(least(d._slot * 0.7, 3600 * (4 + 24 * 4 * -ln(1 - u('ad.los', d._src) * 0.999))))"
    disch = f"({admit} + {los})"
    q = "d._q_admittime_le_dischtime"
    qd = "d._q_admittime_le_deathtime"
    qe = "d._q_edregtime_le_edouttime"
    edreg = f"({admit} - secs(3600 * (1 + 8 * u('ad.ed1', d._src))))"
    return {
        "hadm_id": f"sid(d._src, {n['admissions']}, 20000000, 10000000)",
        "admittime": admit,
        "dischtime": f"CASE WHEN {q} THEN {admit} - secs(3600 * (1 + 20 * u('ad.neg', d._src))) ELSE {disch} END",
        "deathtime": f"CASE WHEN {qd} THEN {admit} - secs(3600 * (1 + 5 * u('ad.dneg', d._src))) "
                     f"WHEN d._flag THEN {disch} END",
        "admission_type": f"CASE WHEN d._ed THEN {P(EMERGENCY, 'ad.te')} ELSE {P(PLANNED, 'ad.tp')} END",
        "admission_location": f"CASE WHEN d._ed THEN 'EMERGENCY ROOM' ELSE {P(vocab.ADMISSION_LOCATIONS, 'ad.al')} END",
        "discharge_location": f"CASE WHEN d._flag OR {qd} THEN 'DIED' WHEN u('ad.dln', d._src) < 0.25 THEN NULL "
                              f"ELSE {P(vocab.DISCHARGE_LOCATIONS, 'ad.dl')} END",
        "language": P(vocab.LANGUAGES, "ad.lang"),
        "marital_status": P(vocab.MARITAL, "ad.ms"),
        "race": P(vocab.RACES, "ad.race"),
        "edregtime": f"CASE WHEN d._ed THEN {edreg} END",
        "edouttime": f"CASE WHEN d._ed AND {qe} THEN {edreg} - secs(600) "
                     f"WHEN d._ed THEN {admit} + secs(600 + 3000 * u('ad.ed2', d._src)) END",
        "hospital_expire_flag": f"(d._flag OR {qd})::INTEGER",
    }


def transfers(n: N) -> Overrides:
    last = "d._k = d._n - 1"
    icu = "(d._k BETWEEN 1 AND d._icu)"
    span = "date_diff('second', d._ws, d._we)"
    intime = f"(d._ws + secs({span} * d._k / (d._n - 1)))"
    outtime = f"(d._ws + secs({span} * (d._k + 1) / (d._n - 1)))"
    return {
        "transfer_id": f"sid(d._src, {n['transfers']}, 30000000, 10000000)",
        "eventtype": f"CASE WHEN {last} THEN 'discharge' WHEN d._k = 0 AND d._ed THEN 'ED' "
                     "WHEN d._k = 0 THEN 'admit' ELSE 'transfer' END",
        "careunit": f"CASE WHEN {last} THEN NULL WHEN {icu} THEN {P(vocab.ICU_UNITS, 'tr.icu')} "
                    f"WHEN d._k = 0 AND d._ed THEN 'Emergency Department' ELSE {P(vocab.WARD_UNITS, 'tr.w')} END",
        "intime": f"CASE WHEN {last} THEN d._we ELSE {intime} END",
        "outtime": f"CASE WHEN {last} THEN NULL WHEN d._q_intime_le_outtime AND NOT {icu} THEN {intime} - secs(60) "
                   f"ELSE {outtime} END",
    }


def icustays(n: N) -> Overrides:
    return {
        "stay_id": "tr.transfer_id", "first_careunit": "tr.careunit",
        "last_careunit": f"CASE WHEN u('icu.lc', d._src) < 0.1 THEN {P(vocab.ICU_UNITS, 'icu.l')} ELSE tr.careunit END",
        "intime": "tr.intime", "outtime": "tr.outtime",
        "los": "round(date_diff('second', tr.intime, tr.outtime) / 86400.0, 4)",
    }


# --- hosp events ----------------------------------------------------------------------------------------

def services(n: N) -> Overrides:
    return {"prev_service": "CASE WHEN d._k > 0 THEN " + P(["MED", "SURG", "CMED", "NMED", "ORTHO"], "sv.p") + " END"}


def drgcodes(n: N) -> Overrides:
    apr = "d._k % 2 = 1"
    return {
        "drg_type": f"CASE WHEN {apr} THEN 'APR' ELSE 'HCFA' END",
        "drg_code": "lpad(((h('drg.c', d._pi) + d._k * 7) % 999 + 1)::VARCHAR, 3, '0')",
        "description": P(vocab.DRG_DESCRIPTIONS, "drg.d"),
        "drg_severity": f"CASE WHEN {apr} THEN 1 + h('drg.s', d._src) % 4 END",
        "drg_mortality": f"CASE WHEN {apr} THEN 1 + h('drg.m', d._src) % 4 END",
    }


def hcpcsevents(n: N) -> Overrides:
    return {"short_description": "fk_hcpcs_cd.short_description"}


def _lab_value(item: str) -> tuple[str, str]:
    lo = f"(h('lab.lo', {item}) % 100)"
    span = f"(1 + h('lab.sp', {item}) % 150)"
    return lo, span


def labevents(n: N) -> Overrides:
    lo, span = _lab_value("fk_itemid.itemid")
    val = f"round({lo} + u('lab.v', d._src) * {span} * 1.3 - {span} * 0.15, 1)"
    return {
        "labevent_id": "d._src + 1",
        "hadm_id": "CASE WHEN d._outpt THEN NULL ELSE d.hadm_id END",
        "specimen_id": f"sid(d._src // 4, {n['labevents'] // 4 + 1}, 10000000, 90000000)",
        "charttime": "CASE WHEN d._outpt THEN d._t0 - secs(86400 * (3 + 60 * u('lab.op', d._src))) ELSE d._t0 END",
        "storetime": "CASE WHEN d._outpt THEN d._t0 - secs(86400 * (3 + 60 * u('lab.op', d._src))) ELSE d._t0 END"
                     " + secs(600 + 7200 * u('lab.st', d._src))",
        "value": f"{val}::VARCHAR",
        "valuenum": val,
        "valueuom": f"{lit(vocab.UNITS)}[1 + (h('lab.u', fk_itemid.itemid) % {len(vocab.UNITS)})::BIGINT]",
        "ref_range_lower": f"{lo}::DOUBLE",
        "ref_range_upper": f"({lo} + {span})::DOUBLE",
        "flag": f"CASE WHEN {val} < {lo} OR {val} > {lo} + {span} THEN 'abnormal' END",
        "comments": f"CASE WHEN u('lab.cn', d._src) < 0.12 THEN {text.template_expr(text.LAB_COMMENTS, 'lab.c')} END",
    }


LAB_EXTRAS = {"_outpt": "u('lab.out', d._src) < 0.08"}
MICRO_EXTRAS = {"_org": "u('mi.org', d._src) < 0.4", "_ab": "u('mi.ab', d._src) < 0.7",
                "_spec": f"(h('mi.sp', d._src // 3) % {len(vocab.SPECIMENS)})::INTEGER",
                "_test": f"(h('mi.t', d._src) % {len(vocab.MICRO_TESTS)})::INTEGER",
                "_orgi": f"(h('mi.o', d._src) % {len(vocab.ORGANISMS)})::INTEGER",
                "_abi": f"(h('mi.a', d._src) % {len(vocab.ANTIBIOTICS)})::INTEGER"}


def microbiologyevents(n: N) -> Overrides:
    org, ab = "d._org", "(d._org AND d._ab)"
    store = "(d._t0 + secs(86400 * (1 + 2 * u('mi.st', d._src))))"
    return {
        "microevent_id": "d._src + 1",
        "micro_specimen_id": f"sid(d._src // 3, {n['microbiologyevents'] // 3 + 1}, 1000000, 9000000)",
        "chartdate": "date_trunc('day', d._t0)::TIMESTAMP",
        "charttime": "d._t0",
        "spec_itemid": "70002 + d._spec * 17",
        "spec_type_desc": f"{lit(vocab.SPECIMENS)}[d._spec + 1]",
        "test_seq": "1 + d._k % 3",
        "storedate": f"date_trunc('day', {store})::TIMESTAMP",
        "storetime": store,
        "test_itemid": "90038 + d._test * 11",
        "test_name": f"{lit(vocab.MICRO_TESTS)}[d._test + 1]",
        "org_itemid": f"CASE WHEN {org} THEN 80002 + d._orgi * 13 END",
        "org_name": f"CASE WHEN {org} THEN {lit(vocab.ORGANISMS)}[d._orgi + 1] END",
        "isolate_num": f"CASE WHEN {org} THEN 1 + h('mi.iso', d._src) % 2 END",
        "quantity": f"CASE WHEN {org} THEN {P(vocab.QUANTITIES, 'mi.q')} END",
        "ab_itemid": f"CASE WHEN {ab} THEN 90003 + d._abi END",
        "ab_name": f"CASE WHEN {ab} THEN {lit(vocab.ANTIBIOTICS)}[d._abi + 1] END",
        "dilution_text": f"CASE WHEN {ab} THEN {P(['<=1', '2', '4', '<=0.5', '>=32', '16'], 'mi.dt')} END",
        "dilution_comparison": f"CASE WHEN {ab} THEN {P(['<=', '=', '>='], 'mi.dc')} END",
        "dilution_value": f"CASE WHEN {ab} THEN {P([0.5, 1, 2, 4, 16, 32], 'mi.dv')} END",
        "interpretation": f"CASE WHEN {ab} THEN {P(['S', 'S', 'S', 'R', 'I'], 'mi.in')} END",
        "comments": f"CASE WHEN u('mi.cn', d._src) < 0.5 THEN {text.template_expr(text.MICRO_COMMENTS, 'mi.c')} END",
    }


def omr(n: N) -> Overrides:
    r = "d._res"
    value = (f"CASE {r} WHEN 0 THEN (95 + h('omr.s', d._src) % 60)::VARCHAR || '/' || (55 + h('omr.d', d._src) % 40)::VARCHAR "
             f"WHEN 1 THEN round(100 + u('omr.w', d._src) * 150, 1)::VARCHAR "
             f"WHEN 2 THEN round(17 + u('omr.b', d._src) * 25, 1)::VARCHAR "
             f"WHEN 3 THEN (58 + h('omr.h', d._src) % 18)::VARCHAR "
             f"ELSE CASE WHEN u('omr.e', d._src) < 0.5 THEN '>60' ELSE (15 + h('omr.g', d._src) % 45)::VARCHAR END END")
    return {"chartdate": "CAST(d._t0 AS DATE)", "seq_num": "d._k + 1",
            "result_name": f"{lit(vocab.OMR_RESULTS)}[{r} + 1]", "result_value": value}


OMR_EXTRAS = {"_res": f"(h('omr.r', d._src) % {len(vocab.OMR_RESULTS)})::INTEGER"}


def poe(n: N) -> Overrides:
    seq = "d._src - d._sstart + 1"
    return {
        "poe_seq": seq,
        "poe_id": seq_id("d.subject_id", seq),
        "hadm_id": "CASE WHEN u('poe.nh', d._src) < 0.02 THEN NULL ELSE d.hadm_id END",
        "ordertime": "d._t0",
        "order_subtype": P(vocab.ORDER_SUBTYPES, "poe.st"),
        "transaction_type": P(["New"] * 6 + ["Change", "D/C", "H", "Co", "T"], "poe.tt"),
        "discontinue_of_poe_id": f"CASE WHEN {seq} > 1 AND u('poe.dco', d._src) < 0.12 "
                                 f"THEN {seq_id('d.subject_id', f'{seq} - 1')} END",
        "discontinued_by_poe_id": f"CASE WHEN {seq} < d._scount AND u('poe.dcb', d._src) < 0.12 "
                                  f"THEN {seq_id('d.subject_id', f'{seq} + 1')} END",
        "order_status": P(["Inactive", "Inactive", "Inactive", "Active"], "poe.os"),
    }


def poe_detail(n: N) -> Overrides:
    row = sibling_row("poe")
    r = "(d._k // s_poe._n)"
    fields = lit(vocab.POE_FIELDS)
    return {
        "poe_id": sibling_seq_id("poe", row),
        "poe_seq": f"{row} - s_poe._sstart + 1",
        "field_name": f"{fields}[1 + ((h('pd.f', {row}) + {r}) % {len(vocab.POE_FIELDS)})::BIGINT]",
        "field_value": f"CASE WHEN u('pd.nv', d._src) < 0.03 THEN NULL ELSE {P(vocab.POE_FIELD_VALUES, 'pd.v')} END",
    }


def _order_times(prefix: str) -> dict[str, str]:
    dur = f"secs(3600 * (2 + 24 * 6 * pow(u('{prefix}.dur', d._src), 2)))"
    return {"starttime": "d._t0",
            "stoptime": f"CASE WHEN d._q_starttime_le_stoptime THEN d._t0 - secs(600 + 3600 * 20 * u('{prefix}.neg', d._src)) "
                        f"ELSE d._t0 + {dur} END"}


def pharmacy(n: N) -> Overrides:
    return {
        "pharmacy_id": pharmacy_id("d._src", n),
        "poe_id": f"CASE WHEN u('ph.np', d._src) < 0.05 THEN NULL ELSE "
                  f"{sibling_seq_id('poe', random_sibling('poe', 'ph.poe'))} END",
        **_order_times("ph"),
        "medication": P(vocab.DRUGS, "ph.m"),
        "proc_type": P(vocab.PROC_TYPES, "ph.pt"),
        "status": P(vocab.PHARMACY_STATUS, "ph.s"),
        "entertime": "d._t0 - secs(300 + 3600 * u('ph.et', d._src))",
        "verifiedtime": "d._t0 - secs(60 + 240 * u('ph.vt', d._src))",
        "route": P(vocab.ROUTES, "ph.r"),
        "frequency": P(vocab.FREQUENCIES, "ph.f"),
        "disp_sched": P(["0", "8, 20", "0, 8, 16", "9", "21", "0, 6, 12, 18"], "ph.ds"),
        "infusion_type": f"CASE WHEN u('ph.it', d._src) < 0.25 THEN {P(['B', 'C', 'N', 'N1', 'O', 'R'], 'ph.itv')} END",
        "sliding_scale": f"CASE WHEN u('ph.ss', d._src) < 0.2 THEN {P(['Y', 'N'], 'ph.ssv')} END",
        "lockout_interval": "CASE WHEN u('ph.lo', d._src) < 0.01 THEN '6 min' END",
        "one_hr_max": "CASE WHEN u('ph.ohm', d._src) < 0.01 THEN '2' END",
        "duration_interval": P(["Hours", "Days", "Doses", "Minutes"], "ph.di"),
        "expiration_unit": P(["Hours", "Days"], "ph.eu"),
        "expirationdate": "d._t0 + secs(86400 * (1 + 13 * u('ph.ex', d._src)))",
        "dispensation": P(vocab.DISPENSATION, "ph.dp"),
        "fill_quantity": "CASE WHEN u('ph.fq', d._src) < 0.05 THEN (1 + h('ph.fqv', d._src) % 30)::VARCHAR END",
    }


def prescriptions(n: N) -> Overrides:
    row = sibling_row("pharmacy")
    r = "(d._k // s_pharmacy._n)"
    drugs = lit(vocab.DRUGS)
    poe_row = random_sibling("poe", "rx.poe")
    has_poe = "u('rx.np', d._src) >= 0.05"
    return {
        "pharmacy_id": pharmacy_id(row, n),
        "poe_id": f"CASE WHEN {has_poe} THEN {sibling_seq_id('poe', poe_row)} END",
        "poe_seq": f"CASE WHEN {has_poe} THEN {poe_row} - s_poe._sstart + 1 END",
        **_order_times("rx"),
        "drug_type": f"CASE WHEN {r} = 0 THEN 'MAIN' ELSE {P(['BASE', 'ADDITIVE'], 'rx.dt')} END",
        "drug": f"{drugs}[1 + ((h('rx.d', {row}) + {r}) % {len(vocab.DRUGS)})::BIGINT]",
        "formulary_drug_cd": "upper(substr(md5(h('rx.f', d._src)::VARCHAR), 1, 8))",
        "gsn": "lpad((h('rx.gsn', d._src) % 99999)::VARCHAR, 6, '0')",
        "ndc": "lpad((h('rx.ndc', d._src) % 99999999999)::VARCHAR, 11, '0')",
        "prod_strength": "(1 + h('rx.ps', d._src) % 500)::VARCHAR || ' ' || " + P(vocab.DOSE_UNITS, "rx.psu"),
        "form_rx": P(vocab.FORMS, "rx.fr"),
        "dose_val_rx": "(1 + h('rx.dv', d._src) % 100)::VARCHAR",
        "dose_unit_rx": P(vocab.DOSE_UNITS, "rx.du"),
        "form_val_disp": "(1 + h('rx.fv', d._src) % 4)::VARCHAR",
        "form_unit_disp": P(vocab.FORMS, "rx.fu"),
        "route": P(vocab.ROUTES, "rx.r"),
    }


def emar(n: N) -> Overrides:
    seq = "d._src - d._sstart + 1"
    return {
        "hadm_id": "CASE WHEN u('em.nh', d._src) < 0.02 THEN NULL ELSE d.hadm_id END",
        "emar_id": seq_id("d.subject_id", seq),
        "emar_seq": seq,
        "poe_id": sibling_seq_id("poe", random_sibling("poe", "em.poe")),
        "pharmacy_id": f"CASE WHEN s_pharmacy._n > 0 AND u('em.np', d._src) > 0.05 THEN "
                       f"{pharmacy_id(random_sibling('pharmacy', 'em.ph'), n)} END",
        "charttime": "d._t0",
        "medication": P(vocab.DRUGS, "em.m"),
        "event_txt": P(vocab.EVENT_TXT, "em.e"),
        "scheduletime": "date_trunc('hour', d._t0)",
    }


def emar_detail(n: N) -> Overrides:
    row = sibling_row("emar")
    r = "(d._k // s_emar._n)"
    given = "u('ed.g', d._src) < 0.6"
    return {
        "emar_id": sibling_seq_id("emar", row),
        "emar_seq": f"{row} - s_emar._sstart + 1",
        "parent_field_ordinal": f"CASE WHEN {r} > 0 THEN '1.' || {r}::VARCHAR END",
        "administration_type": P(vocab.ADMIN_TYPES, "ed.at"),
        "pharmacy_id": f"CASE WHEN s_pharmacy._n > 0 AND u('ed.np', d._src) > 0.1 THEN "
                       f"{pharmacy_id(random_sibling('pharmacy', 'ed.ph'), n)} END",
        "barcode_type": P(vocab.BARCODE_TYPES, "ed.bt"),
        "reason_for_no_barcode": f"CASE WHEN u('ed.nb', d._src) < 0.03 THEN {P(vocab.NO_BARCODE_REASONS, 'ed.nbv')} END",
        "complete_dose_not_given": f"CASE WHEN {given} THEN {P(['No', 'Yes'], 'ed.cd')} END",
        "dose_due": f"CASE WHEN {given} THEN (1 + h('ed.dd', d._src) % 100)::VARCHAR END",
        "dose_due_unit": f"CASE WHEN {given} THEN {P(vocab.DOSE_UNITS, 'ed.du')} END",
        "dose_given": f"CASE WHEN {given} THEN (1 + h('ed.dd', d._src) % 100)::VARCHAR END",
        "dose_given_unit": f"CASE WHEN {given} THEN {P(vocab.DOSE_UNITS, 'ed.du')} END",
        "will_remainder_of_dose_be_given": f"CASE WHEN u('ed.wr', d._src) < 0.05 THEN {P(['Yes', 'No'], 'ed.wrv')} END",
        "product_amount_given": f"CASE WHEN {given} THEN (1 + h('ed.pa', d._src) % 10)::VARCHAR END",
        "product_unit": f"CASE WHEN {given} THEN {P(vocab.FORMS, 'ed.pu')} END",
        "product_code": f"CASE WHEN {given} THEN upper(substr(md5(h('ed.pc', d._src)::VARCHAR), 1, 8)) END",
        "product_description": f"CASE WHEN {given} THEN {P(vocab.DRUGS, 'ed.pd')} END",
        "product_description_other": f"CASE WHEN u('ed.po', d._src) < 0.01 THEN 'Pt own med: ' || {P(vocab.DRUGS, 'ed.pod')} END",
        "prior_infusion_rate": "NULL", "infusion_rate_adjustment": "NULL", "infusion_rate_adjustment_amount": "NULL",
        "infusion_rate": "CASE WHEN u('ed.ir', d._src) < 0.05 THEN (1 + h('ed.irv', d._src) % 200)::VARCHAR END",
        "infusion_rate_unit": f"CASE WHEN u('ed.ir', d._src) < 0.05 THEN {P(vocab.INFUSION_UNITS, 'ed.iru')} END",
        "route": P(["PO", "IV", "SC", "PO/NG", "IH", "TP"], "ed.r"),
        "infusion_complete": f"CASE WHEN u('ed.ic', d._src) < 0.03 THEN {P(['Y', 'N'], 'ed.icv')} END",
        "completion_interval": "NULL",
        "new_iv_bag_hung": f"CASE WHEN u('ed.nb2', d._src) < 0.03 THEN {P(['Y', 'N'], 'ed.nbv2')} END",
        "continued_infusion_in_other_location": "NULL",
        "restart_interval": "NULL",
        "side": f"CASE WHEN u('ed.sd', d._src) < 0.05 THEN {P(['Left', 'Right'], 'ed.sdv')} END",
        "site": f"CASE WHEN u('ed.sd', d._src) < 0.05 THEN {P(vocab.SITES, 'ed.st')} END",
        "non_formulary_visual_verification": "NULL",
    }


# --- icu events --------------------------------------------------------------------------------------------

def chartevents(n: N) -> Overrides:
    lo = "coalesce(fk_itemid.lownormalvalue, 0)"
    hi = "coalesce(fk_itemid.highnormalvalue, 100)"
    num = "fk_itemid.param_type = 'Numeric'"
    val = f"round({lo} + ({hi} - {lo}) * (u('ce.v', d._src) * 1.4 - 0.2), 1)"
    return {
        "value": f"CASE WHEN {num} THEN {val}::VARCHAR ELSE {P(vocab.TEXT_VALUES, 'ce.t')} END",
        "valuenum": f"CASE WHEN {num} THEN {val} END",
        "valueuom": "fk_itemid.unitname",
        "warning": f"CASE WHEN {num} THEN (u('ce.w', d._src) < 0.01)::INTEGER END",
    }


def datetimeevents(n: N) -> Overrides:
    return {"value": "date_trunc('day', d._t0 - secs(86400 * 5 * u('dt.v', d._src)))", "valueuom": "'Date'",
            "warning": "0"}


def _input_common(prefix: str) -> dict[str, str]:
    amount = f"round(1 + 999 * pow(u('{prefix}.a', d._src), 3), 4)"
    return {
        "endtime": f"CASE WHEN d._q_starttime_le_endtime THEN d._t0 - secs(60) "
                   f"ELSE d._t0 + secs(60 + 3600 * 8 * u('{prefix}.d', d._src)) END",
        "amount": amount, "amountuom": "'mL'",
        "rate": f"CASE WHEN u('{prefix}.r', d._src) < 0.5 THEN round(200 * u('{prefix}.rv', d._src), 4) END",
        "rateuom": f"CASE WHEN u('{prefix}.r', d._src) < 0.5 THEN 'mL/hour' END",
        "originalamount": amount,
        "originalrate": f"round(200 * u('{prefix}.rv', d._src), 4)",
        "statusdescription": P(["FinishedRunning", "FinishedRunning", "Stopped", "Changed", "Paused", "Flushed",
                                "Rewritten"], f"{prefix}.sd"),
    }


def inputevents(n: N) -> Overrides:
    return {
        "starttime": "d._t0",
        **_input_common("in"),
        "orderid": orderid("d._src", n),
        "linkorderid": orderid("d._src", n),
        "ordercategoryname": P(vocab.ORDER_CATEGORIES, "in.oc"),
        "secondaryordercategoryname": P(vocab.SECONDARY_CATEGORIES, "in.so"),
        "ordercomponenttypedescription": P(vocab.COMPONENT_TYPES, "in.ct"),
        "ordercategorydescription": P(vocab.ORDER_CATEGORY_DESCRIPTIONS, "in.cd"),
        "patientweight": "round(40 + 110 * u('in.pw', d._src), 1)",
        "totalamount": "round(50 + 950 * u('in.ta', d._src), 0)",
        "totalamountuom": "'mL'",
    }


def ingredientevents(n: N) -> Overrides:
    row = sibling_row("inputevents")
    return {"starttime": "d._t0", **_input_common("ig"), "orderid": orderid(row, n), "linkorderid": orderid(row, n)}


INGREDIENT_PICK = "(h('ig.i', s_inputevents._start + d._k % s_inputevents._n) + d._k // s_inputevents._n)"


def outputevents(n: N) -> Overrides:
    return {"value": "round(5 + 500 * pow(u('oe.v', d._src), 2), 0)", "valueuom": "'mL'"}


def procedureevents(n: N) -> Overrides:
    return {
        "starttime": "d._t0",
        "endtime": "d._t0 + secs(60 + 3600 * 30 * pow(u('pe.d', d._src), 2))",
        "value": "round(1 + 1000 * u('pe.v', d._src), 0)",
        "orderid": orderid(f"{n['inputevents']} + d._src", n),
        "linkorderid": orderid(f"{n['inputevents']} + d._src", n),
        "location": f"CASE WHEN u('pe.l', d._src) < 0.3 THEN {P(vocab.LOCATIONS, 'pe.lv')} END",
        "locationcategory": f"CASE WHEN u('pe.l', d._src) < 0.3 THEN {P(vocab.LOCATION_CATEGORIES, 'pe.lc')} END",
        "ordercategoryname": P(["Procedures", "Invasive Lines", "Imaging", "Ventilation", "Communication"], "pe.oc"),
        "ordercategorydescription": "'Task'",
        "patientweight": "round(40 + 110 * u('pe.pw', d._src), 1)",
        "originalamount": "round(1 + 1000 * u('pe.v', d._src), 0)",
    }


OVERRIDES: dict[str, Callable[[N], Overrides]] = {
    f.__name__: f for f in (d_hcpcs, d_icd_diagnoses, d_icd_procedures, d_labitems, d_items, provider, caregiver,
                            patients, admissions, transfers, icustays, services, drgcodes, hcpcsevents, labevents,
                            microbiologyevents, omr, poe, poe_detail, pharmacy, prescriptions, emar, emar_detail,
                            chartevents, datetimeevents, inputevents, ingredientevents, outputevents, procedureevents)
}
EXTRAS: dict[str, dict[str, str]] = {
    "patients": PATIENT_EXTRAS, "admissions": ADMISSION_EXTRAS, "labevents": LAB_EXTRAS,
    "microbiologyevents": MICRO_EXTRAS, "omr": OMR_EXTRAS, "d_items": {"_link": _linksto_expr()},
}
# FK picks whose index is not a skewed random draw (ingredients of one input order must differ).
PICK_INDEX: dict[tuple[str, str], str] = {("ingredientevents", "itemid"): INGREDIENT_PICK}
# Null rates for nullable columns the generic generator fills (default: DEFAULT_NULL_RATE).
NULL_RATES: dict[str, float] = {
    "admit_provider_id": 0.3, "order_provider_id": 0.3, "enter_provider_id": 0.2, "caregiver_id": 0.02,
    "insurance": 0.02, "language": 0.01, "marital_status": 0.1, "race": 0.0, "priority": 0.2, "hadm_id": 0.0,
    "stay_id": 0.0, "storetime": 0.01, "chartdate": 0.0, "icd_code": 0.0, "icd_version": 0.0,
    "curr_service": 0.0, "drg_type": 0.0, "category": 0.05, "value": 0.0, "valuenum": 0.0,
    "lownormalvalue": 0.0, "highnormalvalue": 0.0, "unitname": 0.0, "basal_rate": 0.99, "duration": 0.3,
    "doses_per_24_hrs": 0.3, "expiration_value": 0.2,
}
DEFAULT_NULL_RATE = 0.05
