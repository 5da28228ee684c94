"""Per-table realism: the few columns whose values follow MIMIC's own logic rather than the spec alone.

Everything here is a SQL expression over the row context ``d`` (``_src`` the row's seed index, ``_k`` its
ordinal within its parent, ``_n`` the parent's row count, ``_t0`` the row's base time, the parent's keys
and window ``_ws``..``_we``) and the dictionary picks ``fk_<column>``. The distributions come from the
calibration (``calibration.py``, derived from the real demo); columns not named here are drawn from it as they
are (``Calibrated.columns``), or generated from the spec by ``columns.py`` where the demo says nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from mimic_qa.synth import vocab
from mimic_qa.synth.calibration import SLOTS, Calibrated, delta, slots
from mimic_qa.synth.sqlfn import pick

Overrides = dict[str, str]
N = dict[str, int]


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


# --- dictionaries (the five d_* tables are the demo's own: see engine.PADDING) -------------------------

def provider(n: N, c: Calibrated) -> Overrides:
    return {"provider_id": f"'P' || b36(sid(d._src, {n['provider']}, 0, 60466176))"}


def caregiver(n: N, c: Calibrated) -> Overrides:
    return {"caregiver_id": f"sid(d._src, {n['caregiver']}, 1000, 99000)"}


def null_share(c: Calibrated, table: str, col: str, default: float) -> float:
    rate = c.null_rate(table, col)
    return default if rate is None else rate


def group(c: Calibrated, table: str, key: str, tag: str, idx: str = "d._src") -> dict[str, str]:
    """SQL per column of one of the calibration's named categorical groups (``key`` a path like 'stays.icu_units')."""
    g = c.data
    for part in key.split(".", 1):
        g = g[part]
    return c.pick_group(table, g, tag, idx)


# --- patients, admissions, transfers, icustays ---------------------------------------------------------

YEAR_GROUPS = [("2008 - 2010", 101607), ("2011 - 2013", 76266), ("2014 - 2016", 71640), ("2017 - 2019", 65941),
               ("2020 - 2022", 49173)]


def patients(n: N, c: Calibrated) -> Overrides:
    out = {
        "subject_id": f"sid(d._src, {n['patients']}, 10000000, 10000000)",
        "anchor_age": "CASE WHEN d._age > 89 THEN 91 ELSE d._age END",
        "anchor_year": "d._year",
        "dod": "NULL::DATE",  # set from admissions once they exist
    }
    if not c.demo:  # the full release's year groups (published counts), not the demo's few
        total = sum(k for _, k in YEAR_GROUPS)
        cases, acc = [], 0
        for name, k in YEAR_GROUPS[:-1]:
            acc += k
            cases.append(f"WHEN u('pt.grp', d._src) < {acc / total} THEN '{name}'")
        out["anchor_year_group"] = "CASE " + " ".join(cases) + f" ELSE '{YEAR_GROUPS[-1][0]}' END"
    return out


def patient_extras(n: N, c: Calibrated) -> dict[str, str]:
    num = c.data["numeric"]["patients"]
    return {"_age": f"round({c.quantile(num['anchor_age']['q'], 'pt.age')})::INTEGER",
            "_year": f"round({c.quantile(num['anchor_year']['q'], 'pt.year')})::INTEGER"}


def admission_extras(n: N, c: Calibrated) -> dict[str, str]:
    adm = c.data["admissions"]
    days = adm["admit_days"]
    at = c.quantile(days, "ad.at", at="((d._k + u('ad.at', d._src)) / d._n)")
    nxt = c.quantile(days, "ad.at", at="((d._k + 1 + u('ad.at', d._src + 1)) / d._n)")
    return {
        "_admit": f"(d._ws + secs(86400 * {at}))",
        "_gap": f"CASE WHEN d._k < d._n - 1 THEN 86400 * ({nxt} - {at}) END",
        "_ed": f"u('ad.ed', d._src) < {adm['ed_share']}",
        "_flag": f"(d._k = d._n - 1 AND u('ad.died', d._src) < {adm['died_last_share']})",
    }


