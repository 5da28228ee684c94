"""The cheap gate must never hide a value the analyzer would flag."""

from __future__ import annotations

import random

import pytest

from mimic_qa.phi.gate import Gate


@pytest.fixture(scope="module")
def gate(vocabulary):
    return Gate(vocabulary)


def test_gate_passes_every_value_with_a_finding(gate, analyzer, corpus):
    for row in corpus:
        if analyzer.analyze(row["text"]):
            assert gate(row["text"]), row["spans"]


def test_gate_drops_plain_measurements_and_cue_free_text(gate, analyzer):
    inert = ["98.6", "120/80", "<10", "7.35", "-2", "1000000", "NO GROWTH.", "Sinus Rhythm", "Full Code",
             "HEMOLYSIS FALSELY ELEVATES K.", "none", "Normal"]
    for value in inert:
        assert not gate(value), value
        assert analyzer.analyze(value) == []


def test_inert_numbers_really_are_inert(gate, analyzer):
    """Random numeric strings the gate drops: the analyzer finds nothing in any of them."""
    rnd = random.Random(7)
    shapes = [lambda: str(rnd.randint(0, 99_999_999)), lambda: f"{rnd.uniform(0, 10_000):.{rnd.randint(1, 3)}f}",
              lambda: f"{rnd.randint(60, 250)}/{rnd.randint(30, 150)}", lambda: f"<{rnd.randint(1, 999)}"]
    values = [rnd.choice(shapes)() for _ in range(400)]
    dropped = [v for v in values if not gate(v)]
    assert len(dropped) > 300
    assert [v for v in dropped if analyzer.analyze(v)] == []


def test_gate_passes_digits_mail_web_and_name_cues(gate):
    for value in ["call 617-555-0100", "a@b.org", "see www.example.org", "CALLED TO DR SMITH",
                  "Lives in Springfield, MA", "Grace Miller visited"]:
        assert gate(value), value


def test_only_possible_entity_types_are_looked_for(gate, analyzer, corpus):
    """Restricting Presidio to the gate's entity types loses no finding of the full analysis."""
    for row in corpus:
        full = analyzer.analyze(row["text"])
        assert analyzer.analyze(row["text"], gate.entities(row["text"])) == full, row["spans"]
    assert gate.entities("mail a@b.org") == {"EMAIL_ADDRESS", "URL"}
    assert "PERSON" not in gate.entities("K 4.1 at 10:15")
