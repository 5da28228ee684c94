"""Derive the generator's calibration from the real MIMIC-IV demo 2.2 (ODbL 1.0).

    python -m mimic_qa.synth.calibrate /path/to/mimic-iv-demo-2.2 [--out mimic_qa/synth/data]

writes ``calibration.json`` (aggregates only) and copies the demo's five dictionary tables byte for byte into
``dictionaries/``. Nothing patient-level is kept: every category, item, comment template and tuple of values
is kept only when at least ``MIN_PATIENTS`` (10) distinct patients have it (rarer ones are dropped and the rest
renormalised); numeric distributions are stored as quantiles of the values clipped to the range that at least
``MIN_PATIENTS`` patients reach at either end, so no quantile is one patient's extreme. The output is
deterministic: running it again on the same demo gives the same bytes (a test holds the shipped files to that).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from mimic_qa.sources.database import one_row, scalar
from mimic_qa.sources.folder import open_folder
from mimic_qa.spec import Spec, load_spec
from mimic_qa.synth.calibration import COPIED, DATA_DIR
from mimic_qa.synth.counts import DICTIONARIES

MIN_PATIENTS = 10
GRID = 100  # quantiles at i / GRID, i = 0..GRID
ITEM_GRID = 20  # per-item quantiles (items have fewer values)

# Columns the generator derives from structure (keys, ranks, times, items), never from a marginal.
STRUCTURAL = {
    "admissions": {"hospital_expire_flag", "discharge_location"},
    "transfers": {"eventtype", "careunit"},
    "icustays": {"first_careunit", "last_careunit", "los"},
    "drgcodes": {"drg_type", "drg_severity", "drg_mortality", "drg_code", "description"},
    "omr": {"seq_num", "result_name", "result_value"},
    "poe_detail": {"field_name", "field_value"},
    "emar_detail": {"parent_field_ordinal"},
    "hcpcsevents": {"short_description"},
}
# Columns drawn together (one draw per row gives the tuple: joint structure and null patterns kept), and columns
# "linked" to a group: drawn on their own but NULL exactly where the group is (the same draw decides).
GROUPS: dict[str, list[dict[str, list[str]]]] = {
    "microbiologyevents": [
        {"cols": ["spec_itemid", "spec_type_desc"]}, {"cols": ["test_itemid", "test_name"]},
        {"cols": ["org_itemid", "org_name"], "linked": ["isolate_num", "quantity"]},
        {"cols": ["ab_itemid", "ab_name"], "null_of": ["org_itemid"],
         "linked": ["dilution_text", "dilution_comparison", "dilution_value", "interpretation"]}],
    "emar_detail": [{"cols": ["administration_type", "barcode_type", "route"]},
                    {"cols": ["dose_due", "dose_due_unit"], "linked": ["dose_given", "dose_given_unit"]},
                    {"cols": ["product_unit"], "linked": ["product_amount_given", "product_code",
                                                          "product_description"]},
                    {"cols": ["infusion_rate_unit"], "linked": ["infusion_rate"]}],
    "pharmacy": [{"cols": ["proc_type", "infusion_type"]}, {"cols": ["duration_interval"], "linked": ["duration"]},
                 {"cols": ["expiration_value", "expiration_unit"]}],
    "prescriptions": [{"cols": ["dose_unit_rx"], "linked": ["prod_strength", "form_unit_disp", "route",
                                                           "dose_val_rx", "form_val_disp"]}],
    "inputevents": [{"cols": ["rateuom"], "linked": ["rate"]},
                    {"cols": ["totalamountuom"], "linked": ["totalamount"]}],
    "ingredientevents": [{"cols": ["rateuom"], "linked": ["rate"]}],
    "procedureevents": [{"cols": ["location", "locationcategory"]}],
    "poe": [{"cols": ["order_type", "order_subtype"]}],
}
# Per-item layout of the event tables: the measure (quantiles per item) and columns drawn per item.
ITEMS: dict[str, tuple[str | None, list[str]]] = {
    "labevents": ("valuenum", ["valueuom", "ref_range_lower", "ref_range_upper", "flag"]),
    "outputevents": ("value", ["valueuom"]),
    "inputevents": ("amount", ["amountuom", "ordercategoryname", "secondaryordercategoryname",
                               "ordercomponenttypedescription", "ordercategorydescription"]),
    "ingredientevents": ("amount", ["amountuom"]),
    "procedureevents": ("value", ["valueuom", "ordercategoryname", "ordercategorydescription"]),
    "datetimeevents": (None, ["valueuom"]),
}
# The time each row hangs on, placed within its parent's window (admission, ICU stay); other times are
# calibrated as offsets from it.
MAIN_TIME = {
    "labevents": "charttime", "microbiologyevents": "chartdate", "poe": "ordertime", "pharmacy": "starttime",
    "prescriptions": "starttime", "emar": "charttime", "services": "transfertime", "procedures_icd": "chartdate",
    "hcpcsevents": "chartdate", "datetimeevents": "charttime", "inputevents": "starttime",
    "ingredientevents": "starttime", "outputevents": "charttime", "procedureevents": "starttime",
}
ICU_TABLES = ("datetimeevents", "inputevents", "ingredientevents", "outputevents", "procedureevents")
TEMPLATES = ("labevents.comments", "microbiologyevents.comments")


def _q(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _round(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(float(x), digits)


def _plain(v):
    """JSON-friendly scalar (DuckDB returns Decimal/bool for some types)."""
    if v is None or isinstance(v, (str, int)):
        return v
    if isinstance(v, bool):
        return int(v)
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def load(con: duckdb.DuckDBPyConnection, demo: Path, spec: Spec) -> list[str]:
    """The demo's tables, typed by the spec, read through the source layer. Returns the tables present."""
    folder = open_folder(spec, demo, host=con)
    for name in folder.files:
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM {folder.read(spec.tables[name])}')
    return list(folder.files)


