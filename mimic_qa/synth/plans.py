"""How each table's rows hang off their parents (the per-table realism of row counts and nesting).

Every non-dictionary table is allocated over a parent (patients, admissions, hospital visits or ICU
stays): each eligible parent gets a contiguous block of rows, at least ``minimum`` of them, the rest
shared in proportion to ``weight``. Blocks follow the parent order, so rows come out sorted by
subject and time without a sort, and a row's parent is found with one ASOF join.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOS_HOURS = "greatest(1, date_diff('hour', p._ws, p._we))"
LOS_MINUTES = "greatest(1, date_diff('minute', p._ws, p._we))"


@dataclass(frozen=True)
class Plan:
    parent: str | None  # p_<parent> view; None for dictionaries and patients
    share: float = 1.0  # fraction of eligible parents that get rows
    minimum: str = "1"  # SQL: rows each chosen parent gets at least
    weight: str = "1"  # SQL: share of the remaining rows
    eligible: str = "TRUE"  # SQL over the parent (p) and its siblings' allocations (s_<table>)
    siblings: tuple[str, ...] = ()  # tables allocated over the same parent whose blocks this one uses
    materialize: bool = False  # kept as a DuckDB table (other tables read it)
    extras: dict[str, str] = field(default_factory=dict)  # per-row helper values (SQL over d)
    joins: tuple[str, ...] = ()  # extra joins onto the row context
    calibrated: bool = True  # rows per parent drawn from the demo's distribution (where calibrated)
    choose: str = "h('{table}.elig', _pi)"  # SQL ordering eligible parents: the first ``share`` of them get rows
    minimum_only: str = "FALSE"  # SQL over p: parents that get exactly ``minimum`` rows


ADM = "admissions"
PLANS: dict[str, Plan] = {
    "patients": Plan(None, materialize=True),
    "admissions": Plan("patients", share=223452 / 364627, weight="1 + floor(30 * pow(u('w.adm', p._pi), 6))::BIGINT",
                       materialize=True),
    # ED (for admissions through it), a first unit, the ICU stays, discharge
    "transfers": Plan("visits", minimum="2 + p._icu + (p._ed AND p.hadm_id IS NOT NULL)::INTEGER",
                      weight="1 + floor(4 * u('w.tr', p._pi))::BIGINT",
                      minimum_only="p.hadm_id IS NULL",  # an ED visit without admission: ED, discharge
                      materialize=True),
    # longer admissions are likelier to include an ICU stay (a draw weighted by length of stay)
    "icustays": Plan(ADM, share=0.155, weight="1 + (u('w.icu', p._pi) < 0.1)::BIGINT", materialize=True,
                     choose=f"-pow(u('icu.elig', _pi), 1.0 / {LOS_HOURS.replace('p.', '')})",
                     joins=("JOIN a_transfers atr ON atr._pi = d._pi",
                            "JOIN transfers tr ON tr._i = atr._start + 1 + d._ed::INTEGER - icu_direct(d._pi)::INTEGER + d._k")),
    "services": Plan(ADM, weight="1 + (u('w.sv', p._pi) < 0.08)::BIGINT"),
    "diagnoses_icd": Plan(ADM, share=0.99, weight="1 + floor(25 * pow(u('w.dx', p._pi), 1.5))::BIGINT"),
    "procedures_icd": Plan(ADM, share=0.40, weight="1 + floor(4 * pow(u('w.px', p._pi), 2))::BIGINT"),
    "drgcodes": Plan(ADM, share=0.75),
    "hcpcsevents": Plan(ADM, share=0.12, weight="1 + floor(3 * u('w.hc', p._pi))::BIGINT"),
    "labevents": Plan(ADM, share=0.97, weight=LOS_HOURS),
    "microbiologyevents": Plan(ADM, share=0.45, weight=LOS_HOURS),
    "omr": Plan("patients", share=0.6, weight="1 + floor(20 * pow(u('w.omr', p._pi), 2))::BIGINT",
                materialize=True),
    "poe": Plan(ADM, share=0.97, weight=LOS_HOURS),
    "poe_detail": Plan(ADM, minimum="0", weight="s_poe._n", eligible="s_poe._n > 0", siblings=("poe",), calibrated=False),
    "pharmacy": Plan(ADM, share=0.95, weight=LOS_HOURS, eligible="s_poe._n > 0", siblings=("poe",)),
    "prescriptions": Plan(ADM, weight="s_pharmacy._n", eligible="s_pharmacy._n > 0", siblings=("pharmacy", "poe"), calibrated=False),
    "emar": Plan(ADM, share=0.8, weight=LOS_HOURS, eligible="s_poe._n > 0", siblings=("poe", "pharmacy")),
    "emar_detail": Plan(ADM, minimum="s_emar._n", weight="s_emar._n", eligible="s_emar._n > 0",
                        siblings=("emar", "pharmacy"), calibrated=False),
    "chartevents": Plan("icustays", weight=LOS_MINUTES),
    "datetimeevents": Plan("icustays", share=0.9, weight=LOS_MINUTES),
    "inputevents": Plan("icustays", share=0.95, weight=LOS_MINUTES),
    "ingredientevents": Plan("icustays", weight="s_inputevents._n", eligible="s_inputevents._n > 0",
                             siblings=("inputevents",), calibrated=False),
    "outputevents": Plan("icustays", share=0.9, weight=LOS_MINUTES),
    "procedureevents": Plan("icustays", share=0.9, weight=LOS_MINUTES),
}

# Generation order: parents and siblings before the tables that use them.
ORDER = ["d_hcpcs", "d_icd_diagnoses", "d_icd_procedures", "d_labitems", "d_items", "provider", "caregiver",
         "patients", "admissions", "transfers", "icustays", "services", "diagnoses_icd", "procedures_icd",
         "drgcodes", "hcpcsevents", "labevents", "microbiologyevents", "omr", "poe", "poe_detail", "pharmacy",
         "prescriptions", "emar", "emar_detail", "chartevents", "datetimeevents", "inputevents",
         "ingredientevents", "outputevents", "procedureevents"]


def plan_for(table: str) -> Plan:
    """The table's plan (dictionaries: no parent, kept whole)."""
    return PLANS.get(table, Plan(None, materialize=True))
