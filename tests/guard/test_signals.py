"""Signals derived from the spec, and how single values, headers and rows are judged."""

from __future__ import annotations

import pytest

from mimic_qa.guard.signals import (
    Evidence,
    assess_table,
    default_signals,
    header_signature,
    row_looks_mimic,
    value_signal,
)
from mimic_qa.guard.text import assess_html, assess_text, html_to_text
from mimic_qa.spec import load_spec


@pytest.fixture(scope="module")
def sig():
    return default_signals()


def test_identifier_blocks_come_from_the_spec_domains(sig):
    spec = load_spec()
    subject = next(d for d in spec.tables["patients"].domains if d.column == "subject_id")
    assert sig.person_range.low == subject.min and sig.person_range.high == subject.max
    names = [r.name for r in sig.id_ranges]
    assert names == ["subject_id", "hadm_id", "stay_id/transfer_id"]  # stay and transfer ids share a block


def test_compound_ids_are_the_columns_of_the_format_rules(sig):
    assert sig.compound_ids == {"emar_id", "poe_id", "note_id"}  # <subject_id>-<seq>, <subject_id>-<type>-<seq>


def test_every_spec_column_is_known(sig):
    spec = load_spec()
    assert sig.columns == {c for t in spec.tables.values() for c in t.column_names}


@pytest.mark.parametrize("value, expected", [
    ("10000032", "subject_id"), (19999999, "subject_id"), ("20000019", "hadm_id"), ("20000019.0", "hadm_id"),
    ("30000153", "stay_id/transfer_id"), ("10000032-17", "compound_id"), ("2180-05-06", "shifted_date"),
    ("2180-05-06 22:25:00", "shifted_date"), ('"10000032"', "subject_id"),
    ("2024-05-06", None), ("09999999", None), ("40000000", None), ("100000320", None), ("1000003", None),
    ("20000019-3", None), (True, None), ("abc", None), ("", None), ("2180-13-06", None),
])
def test_value_signal(sig, value, expected):
    assert value_signal(value, sig) == expected


def test_header_signature_needs_an_identifier_and_a_second_column(sig):
    assert header_signature(["subject_id", "hadm_id", "itemid", "charttime"], sig) == "hosp.labevents"
    assert header_signature(["stay_id", "intime", "first_careunit"], sig) == "icu.icustays"
    assert header_signature(["subject_id"], sig) is None
    assert header_signature(["itemid", "charttime", "valuenum"], sig) is None  # no identifier column
    assert header_signature(["subject_id", "n_patients"], sig) is None  # nothing else from the same table


def test_a_row_needs_an_identifier_backed_by_a_header_or_a_second_signal():
    assert row_looks_mimic({"subject_id"}, header_matched=True)
    assert not row_looks_mimic({"subject_id"}, header_matched=False)
    assert row_looks_mimic({"subject_id", "shifted_date"}, header_matched=False)
    assert not row_looks_mimic({"shifted_date"}, header_matched=True)


def test_assess_table_counts_rows_and_first_line(sig):
    rows = [(10000032 + i, 20000019 + i, f"2180-01-0{1 + i % 9}") for i in range(7)] + [(1, 2, "x")]
    ev = assess_table(["a", "b", "c"], rows, sig, first_line=2)
    assert (ev.rows, ev.first_line, ev.table) == (7, 2, None)
    assert ev.signals == {"subject_id", "hadm_id", "shifted_date"}


def test_printed_frame_with_index_column_is_read_against_its_header(sig):
    text = "   subject_id gender  anchor_age\n" + "".join(f"{i}    {10000032 + i}      F          {60 + i}\n"
                                                           for i in range(6))
    ev = assess_text(text, sig)
    assert (ev.rows, ev.table) == (6, "hosp.patients")


def test_ids_without_header_or_second_signal_are_not_rows(sig):
    text = "".join(f"{10000032 + i}\n" for i in range(50))  # a bare id list, e.g. a cohort list in a test
    assert assess_text(text, sig).rows == 0


def test_html_table_rendering(sig):
    markup = ("<table><thead><tr><th></th><th>subject_id</th><th>hadm_id</th></tr></thead><tbody>"
              + "".join(f"<tr><th>{i}</th><td>{10000032 + i}</td><td>{20000019 + i}</td></tr>" for i in range(5))
              + "</tbody></table>")
    assert html_to_text(markup).splitlines()[0].split("\t")[1:3] == ["subject_id", "hadm_id"]
    ev = assess_html(markup, sig)
    assert (ev.rows, ev.table) == (5, "hosp.admissions")


def test_evidence_description_names_signals_not_values():
    ev = Evidence(rows=3, table="hosp.emar", signals={"subject_id", "compound_id", "shifted_date"})
    assert ev.describe() == ("3 rows look like MIMIC-IV data: identifiers in MIMIC-IV ranges "
                             "(subject_id, <subject_id>-<seq> ids); shifted dates; columns of hosp.emar")