def categorical(con, table: str, cols: list[str], where: str = "TRUE") -> dict:
    """Tuples of ``cols`` (NULLs included) seen for >= MIN_PATIENTS patients, with their shares; the all-NULL
    tuple keeps its real share, rarer tuples are dropped and the others scaled up to fill their share."""
    sel = ", ".join(f'"{c}"' for c in cols)
    allnull = " AND ".join(f'"{c}" IS NULL' for c in cols)
    rows = _q(con, f"""SELECT {sel}, count(*) n, count(DISTINCT subject_id) p, ({allnull}) z FROM "{table}"
                       WHERE {where} GROUP BY ALL""")
    total = sum(r[-3] for r in rows)
    nulls = sum(r[-3] for r in rows if r[-1])
    kept = sorted((r for r in rows if not r[-1] and r[-2] >= MIN_PATIENTS),
                  key=lambda r: (-r[-3], json.dumps([_plain(v) for v in r[:-3]])))
    mass = sum(r[-3] for r in kept)
    return {"columns": cols, "rows": total, "null": _round(nulls / total) if total else 1.0,
            "kept": _round(mass / (total - nulls)) if total > nulls else 0.0,
            "values": [[_plain(v) for v in r[:-3]] for r in kept],
            "p": [_round(r[-3] / mass) for r in kept] if mass else []}


def _clip_bounds(con, rel: str, col: str, by: str = "subject_id") -> tuple[float, float] | None:
    """The range every end of which at least MIN_PATIENTS patients reach (None: fewer patients)."""
    row = one_row(con, f"""WITH m AS (SELECT {by}, min({col}) lo, max({col}) hi FROM {rel} WHERE {col} IS NOT NULL
                          GROUP BY {by}) SELECT (SELECT lo FROM m ORDER BY lo OFFSET {MIN_PATIENTS - 1} LIMIT 1),
                          (SELECT hi FROM m ORDER BY hi DESC OFFSET {MIN_PATIENTS - 1} LIMIT 1)""")
    if row[0] is None or row[1] is None:
        return None
    lo, hi = float(row[0]), float(row[1])
    return (lo, hi) if lo <= hi else ((lo + hi) / 2, (lo + hi) / 2)