def admissions(n: N, c: Calibrated) -> Overrides:
    adm = c.data["admissions"]
    admit = "d._admit"
    # a stay lasts as in the demo, but ends before the patient's next admission
    los = f"secs(least(coalesce(0.8 * d._gap, 1e12), 3600 * {c.quantile(adm['los_hours'], 'ad.los')}))"
    disch = f"({admit} + {los})"
    q = "d._q_admittime_le_dischtime"
    qd = "d._q_admittime_le_deathtime"
    qe = "d._q_edregtime_le_edouttime"
    edreg = f"({admit} - secs(3600 * greatest(0.1, {c.quantile(adm['ed_before_hours'], 'ad.ed1')})))"
    dl = group(c, "admissions", "admissions.discharge_location", "ad.dl")["discharge_location"]
    return {
        "hadm_id": f"sid(d._src, {n['admissions']}, 20000000, 10000000)",
        "admittime": admit,
        "dischtime": f"CASE WHEN {q} THEN {admit} - secs(3600 * (1 + 20 * u('ad.neg', d._src))) ELSE {disch} END",
        "deathtime": f"CASE WHEN {qd} THEN {admit} - secs(3600 * (1 + 5 * u('ad.dneg', d._src))) "
                     f"WHEN d._flag THEN {disch} END",
        "discharge_location": f"CASE WHEN d._flag OR {qd} THEN 'DIED' ELSE {dl} END",
        "edregtime": f"CASE WHEN d._ed THEN {edreg} END",
        "edouttime": f"CASE WHEN d._ed AND {qe} THEN {edreg} - secs(600) "
                     f"WHEN d._ed THEN {edreg} + secs(3600 * greatest(0.1, {c.quantile(adm['ed_hours'], 'ad.ed2')})) END",
        "hospital_expire_flag": f"(d._flag OR {qd})::INTEGER",
    }


def _boundary(j: str, span: str, start: str, block: str) -> str:
    """Seconds from the admission to the start of its ``j``-th inpatient unit stay (an ED stay before it is not
    counted): without ICU stays the admission is split evenly; with them, the first unit's stay before, the ICU
    stays (``block`` seconds from ``start``, evenly) and the ward stays after, evenly."""
    total = "(d._n - 1 - d._e)"
    pre = "(1 - d._d)"
    post = f"nullif({total} - {pre} - d._icu, 0)"
    return (f"(CASE WHEN d._icu = 0 THEN {span} * ({j}) / {total} WHEN ({j}) < {pre} THEN 0 "
            f"WHEN ({j}) <= {pre} + d._icu THEN {start} + {block} * (({j}) - {pre}) / d._icu "
            f"ELSE {start} + {block} + ({span} - {start} - {block}) * (({j}) - {pre} - d._icu) / {post} END)")


def transfer_extras(n: N, c: Calibrated) -> dict[str, str]:
    return {"_e": "(d._ed AND d.hadm_id IS NOT NULL)::INTEGER", "_d": "(d._icu > 0 AND icu_direct(d._pi))::INTEGER"}


