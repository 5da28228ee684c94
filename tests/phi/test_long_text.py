"""Long text (a note) gets the findings its parts get on their own: the recognizers' gates, windows and word
stretches only skip work, they never change a finding. Values: (d)'s Faker-drawn PHI planted into the real demos'
comments and chief complaints (tests/phi/generated.py), joined into one long text."""

from __future__ import annotations

from tests.phi.generated import KINDS, Planter
from tests.phi.test_generated import _carriers

PER_KIND = 6


def _values(seed: int) -> list[str]:
    carriers = _carriers()
    planter = Planter("dev", seed)
    return [planter.plant(kind, planter.r.choice(planter.r.choices(carriers, [0.45, 0.2, 0.35])[0])).text
            for kind in KINDS for _ in range(PER_KIND)]


def _alone_name(h) -> bool:
    """A value that is nothing but one name scores 0.55 on its own, and is not alone inside a longer text."""
    return h.recognizer == "MimicPersonRecognizer" and h.score == 0.55


def test_a_long_text_has_the_findings_of_its_parts(analyzer):
    values = _values(3)
    sep = "\n \n"
    text = sep.join(values)
    assert len(text) > 10_000
    expected, at = set(), 0
    for v in values:
        expected |= {(h.entity_type, h.start + at, h.end + at, h.score) for h in analyzer.analyze(v) if not _alone_name(h)}
        at += len(v) + len(sep)
    found = {(h.entity_type, h.start, h.end, h.score) for h in analyzer.analyze(text) if not _alone_name(h)}
    assert len(expected) > 100
    assert found == expected, (sorted(expected - found)[:5], sorted(found - expected)[:5])


def test_windows_do_not_cut_a_value_at_their_edge(analyzer):
    """A number far from the start of a long line is found whole (windows widen to white space)."""
    filler = "Blood cultures drawn on the second day remained no growth to date. " * 40
    for value, entity in (("617-555-0142", "PHONE_NUMBER"), ("MRN: 00123456", "MEDICAL_RECORD_NUMBER"),
                          ("https://portal.example.org/results/2019", "URL"), ("03/14/2019", "DATE")):
        text = filler + "Note: " + value + " " + filler
        hits = [h for h in analyzer.analyze(text) if h.entity_type == entity]
        start = text.index(value)
        assert [(h.start, h.end) for h in hits] == [(start + value.index(value.split()[-1]), start + len(value))], value