def quantiles(con, rel: str, expr: str, grid: int = GRID, by: str = "subject_id") -> list[float] | None:
    """Quantiles at i / grid of ``expr`` over ``rel``, clipped to the range MIN_PATIENTS patients reach."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW _v AS SELECT {by}, ({expr})::DOUBLE AS x FROM {rel}")
    bounds = _clip_bounds(con, "_v", "x", by)
    if bounds is None:
        return None
    lo, hi = bounds
    probs = ", ".join(str(i / grid) for i in range(grid + 1))
    qs = scalar(con, f"SELECT quantile_cont(greatest({lo}, least({hi}, x)), [{probs}]) FROM _v "
                     "WHERE x IS NOT NULL")
    return [round(float(v), 6) for v in qs]


def _digits(con, table: str, col: str) -> int:
    """Decimal places the column's values carry (at most 4)."""
    for d in range(5):
        bad = scalar(con, f'SELECT count(*) FROM "{table}" WHERE "{col}" IS NOT NULL AND '
                          f'abs("{col}" - round("{col}", {d})) > 1e-9')
        if bad == 0:
            return d
    return 4


def numeric(con, table: str, col: str) -> dict:
    n, nn = one_row(con, f'SELECT count(*), count("{col}") FROM "{table}"')
    return {"null": _round(1 - nn / n) if n else 1.0, "q": quantiles(con, f'"{table}"', f'"{col}"'),
            "digits": _digits(con, table, col)}


def _role(spec: Spec, table: str, col: str) -> str | None:
    """How the calibration treats a column: 'categorical', 'numeric' or None (structural, keys, text, times)."""
    t = spec.tables[table]
    c = t.column(col)
    fk_cols = {x for fk in t.foreign_keys for x in fk.columns}
    if col in t.free_text or col in STRUCTURAL.get(table, ()) or col in fk_cols:
        return None
    if col in ("subject_id", "hadm_id", "stay_id", "poe_seq", "emar_seq") or col.endswith(("_id", "seq_num")) \
            or (c.kind == "integer" and col.endswith("id")):
        return None
    if t.primary_key and col in t.primary_key and not any(t.column(k).kind == "timestamp" for k in t.primary_key):
        return None  # part of a key the generator keeps unique (a key with a per-row time is unique anyway)
    if c.kind in ("date", "timestamp"):
        return None
    if c.kind == "string":
        return "categorical"
    return "numeric"


def _column(con, spec: Spec, table: str, col: str) -> tuple[str, dict] | None:
    """One column's calibration: ("categorical", group of one) or ("numeric", quantiles); None if structural."""
    role = _role(spec, table, col)
    if role is None:
        return None
    distinct = scalar(con, f'SELECT count(DISTINCT "{col}") FROM "{table}"')
    cat = categorical(con, table, [col]) if role == "categorical" or distinct <= 60 else None
    if cat is not None and (role == "categorical" or cat["kept"] >= 0.8):
        return "categorical", cat
    return "numeric", numeric(con, table, col)


def columns(con, spec: Spec, tables: list[str]) -> tuple[dict, dict]:
    """Per table: categorical groups (single columns are groups of one; a group's linked columns share its
    NULL draw) and numeric columns."""
    cats: dict[str, list[dict]] = {}
    nums: dict[str, dict[str, dict]] = {}
    for table in tables:
        if table in DICTIONARIES:
            continue
        done = set()
        if table in ITEMS:
            measure, extra = ITEMS[table]
            done |= set(extra) | ({measure} if measure else set())
        groups = []
        for g in GROUPS.get(table, []):
            group = categorical(con, table, g["cols"])
            if "null_of" in g:
                group["null_of"] = g["null_of"][0]
            done |= set(g["cols"])
            for col in g.get("linked", []):
                done.add(col)
                role, cal = _column(con, spec, table, col) or ("categorical", categorical(con, table, [col]))
                cal["null_of"] = g["cols"][0]
                if role == "categorical":
                    groups.append(cal)
                else:
                    nums.setdefault(table, {})[col] = cal
            groups.append(group)
        for c in spec.tables[table].columns:
            if c.name in done:
                continue
            got = _column(con, spec, table, c.name)
            if got is None:
                continue
            if got[0] == "categorical":
                groups.append(got[1])
            else:
                nums.setdefault(table, {})[c.name] = got[1]
        if groups:
            cats[table] = groups
    return cats, nums


