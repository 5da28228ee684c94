"""MIMIC-aware Presidio recognizers, one family per module; ``mimic_recognizers`` builds the full set."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from mimic_qa.phi.recognizers.ages import AgeOver89Recognizer
from mimic_qa.phi.recognizers.builtin import builtin_recognizers
from mimic_qa.phi.recognizers.dates import UnshiftedDateRecognizer
from mimic_qa.phi.recognizers.gated import Gated, any_gate, pattern_gate, word_gate
from mimic_qa.phi.recognizers.identifiers import (PLATE_WORDS, PlateRecognizer, SsnShapeRecognizer, VinRecognizer,
                                                  identifier_recognizers)
from mimic_qa.phi.recognizers.names import PersonRecognizer
from mimic_qa.phi.recognizers.other_id import OtherIdRecognizer
from mimic_qa.phi.recognizers.phones import PhoneRecognizer
from mimic_qa.phi.recognizers.places import LocationRecognizer
from mimic_qa.phi.recognizers.street_address import ADDRESS_WORDS, SUFFIXES, StreetAddressRecognizer
from mimic_qa.phi.recognizers.urls import WebAddressRecognizer
from mimic_qa.phi.recognizers.zip_code import ZipCodeRecognizer
from mimic_qa.phi.vocabulary import Vocabulary


# five digits in one code ("0012345", "AB-12345", "1EG4-TE5-MK73"): what every numbered identifier has
FIVE_DIGITS = pattern_gate(r"\d(?:[A-Za-z\-]*\d){4}")
MONTHS_AND_DAYS = ("jan january feb february mar march apr april may jun june jul july aug august sep sept september "
                   "oct october nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs "
                   "thursday fri friday sat saturday sun sunday").split()


def mimic_recognizers(vocabulary: Vocabulary) -> list[EntityRecognizer]:
    """Every pattern and cue recognizer of the scanner (no NLP model needed); on long text each runs only
    around what its patterns need (``gated``)."""
    return [
        PersonRecognizer(vocabulary),
        LocationRecognizer(vocabulary),
        Gated(StreetAddressRecognizer(), word_gate([w.lower() for w in SUFFIXES] + list(ADDRESS_WORDS)), 100, 120),
        Gated(ZipCodeRecognizer(), pattern_gate(r"\d{5}"), 50, 20),
        Gated(UnshiftedDateRecognizer(), any_gate(pattern_gate(r"\d[/.\-]\d", r"\d{4}"), word_gate(MONTHS_AND_DAYS)),
              40, 40),
        Gated(AgeOver89Recognizer(), any_gate(pattern_gate(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)"),
                                              word_gate(("ninety", "hundred"), parts=True)), 30, 30),
        PhoneRecognizer(),
        Gated(OtherIdRecognizer(), FIVE_DIGITS, 60, 40),
        Gated(WebAddressRecognizer(), pattern_gate(r"://", r"(?i:www)\."), 20, 20),
        *[Gated(r, FIVE_DIGITS, 70, 40) for r in identifier_recognizers()],
        SsnShapeRecognizer(),
        Gated(VinRecognizer(), pattern_gate(r"[A-HJ-NPR-Z0-9]{17}"), 10, 10),
        Gated(PlateRecognizer(), word_gate(PLATE_WORDS, parts=True), 10, 40),
        *builtin_recognizers(FIVE_DIGITS),
    ]