def transfers(n: N, c: Calibrated) -> Overrides:
    """A visit: ED, admission to a first unit, ICU stays, transfers, discharge. ICU stays start as long after
    admission as in the demo and last as long as the demo's, within the admission; the ED stay runs from the ED
    registration to the admission; the units are the demo's."""
    st = c.data["stays"]
    last = "d._k = d._n - 1"
    icu = "(d._k BETWEEN 1 + d._e - d._d AND d._icu + d._e - d._d)"
    span = "greatest(date_diff('second', d._ws, d._we), 0)"
    hours = f"CASE WHEN d._d = 1 THEN {c.quantile(st['direct_hours'], 'tr.s', 'd._pi')} " \
            f"ELSE {c.quantile(st['start_hours'], 'tr.s', 'd._pi')} END"
    start = f"least(0.9 * {span}, 3600 * greatest(0, {hours}))"
    length = f"d._icu * 86400 * {c.quantile(st['los_days'], 'tr.l', 'd._pi')}"
    post = "(d._n - 2 - d._e + d._d - d._icu)"
    block = f"(CASE WHEN {post} = 0 THEN {span} - {start} ELSE least({span} - {start}, {length}) END)"
    ed_row = "(d._e = 1 AND d._k = 0)"
    intime = f"CASE WHEN {ed_row} THEN d._edreg ELSE d._ws + secs({_boundary('d._k - d._e', span, start, block)}) END"
    outtime = f"CASE WHEN {ed_row} THEN d._ws ELSE d._ws + secs({_boundary('d._k + 1 - d._e', span, start, block)}) END"
    icu_unit = group(c, "transfers", "stays.icu_units", "tr.icu")["first_careunit"]
    ward = group(c, "transfers", "stays.ward_units", "tr.w")["careunit"]
    ed = group(c, "transfers", "stays.ed_units", "tr.ed")["careunit"]
    return {
        "transfer_id": f"sid(d._src, {n['transfers']}, 30000000, 10000000)",
        "eventtype": f"CASE WHEN {last} THEN 'discharge' WHEN d._k = 0 AND d._ed THEN 'ED' "
                     "WHEN d._k = d._e THEN 'admit' ELSE 'transfer' END",
        "careunit": f"CASE WHEN {last} THEN NULL WHEN {icu} THEN {icu_unit} "
                    f"WHEN d._k = 0 AND d._ed THEN {ed} ELSE {ward} END",
        "intime": f"CASE WHEN {last} THEN d._we ELSE {intime} END",
        "outtime": f"CASE WHEN {last} THEN NULL WHEN d._q_intime_le_outtime AND NOT {icu} THEN ({intime}) - secs(60) "
                   f"ELSE {outtime} END",
    }


def icustays(n: N, c: Calibrated) -> Overrides:
    other = group(c, "icustays", "stays.icu_units", "icu.l")["first_careunit"]
    return {
        "stay_id": "tr.transfer_id", "first_careunit": "tr.careunit",
        "last_careunit": f"CASE WHEN u('icu.lc', d._src) < {c.data['stays']['last_unit_differs']} THEN {other} "
                         "ELSE tr.careunit END",
        "intime": "tr.intime", "outtime": "tr.outtime",
        "los": "round(date_diff('second', tr.intime, tr.outtime) / 86400.0, 4)",
    }


# --- hosp events ----------------------------------------------------------------------------------------

def drgcodes(n: N, c: Calibrated) -> Overrides:
    apr = "d._k % 2 = 1"
    sev = group(c, "drgcodes", "drg.apr", "drg.s")
    return {
        "drg_type": f"CASE WHEN {apr} THEN 'APR' ELSE 'HCFA' END",
        "drg_code": "lpad(((h('drg.c', d._pi) + d._k * 7) % 999 + 1)::VARCHAR, 3, '0')",
        "description": P(vocab.DRG_DESCRIPTIONS, "drg.d"),
        "drg_severity": f"CASE WHEN {apr} THEN coalesce({sev['drg_severity']}, 1 + h('drg.s', d._src) % 4) END",
        "drg_mortality": f"CASE WHEN {apr} THEN coalesce({sev['drg_mortality']}, 1 + h('drg.m', d._src) % 4) END",
    }


def hcpcsevents(n: N, c: Calibrated) -> Overrides:
    """Codes the demo's patients commonly have (with their share), else a dictionary pick."""
    cal = c.data["small"]["hcpcs"]
    if not cal["values"]:
        return {"short_description": "fk_hcpcs_cd.short_description"}
    known = c.pick_group("hcpcsevents", cal, "hc.k")
    share = cal["kept"]
    return {"hcpcs_cd": f"CASE WHEN u('hc.kn', d._src) < {share} THEN {known['hcpcs_cd']} ELSE fk_hcpcs_cd.code END",
            "short_description": f"CASE WHEN u('hc.kn', d._src) < {share} THEN {known['short_description']} "
                                 "ELSE fk_hcpcs_cd.short_description END"}