def items(con, tables: list[str]) -> dict:
    """Per event table: the items seen for >= MIN_PATIENTS patients, their shares, and per item the measure's
    quantiles and the tuples of the item's other columns."""
    out = {}
    for table, (measure, extra) in ITEMS.items():
        if table not in tables:
            continue
        rows = _q(con, f'SELECT itemid, count(*) n FROM "{table}" GROUP BY itemid '
                       f'HAVING count(DISTINCT subject_id) >= {MIN_PATIENTS} ORDER BY n DESC, itemid')
        mass = sum(r[1] for r in rows)
        entries = []
        for itemid, n in rows:
            e: dict[str, Any] = {"itemid": int(itemid), "p": _round(n / mass)}
            rel = f'(SELECT * FROM "{table}" WHERE itemid = {int(itemid)})'
            if measure:
                nn = scalar(con, f'SELECT count("{measure}") FROM {rel}')
                e["null"] = _round(1 - nn / n)
                e["q"] = quantiles(con, rel, f'"{measure}"', ITEM_GRID)
            con.execute(f'CREATE OR REPLACE TEMP VIEW _item AS SELECT * FROM {rel}')
            e["extra"] = categorical(con, "_item", extra)
            del e["extra"]["columns"]
            entries.append(e)
        out[table] = {"measure": measure, "columns": extra,
                      "digits": _digits(con, table, measure) if measure else None, "items": entries}
    return out


def _parents(table: str) -> tuple[str, str]:
    if table in ICU_TABLES:
        return "icustays", "stay_id"
    if table == "omr":
        return "patients", "subject_id"
    if table == "admissions":
        return "patients", "subject_id"
    return "admissions", "hadm_id"


def rows_per_parent(con, tables: list[str]) -> dict:
    """Share of parents with any row, and quantiles of rows per parent among them (the allocation weights)."""
    out = {}
    for table in [*MAIN_TIME, "omr", "admissions", "transfers", "drgcodes", "diagnoses_icd", "icustays"]:
        if table not in tables:
            continue
        parent, key = _parents(table)
        if table in ("transfers", "drgcodes", "diagnoses_icd", "icustays"):
            parent, key = "admissions", "hadm_id"
        total = scalar(con, f'SELECT count(*) FROM "{parent}"')
        rel = (f'(SELECT p.subject_id, count(*) n FROM "{table}" x JOIN "{parent}" p USING ({key}) '
               f'GROUP BY p.{key}, p.subject_id)')
        with_rows = scalar(con, f"SELECT count(*) FROM {rel}")
        out[table] = {"parent": parent, "share": _round(with_rows / total), "q": quantiles(con, rel, "n", ITEM_GRID)}
    return out


def timing(con, spec: Spec, tables: list[str]) -> dict:
    """Where each row's main time falls in its parent's window (fraction of the window: 0 = start, 1 = end),
    and every other time column as seconds after the main time (for ordered pairs, only the rows in order;
    the generator adds the spec's quirks itself)."""
    out: dict[str, dict] = {}
    for table, main in MAIN_TIME.items():
        if table not in tables:
            continue
        if table in ICU_TABLES:
            win = f'(SELECT x.*, w.intime AS _ws, w.outtime AS _we FROM "{table}" x JOIN icustays w USING (stay_id))'
        else:
            win = (f'(SELECT x.*, w.admittime AS _ws, w.dischtime AS _we FROM "{table}" x '
                   f'JOIN admissions w USING (hadm_id))')
        frac = (f"epoch(CAST({main} AS TIMESTAMP) - _ws) / greatest(1, epoch(_we - _ws))")
        entry: dict[str, Any] = {"main": main, "fraction": quantiles(con, win, f"greatest(-3, least(4, {frac}))")}
        if spec.tables[table].column(main).kind == "date":  # a day: days after the admission's first day
            entry["days"] = quantiles(con, win, f"{main} - CAST(_ws AS DATE)")
        rules = {r.name for r in spec.tables[table].rules}
        deltas = {}
        for c in spec.tables[table].columns:
            if c.kind not in ("date", "timestamp") or c.name == main:
                continue
            ordered = f"{main}_le_{c.name}" in rules or "charttime_le_storetime" in rules and c.name == "storetime"
            ordered = ordered or (main == "starttime" and c.name in ("stoptime", "endtime"))
            delta = f'epoch(CAST("{c.name}" AS TIMESTAMP) - CAST({main} AS TIMESTAMP))'
            rel = f'(SELECT * FROM "{table}" WHERE {delta} >= 0)' if ordered else f'"{table}"'
            n, nn = one_row(con, f'SELECT count(*), count("{c.name}") FROM "{table}"')
            deltas[c.name] = {"null": _round(1 - nn / n), "q": quantiles(con, rel, delta)}
        entry["deltas"] = deltas
        out[table] = entry
    return out


