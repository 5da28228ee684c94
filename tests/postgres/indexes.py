"""The secondary indexes a loaded database must have, and those it has.

``MIMIC_CODE_INDEXES`` is written from mimic-code's ``mimic-iv/buildmimic/postgres/index.sql`` (ba6534fe) by
hand, one line per ``CREATE INDEX``: table, index name (folded to lower case, as PostgreSQL stores it), columns.
It is the test's own reading of that file, not the package's ``indexes.yaml``.
"""

from __future__ import annotations

import psycopg

from tests.postgres.keys import SCHEMAS

MIMIC_CODE_INDEXES = {
    (line.split()[0], line.split()[1]): tuple(line.split()[2:]) for line in """
    admissions admissions_idx01 admittime dischtime deathtime
    d_icd_diagnoses d_icd_diag_idx02 long_title
    d_icd_procedures d_icd_proc_idx02 long_title
    drgcodes drgcodes_idx01 drg_code drg_type
    drgcodes drgcodes_idx02 description drg_severity
    d_labitems d_labitems_idx01 label fluid category
    emar_detail emar_detail_idx01 pharmacy_id
    emar_detail emar_detail_idx02 product_code
    emar_detail emar_detail_idx03 route site side
    emar_detail emar_det_idx04 product_description
    emar emar_idx01 poe_id
    emar emar_idx02 pharmacy_id
    emar emar_idx03 charttime scheduletime storetime
    emar emar_idx04 medication
    hcpcsevents hcpcsevents_idx04 short_description
    labevents labevents_idx01 charttime storetime
    labevents labevents_idx02 specimen_id
    microbiologyevents microbiologyevents_idx01 chartdate charttime storedate storetime
    microbiologyevents microbiologyevents_idx02 spec_itemid test_itemid org_itemid ab_itemid
    microbiologyevents microbiologyevents_idx03 micro_specimen_id
    patients patients_idx01 anchor_age
    patients patients_idx02 anchor_year
    pharmacy pharmacy_idx01 poe_id
    pharmacy pharmacy_idx02 starttime stoptime
    pharmacy pharmacy_idx03 medication
    pharmacy pharmacy_idx04 route
    poe poe_idx01 order_type
    prescriptions prescriptions_idx01 starttime stoptime
    transfers transfers_idx01 hadm_id
    transfers transfers_idx02 intime
    transfers transfers_idx03 careunit
    chartevents chartevents_idx01 charttime storetime
    datetimeevents datetimeevents_idx01 charttime storetime
    datetimeevents datetimeevents_idx02 value
    d_items d_items_idx01 label abbreviation
    d_items d_items_idx02 category
    icustays icustays_idx01 first_careunit last_careunit
    icustays icustays_idx02 intime outtime
    inputevents inputevents_idx01 starttime endtime
    inputevents inputevents_idx02 ordercategorydescription
    outputevents outputevents_idx01 charttime storetime
    procedureevents procedureevents_idx01 starttime endtime
    procedureevents procedureevents_idx02 ordercategoryname
    """.strip().splitlines()
}

INDEXES_SQL = """
SELECT t.relname, i.relname,
       ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace ns ON ns.oid = t.relnamespace
WHERE ns.nspname = ANY(%s) AND NOT x.indisprimary
"""


def expected_indexes(tables: set[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    """mimic-code's indexes on ``tables``: (table, index) -> columns."""
    return {key: cols for key, cols in MIMIC_CODE_INDEXES.items() if key[0] in tables}


def actual_indexes(dsn: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """The database's indexes other than primary keys, in the two schemas: (table, index) -> columns."""
    with psycopg.connect(dsn) as conn:
        return {(table, name): tuple(cols) for table, name, cols in conn.execute(INDEXES_SQL, (SCHEMAS,))}