def outpatient(c: Calibrated, table: str) -> str:
    """SQL: the row is an outpatient result (no hadm_id), with the demo's share."""
    return f"u('{table}.out', d._src) < {null_share(c, table, 'hadm_id', 0.08)}"


def labevents(n: N, c: Calibrated) -> Overrides:
    """Items, values, units, reference ranges and flags as the demo has them per item; comments from its templates."""
    val = c.item_measure("labevents", "fk_itemid", "lab.v")
    text_value = group(c, "labevents", "small.lab_text", "lab.tv")["value"]
    before = "secs(86400 * (3 + 60 * u('lab.op', d._src)))"
    return {
        "labevent_id": "d._src + 1",
        "hadm_id": "CASE WHEN d._outpt THEN NULL ELSE d.hadm_id END",
        "specimen_id": f"sid(d._src // 4, {n['labevents'] // 4 + 1}, 10000000, 90000000)",
        "charttime": f"CASE WHEN d._outpt THEN d._t0 - {before} ELSE d._t0 END",
        "storetime": delta(c, "labevents", "storetime", f"CASE WHEN d._outpt THEN d._t0 - {before} ELSE d._t0 END"),
        "value": f"CASE WHEN ({val}) IS NOT NULL THEN ({val})::VARCHAR ELSE {text_value} END",
        "valuenum": val,
        "valueuom": c.item_extra("labevents", "fk_itemid", "valueuom", "lab.x"),
        "ref_range_lower": c.item_extra("labevents", "fk_itemid", "ref_range_lower", "lab.x"),
        "ref_range_upper": c.item_extra("labevents", "fk_itemid", "ref_range_upper", "lab.x"),
        "flag": c.item_extra("labevents", "fk_itemid", "flag", "lab.x"),
        "comments": group(c, "labevents", "templates.labevents.comments", "lab.c")["comments"],
    }

def lab_extras(n: N, c: Calibrated) -> dict[str, str]:
    return {"_outpt": outpatient(c, "labevents")}


def micro_extras(n: N, c: Calibrated) -> dict[str, str]:
    return {"_outpt": outpatient(c, "microbiologyevents")}


def microbiologyevents(n: N, c: Calibrated) -> Overrides:
    """Specimens, tests, organisms and susceptibilities are the calibration's tuples (columns.py); here the ids,
    the times (chart date, then time of day and storage as offsets seen in the demo) and the comments."""
    day = "date_trunc('day', d._t0)::TIMESTAMP"
    return {
        "microevent_id": "d._src + 1",
        "hadm_id": "CASE WHEN d._outpt THEN NULL ELSE d.hadm_id END",
        "micro_specimen_id": f"sid(d._src // 3, {n['microbiologyevents'] // 3 + 1}, 1000000, 9000000)",
        "chartdate": day,
        "charttime": f"CASE WHEN u('mi.ct', d._src) < {null_share(c, 'microbiologyevents', 'charttime', 0.0)} "
                     f"THEN NULL ELSE {day} + secs(86400 * u('mi.tod', d._src)) END",
        "storedate": f"date_trunc('day', {delta(c, 'microbiologyevents', 'storedate', day)})::TIMESTAMP",
        "storetime": delta(c, "microbiologyevents", "storetime", day),
        "comments": group(c, "microbiologyevents", "templates.microbiologyevents.comments", "mi.c")["comments"],
    }


def omr(n: N, c: Calibrated) -> Overrides:
    """Results on days after the anchor year's start as in the demo; result kinds from the demo, values by kind."""
    r = "d._name"
    value = (f"CASE WHEN {r} LIKE 'Blood Pressure%' THEN (95 + h('omr.s', d._src) % 60)::VARCHAR || '/' || "
             f"(55 + h('omr.d', d._src) % 40)::VARCHAR "
             f"WHEN {r} LIKE 'Weight%' THEN round(100 + u('omr.w', d._src) * 150, 1)::VARCHAR "
             f"WHEN {r} LIKE 'BMI%' THEN round(17 + u('omr.b', d._src) * 25, 1)::VARCHAR "
             f"WHEN {r} LIKE 'Height%' THEN (58 + h('omr.h', d._src) % 18)::VARCHAR "
             f"ELSE CASE WHEN u('omr.e', d._src) < 0.5 THEN '>60' ELSE (15 + h('omr.g', d._src) % 45)::VARCHAR END END")
    days = c.quantile(c.data["admissions"]["omr_days"], "omr.t", at="((d._k + u('omr.t', d._src)) / d._n)")
    return {"chartdate": f"CAST(d._ws + secs(86400 * {days}) AS DATE)", "seq_num": "1",
            "result_name": r, "result_value": value}