def admissions(con) -> dict:
    """The admission timeline: when admissions fall after the anchor year's start, how long they last, the ED
    visit around them, in-hospital deaths, and the patients' deaths after discharge."""
    adm = ('(SELECT a.*, p.anchor_year, make_timestamp(p.anchor_year, 1, 1, 0, 0, 0) AS _t0 FROM admissions a '
           'JOIN patients p USING (subject_id))')
    died = scalar(con, "SELECT avg(hospital_expire_flag) FROM admissions")
    last = scalar(con, "SELECT count(DISTINCT subject_id) FROM admissions")
    n_adm = scalar(con, "SELECT count(*) FROM admissions")
    no_hosp_death = ("(SELECT p.* FROM patients p WHERE subject_id NOT IN "
                     "(SELECT subject_id FROM admissions WHERE hospital_expire_flag = 1))")
    dod_out = scalar(con, f"SELECT avg((dod IS NOT NULL)::INTEGER) FROM {no_hosp_death}")
    return {
        "admit_days": quantiles(con, adm, "epoch(admittime - _t0) / 86400"),
        "los_hours": quantiles(con, "admissions", "epoch(dischtime - admittime) / 3600"),
        "ed_share": _round(scalar(con, "SELECT avg((edregtime IS NOT NULL)::INTEGER) FROM admissions")),
        "ed_before_hours": quantiles(con, "admissions", "epoch(admittime - edregtime) / 3600"),
        "ed_hours": quantiles(con, "admissions", "epoch(edouttime - edregtime) / 3600"),
        "died_last_share": _round(min(1.0, died * n_adm / last)),
        "dod_after_discharge_share": _round(dod_out),
        "dod_after_discharge_days": quantiles(
            con, "(SELECT p.subject_id, p.dod, max(a.dischtime) d FROM patients p JOIN admissions a USING (subject_id) "
                 "WHERE p.dod IS NOT NULL GROUP BY ALL HAVING bool_and(a.hospital_expire_flag = 0))",
            "epoch(CAST(dod AS TIMESTAMP) - d) / 86400"),
        "discharge_location": categorical(con, "admissions", ["discharge_location"], "hospital_expire_flag = 0"),
        "omr_days": quantiles(con, "(SELECT o.*, make_date(p.anchor_year, 1, 1) AS _d0 FROM omr o JOIN patients p "
                                   "USING (subject_id))", "chartdate - _d0"),
    }


def stays(con) -> dict:
    """ICU stays and transfers: units, stay length and where the stay starts within the admission."""
    icu_ids = "(SELECT stay_id FROM icustays)"
    return {
        "icu_units": categorical(con, "icustays", ["first_careunit"]),
        "last_unit_differs": _round(scalar(con, 
            "SELECT avg((first_careunit <> last_careunit)::INTEGER) FROM icustays")),
        "ward_units": categorical(con, "transfers", ["careunit"],
                                  f"eventtype IN ('admit', 'transfer') AND transfer_id NOT IN {icu_ids}"),
        "ed_units": categorical(con, "transfers", ["careunit"], "eventtype = 'ED'"),
        "los_days": quantiles(con, "icustays", "los"),
        "direct_share": _round(scalar(con, 
            "SELECT avg((t.eventtype = 'admit')::INTEGER) FROM icustays i JOIN transfers t ON t.transfer_id = i.stay_id"
        )),
        "ed_only_per_patient": _round(scalar(con, 
            "SELECT count(*) FILTER (WHERE hadm_id IS NULL AND eventtype = 'ED') / count(DISTINCT subject_id) "
            "FROM transfers")),
        "start_hours": quantiles(  # stays that are not the admission's first unit
            con, "(SELECT i.subject_id, i.intime, a.admittime FROM icustays i JOIN admissions a USING (hadm_id) "
                 "JOIN transfers t ON t.transfer_id = i.stay_id WHERE t.eventtype <> 'admit')",
            "epoch(intime - admittime) / 3600"),
        "direct_hours": quantiles(  # stays that are
            con, "(SELECT i.subject_id, i.intime, a.admittime FROM icustays i JOIN admissions a USING (hadm_id) "
                 "JOIN transfers t ON t.transfer_id = i.stay_id WHERE t.eventtype = 'admit')",
            "epoch(intime - admittime) / 3600"),
    }


