"""The analyzer on the labelled corpus: MIMIC-style comments with and without PHI (eponyms, drugs, masks)."""

from __future__ import annotations

from collections import Counter

import pytest

from mimic_qa.phi.entities import Entity


def _overlap(a, b) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def test_corpus_labels_use_the_shared_entity_names(corpus):
    names = {e.value for e in Entity}
    assert {s["entity_type"] for row in corpus for s in row["spans"]} <= names
    assert sum(1 for row in corpus if not row["spans"]) >= 40  # enough clean strings to measure false alarms


def test_every_labelled_span_is_found_with_its_type(analyzer, corpus):
    found, missed = Counter(), Counter()
    for row in corpus:
        hits = [h.__dict__ for h in analyzer.analyze(row["text"])]
        for span in row["spans"]:
            ok = any(_overlap(span, h) and h["entity_type"] == span["entity_type"] for h in hits)
            (found if ok else missed)[span["entity_type"]] += 1
    total = sum(found.values()) + sum(missed.values())
    assert sum(found.values()) / total >= 0.98, missed
    for entity in found | missed:
        assert found[entity] / (found[entity] + missed[entity]) >= 0.95, (entity, missed)


def test_no_findings_on_clean_strings(analyzer, corpus):
    flagged = [(i, [h.entity_type for h in analyzer.analyze(row["text"])])
               for i, row in enumerate(corpus) if not row["spans"]]
    assert [f for f in flagged if f[1]] == []  # line numbers and types only, never the text


def test_precision_on_labelled_strings(analyzer, corpus):
    hits = [(h, row) for row in corpus for h in analyzer.analyze(row["text"])]
    true = sum(any(_overlap(h.__dict__, s) for s in row["spans"]) for h, row in hits)
    assert true / len(hits) >= 0.90


@pytest.mark.parametrize("text", [
    "Hunt and Hess grade 4 SAH.", "Allen test normal bilaterally.", "Creutzfeldt-Jakob disease ruled out.",
    "Swan-Ganz catheter removed.", "Foley catheter to gravity.", "Non-Hodgkin lymphoma, Parkinson disease.",
    "Discussed with ___ regarding Jackson-Pratt drain output.",
])
def test_eponyms_are_not_names(analyzer, text):
    assert analyzer.analyze(text) == []


@pytest.mark.parametrize("text", [
    "[**First Name (Titles) 137**] [**Last Name (Titles) **] called at [**2112-4-18**]",
    "___ CALLED TO ___ ___ AT 09:45 ON ___.",
    "Drawn 2150-03-14 08:30:00; repeat on 3/15/2150 and March 16, 2150.",
])
def test_masks_and_shifted_dates_are_already_deidentified(analyzer, text):
    assert analyzer.analyze(text) == []


def test_real_dates_are_flagged_and_offsets_point_at_them(analyzer):
    text = "Repeat on 3/15/2150, prior study 3/15/2019."
    hits = analyzer.analyze(text)
    assert [(h.entity_type, text[h.start:h.end]) for h in hits] == [("DATE", "3/15/2019")]


def test_fax_wins_over_phone_for_the_same_number(analyzer):
    text = "fax 617-555-0100, phone 617-555-0101"
    assert [h.entity_type for h in analyzer.analyze(text)] == ["FAX_NUMBER", "PHONE_NUMBER"]


def test_title_cue_beats_the_vocabulary(analyzer):
    """'Foley' is a clinical word, but after 'Dr.' it is a name."""
    text = "Discussed with Dr. Foley, Foley catheter left in."
    hits = analyzer.analyze(text)
    assert [(h.entity_type, text[h.start:h.end]) for h in hits] == [("PERSON", "Foley")]
    assert hits[0].start == text.index("Foley")


def test_states_are_not_below_state_level(analyzer):
    text = "Lives in Springfield with her son, moved from Texas."
    assert [(h.entity_type, text[h.start:h.end]) for h in analyzer.analyze(text)] == [("LOCATION", "Springfield")]