def omr_extras(n: N, c: Calibrated) -> dict[str, str]:
    return {"_name": group(c, "omr", "small.omr", "omr.r")["result_name"]}


def poe(n: N, c: Calibrated) -> Overrides:
    seq = "d._src - d._sstart + 1"
    dco = 1 - null_share(c, "poe", "discontinue_of_poe_id", 0.88)
    dcb = 1 - null_share(c, "poe", "discontinued_by_poe_id", 0.88)
    return {
        "poe_seq": seq,
        "poe_id": seq_id("d.subject_id", seq),
        "hadm_id": f"CASE WHEN u('poe.nh', d._src) < {null_share(c, 'poe', 'hadm_id', 0.02)} THEN NULL ELSE d.hadm_id END",
        "ordertime": "d._t0",
        "discontinue_of_poe_id": f"CASE WHEN {seq} > 1 AND u('poe.dco', d._src) < {dco} "
                                 f"THEN {seq_id('d.subject_id', f'{seq} - 1')} END",
        "discontinued_by_poe_id": f"CASE WHEN {seq} < d._scount AND u('poe.dcb', d._src) < {dcb} "
                                  f"THEN {seq_id('d.subject_id', f'{seq} + 1')} END",
    }


def poe_detail(n: N, c: Calibrated) -> Overrides:
    """Fields of one order differ (the key is poe_id + field_name): the demo's field names, taken in turn."""
    row = sibling_row("poe")
    r = "(d._k // s_poe._n)"
    cal = c.data["small"]["poe_detail"]
    pairs = cal["values"]
    names = list(dict.fromkeys(v[0] for v in pairs)) or vocab.POE_FIELDS
    shares = [sum(p for v, p in zip(pairs, cal["p"]) if v[0] == name) or 1.0 for name in names]
    values = [[v[1] for v in pairs if v[0] == name] or ["___"] for name in names]
    fields = c.var("poe_detail_names", "VARCHAR", names)
    vals = c.var("poe_detail_values", "VARCHAR[]", values)
    first = f"{c.var('poe_detail_slots', 'INTEGER', slots(shares))}[1 + floor(u('pd.f', {row}) * {SLOTS})::BIGINT]"
    index = f"(1 + ({first} - 1 + {r}) % {len(names)})::BIGINT"
    return {
        "poe_id": sibling_seq_id("poe", row),
        "poe_seq": f"{row} - s_poe._sstart + 1",
        "field_name": f"{fields}[{index}]",
        "field_value": f"{vals}[{index}][1 + (h('pd.v', d._src) % len({vals}[{index}]))::BIGINT]",
    }


def _order_times(c: Calibrated, table: str, prefix: str) -> dict[str, str]:
    ahead = delta(c, table, "stoptime", default=f"d._t0 + secs(3600 * (2 + 24 * 6 * pow(u('{prefix}.dur', d._src), 2)))")
    return {"starttime": "d._t0",
            "stoptime": f"CASE WHEN d._q_starttime_le_stoptime THEN d._t0 - secs(600 + 3600 * 20 * u('{prefix}.neg', d._src)) "
                        f"ELSE {ahead} END"}


def pharmacy(n: N, c: Calibrated) -> Overrides:
    return {
        "pharmacy_id": pharmacy_id("d._src", n),
        "poe_id": f"CASE WHEN u('ph.np', d._src) < {null_share(c, 'pharmacy', 'poe_id', 0.05)} THEN NULL ELSE "
                  f"{sibling_seq_id('poe', random_sibling('poe', 'ph.poe'))} END",
        **_order_times(c, "pharmacy", "ph"),
    }