def templates(con) -> dict:
    """Free-text comments whose exact string at least MIN_PATIENTS patients have (PHI masked as ``___``)."""
    out = {}
    for key in TEMPLATES:
        table, col = key.split(".")
        out[key] = categorical(con, table, [col])
    return out


def drg(con) -> dict:
    return {"types": categorical(con, "drgcodes", ["drg_type"]),
            "apr": categorical(con, "drgcodes", ["drg_severity", "drg_mortality"], "drg_type = 'APR'"),
            "codes": categorical(con, "drgcodes", ["drg_type", "drg_code", "description"])}


def small_tables(con) -> dict:
    """omr's results, poe_detail's fields, hcpcsevents' codes, prescribed drugs and text lab results."""
    return {
        "omr": categorical(con, "omr", ["result_name"]),
        "poe_detail": categorical(con, "poe_detail", ["field_name", "field_value"]),
        "hcpcs": categorical(con, "hcpcsevents", ["hcpcs_cd", "short_description"]),
        "drug": categorical(con, "prescriptions", ["drug"]),
        "icd9_share": {t: _round(scalar(con, f"SELECT avg((icd_version = 9)::INTEGER) FROM {t}"))
                       for t in ("diagnoses_icd", "procedures_icd")},
        "lab_text": categorical(con, "labevents", ["value"], "valuenum IS NULL"),
    }


def nulls(con, spec: Spec, tables: list[str]) -> dict:
    """Every column's NULL share (keys and times included: the generator applies them where it can)."""
    out = {}
    for table in tables:
        if table in DICTIONARIES:
            continue
        names = spec.tables[table].column_names
        counts = ", ".join(f'count("{c}")' for c in names)
        row = one_row(con, f'SELECT count(*), {counts} FROM "{table}"')
        out[table] = {c: _round(1 - nn / row[0]) for c, nn in zip(names, row[1:])}
    return out


def derive(demo: Path, spec: Spec | None = None) -> dict:
    """The whole calibration as a JSON-ready dict."""
    spec = spec or load_spec()
    demo_release = spec.demo_of(next(iter(spec.projects)))
    assert demo_release is not None
    con = duckdb.connect()
    tables = load(con, demo, spec)
    cats, nums = columns(con, spec, tables)
    sums = {}
    for name in COPIED:
        sums[spec.tables[name].file] = hashlib.sha256((demo / spec.tables[name].file).read_bytes()).hexdigest()
    out = {
        "source": {"title": demo_release.title, "doi": demo_release.doi,
                   "license": "Open Database License (ODbL) 1.0", "dictionaries_sha256": sums},
        "rules": {"min_patients": MIN_PATIENTS, "grid": GRID, "item_grid": ITEM_GRID},
        "categorical": cats,
        "numeric": nums,
        "nulls": nulls(con, spec, tables),
        "items": items(con, tables),
        "rows_per_parent": rows_per_parent(con, tables),
        "timing": timing(con, spec, tables),
        "admissions": admissions(con),
        "stays": stays(con),
        "drg": drg(con),
        "small": small_tables(con),
        "templates": templates(con),
    }
    con.close()
    return out


def dumps(cal: dict) -> str:
    return json.dumps(cal, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(demo: Path, out: Path = DATA_DIR) -> None:
    spec = load_spec()
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(dumps(derive(demo, spec)), encoding="utf-8")
    (out / "dictionaries").mkdir(exist_ok=True)
    for name in COPIED:
        shutil.copyfile(demo / spec.tables[name].file, out / "dictionaries" / f"{name}.csv.gz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("demo", type=Path, help="the real MIMIC-IV demo 2.2 folder (read only)")
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    args = ap.parse_args()
    write(args.demo, args.out)
    print(f"wrote {args.out / 'calibration.json'} and {len(COPIED)} dictionaries")


if __name__ == "__main__":
    main()