def prescriptions(n: N, c: Calibrated) -> Overrides:
    """One order's drugs differ (the key is pharmacy_id + drug_type + drug): the main drug drawn as in the demo,
    the others the next drugs of its list."""
    row = sibling_row("pharmacy")
    r = "(d._k // s_pharmacy._n)"
    cal = c.data["small"]["drug"]
    drugs = c.var("rx_drugs", "VARCHAR", [v[0] for v in cal["values"]] or vocab.DRUGS)
    first = (f"{c.var('rx_drug_slots', 'INTEGER', slots(cal['p']))}[1 + floor(u('rx.d', {row}) * {SLOTS})::BIGINT]"
             if cal["values"] else f"(1 + h('rx.d', {row}) % {len(vocab.DRUGS)})")
    poe_row = random_sibling("poe", "rx.poe")
    has_poe = f"u('rx.np', d._src) >= {null_share(c, 'prescriptions', 'poe_id', 0.05)}"
    return {
        "pharmacy_id": pharmacy_id(row, n),
        "poe_id": f"CASE WHEN {has_poe} THEN {sibling_seq_id('poe', poe_row)} END",
        "poe_seq": f"CASE WHEN {has_poe} THEN {poe_row} - s_poe._sstart + 1 END",
        **_order_times(c, "prescriptions", "rx"),
        "drug_type": f"CASE WHEN {r} = 0 THEN 'MAIN' ELSE {P(['BASE', 'ADDITIVE'], 'rx.dt')} END",
        "drug": f"{drugs}[1 + ({first} - 1 + {r}) % len({drugs})]",
    }


def emar(n: N, c: Calibrated) -> Overrides:
    seq = "d._src - d._sstart + 1"
    no_ph = null_share(c, "emar", "pharmacy_id", 0.05)
    return {
        "hadm_id": f"CASE WHEN u('em.nh', d._src) < {null_share(c, 'emar', 'hadm_id', 0.02)} THEN NULL ELSE d.hadm_id END",
        "emar_id": seq_id("d.subject_id", seq),
        "emar_seq": seq,
        "poe_id": sibling_seq_id("poe", random_sibling("poe", "em.poe")),
        "pharmacy_id": f"CASE WHEN s_pharmacy._n > 0 AND u('em.np', d._src) >= {no_ph} THEN "
                       f"{pharmacy_id(random_sibling('pharmacy', 'em.ph'), n)} END",
        "charttime": "d._t0",
    }


def emar_detail(n: N, c: Calibrated) -> Overrides:
    row = sibling_row("emar")
    r = "(d._k // s_emar._n)"
    no_ph = null_share(c, "emar_detail", "pharmacy_id", 0.1)
    return {
        "emar_id": sibling_seq_id("emar", row),
        "emar_seq": f"{row} - s_emar._sstart + 1",
        "parent_field_ordinal": f"CASE WHEN {r} > 0 THEN '1.' || {r}::VARCHAR END",
        "pharmacy_id": f"CASE WHEN s_pharmacy._n > 0 AND u('ed.np', d._src) >= {no_ph} THEN "
                       f"{pharmacy_id(random_sibling('pharmacy', 'ed.ph'), n)} END",
    }


# --- icu events --------------------------------------------------------------------------------------------

def chartevents(n: N, c: Calibrated) -> Overrides:
    """Not in the demo copy: the real d_items' chartevents items, values within their normal ranges."""
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


def datetimeevents(n: N, c: Calibrated) -> Overrides:
    return {"value": f"date_trunc('minute', {delta(c, 'datetimeevents', 'value')})",
            "valueuom": c.item_extra("datetimeevents", "fk_itemid", "valueuom", "dt.x")}


def _item_columns(c: Calibrated, table: str, tag: str) -> dict[str, str]:
    """The measure and the per-item columns of an icu event table, from the picked item."""
    cal = c.items(table)
    if cal is None:
        raise ValueError(f"the calibration has no items for {table}")
    out = {cal["measure"]: c.item_measure(table, "fk_itemid", f"{tag}.v")} if cal["measure"] else {}
    out.update({col: c.item_extra(table, "fk_itemid", col, f"{tag}.x") for col in cal["columns"]})
    return out


def _ends(c: Calibrated, table: str, prefix: str) -> dict[str, str]:
    ahead = delta(c, table, "endtime", default=f"d._t0 + secs(60 + 3600 * 8 * u('{prefix}.d', d._src))")
    return {"starttime": "d._t0",
            "endtime": f"CASE WHEN d._q_starttime_le_endtime THEN d._t0 - secs(60) ELSE {ahead} END"}


def inputevents(n: N, c: Calibrated) -> Overrides:
    return {**_ends(c, "inputevents", "in"), **_item_columns(c, "inputevents", "in"),
            "orderid": orderid("d._src", n), "linkorderid": orderid("d._src", n)}


def ingredientevents(n: N, c: Calibrated) -> Overrides:
    row = sibling_row("inputevents")
    return {**_ends(c, "ingredientevents", "ig"), **_item_columns(c, "ingredientevents", "ig"),
            "orderid": orderid(row, n), "linkorderid": orderid(row, n)}


INGREDIENT_PICK = "(h('ig.i', s_inputevents._start + d._k % s_inputevents._n) + d._k // s_inputevents._n)"


def outputevents(n: N, c: Calibrated) -> Overrides:
    return _item_columns(c, "outputevents", "oe")


def procedureevents(n: N, c: Calibrated) -> Overrides:
    return {
        "starttime": "d._t0",
        "endtime": delta(c, "procedureevents", "endtime",
                         default="d._t0 + secs(60 + 3600 * 30 * pow(u('pe.d', d._src), 2))"),
        **_item_columns(c, "procedureevents", "pe"),
        "orderid": orderid(f"{n['inputevents']} + d._src", n),
        "linkorderid": orderid(f"{n['inputevents']} + d._src", n),
    }


OVERRIDES: dict[str, Callable[[N, Calibrated], Overrides]] = {
    f.__name__: f for f in (provider, caregiver, patients, admissions, transfers, icustays, drgcodes, hcpcsevents,
                            labevents, microbiologyevents, omr, poe, poe_detail, pharmacy, prescriptions, emar,
                            emar_detail, chartevents, datetimeevents, inputevents, ingredientevents, outputevents,
                            procedureevents)
}
EXTRAS: dict[str, Callable[[N, Calibrated], dict[str, str]]] = {
    "patients": patient_extras, "admissions": admission_extras, "transfers": transfer_extras, "labevents": lab_extras,
    "microbiologyevents": micro_extras, "omr": omr_extras,
}
# FK picks whose index is not a draw by the item's share (ingredients of one input order must differ).
RANKED_PICKS = {("ingredientevents", "itemid")}


def pick_index(table: str, fk: str, c: Calibrated) -> str | None:
    """The pick of an ingredient: the first one of an input order by the demo's item shares (the pick table has
    one row per item), the others the next items, so an order's ingredients differ."""
    if (table, fk) != ("ingredientevents", "itemid"):
        return None
    items = c.items(table)
    if items is None:
        return INGREDIENT_PICK
    ranks = c.var("ig_ranks", "INTEGER", slots([e["p"] for e in items["items"]]))
    first = f"{ranks}[1 + floor(u('ig.i', s_inputevents._start + d._k % s_inputevents._n) * {SLOTS})::BIGINT] - 1"
    return f"({first} + d._k // s_inputevents._n)"
# Null rates for nullable columns the generic generator fills where the demo does not say (chartevents).
NULL_RATES: dict[str, float] = {
    "admit_provider_id": 0.3, "order_provider_id": 0.3, "enter_provider_id": 0.2, "caregiver_id": 0.02,
    "hadm_id": 0.0, "stay_id": 0.0, "storetime": 0.01, "value": 0.0, "valuenum": 0.0,
}
DEFAULT_NULL_RATE = 0.05
