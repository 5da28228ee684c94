"""MIMIC-aware Presidio recognizers, one family per module; ``mimic_recognizers`` builds the full set."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from mimic_qa.phi.recognizers.ages import AgeOver89Recognizer
from mimic_qa.phi.recognizers.builtin import builtin_recognizers
from mimic_qa.phi.recognizers.dates import UnshiftedDateRecognizer
from mimic_qa.phi.recognizers.gated import Gated, any_gate, near_digit, pattern_gate, word_gate
from mimic_qa.phi.recognizers.identifiers import (PLATE_WORDS, PlateRecognizer, SsnShapeRecognizer, VinRecognizer,
                                                  identifier_recognizers)
from mimic_qa.phi.recognizers.names import PersonRecognizer
from mimic_qa.phi.recognizers.other_id import OtherIdRecognizer
from mimic_qa.phi.recognizers.phones import MimicPhoneRecognizer
from mimic_qa.phi.recognizers.places import LocationRecognizer
from mimic_qa.phi.recognizers.street_address import (ADDRESS_WORDS, SUFFIXES, PostcodeStreetRecognizer,
                                                     StreetAddressRecognizer)
from mimic_qa.phi.recognizers.urls import WebAddressRecognizer
from mimic_qa.phi.recognizers.zip_code import ZipCodeRecognizer
from mimic_qa.phi.vocabulary import Vocabulary


# Gates (see ``gated``): each a plain pattern led by a digit or a literal, which the regular-expression engine skips to
# in C. Five digits in one code ("0012345", "AB-12345", "1EG4-TE5-MK73", "20190314"): every numbered identifier,
# a ZIP code, an eight-digit date.
FIVE_DIGITS = pattern_gate(r"\d(?:[A-Za-z\-]*\d){4}")
# a telephone number: digit groups with the separators people type, six characters or more (also every SSN,
# card or account number written in groups, every d/m/y date and IPv4 address)
PHONE_GATE = pattern_gate(r"\d[\d \t().\-/]{4,24}\d")
SSN_GATE = CARD_GATE = any_gate(FIVE_DIGITS, PHONE_GATE)
# the end of an address: ", ST 12345" (a five-digit ZIP) or ", 62857 Town" (a postcode first)
ADDRESS_END = any_gate(FIVE_DIGITS, pattern_gate(r",[ \t]*(?:[A-Z]{1,2}-)?\d{2,3}[ ]?\d{2,3}"))
# a web or e-mail address: "://", "@", or a dot right before two letters ("www.x", "garcia.biz")
WEB = pattern_gate(r"\.[A-Za-z]{2}", "://", "@")
MONTHS_AND_DAYS = ("jan january feb february mar march apr april may jun june jul july aug august sep sept september "
                   "oct october nov november dec december mon monday tue tues tuesday wed wednesday thu thur thurs "
                   "thursday fri friday sat saturday sun sunday").split()
# what each form of date needs: d/m/y with one separator twice, a month/day, a year of 1800-2199, eight digits, or a
# month or weekday with a digit near it
DATE_GATE = any_gate(PHONE_GATE, pattern_gate(r"\d/\d"), pattern_gate(r"[12][0189]\d\d"), FIVE_DIGITS,
                     near_digit(word_gate(MONTHS_AND_DAYS), 16))
# an age over 89: a number with a unit, sex or "age" next to it, or the number in words
AGE_GATE = any_gate(near_digit(word_gate(("yo", "y", "o", "yr", "yrs", "year", "years", "old", "m", "f", "age", "aged"),
                                         parts=True), 8),
                    word_gate(("ninety", "hundred"), parts=True))


def mimic_recognizers(vocabulary: Vocabulary) -> list[EntityRecognizer]:
    """Every pattern and cue recognizer of the scanner (no NLP model needed); on long text each runs only
    around what its patterns need (``gated``)."""
    return [
        PersonRecognizer(vocabulary),
        LocationRecognizer(vocabulary),
        Gated(StreetAddressRecognizer(), any_gate(near_digit(word_gate([w.lower() for w in SUFFIXES] + list(ADDRESS_WORDS)), 80),
                                                  FIVE_DIGITS), 120, 120),
        Gated(PostcodeStreetRecognizer(), ADDRESS_END, 120, 40),
        Gated(ZipCodeRecognizer(), ADDRESS_END, 50, 20),
        Gated(UnshiftedDateRecognizer(), DATE_GATE, 40, 40),
        Gated(AgeOver89Recognizer(), AGE_GATE, 30, 30),
        Gated(MimicPhoneRecognizer(), PHONE_GATE, 40, 20),
        Gated(OtherIdRecognizer(), FIVE_DIGITS, 60, 40),
        Gated(WebAddressRecognizer(), WEB, 20, 20),
        *[Gated(r, FIVE_DIGITS, 70, 40) for r in identifier_recognizers()],
        Gated(SsnShapeRecognizer(), SSN_GATE, 10, 10),
        Gated(VinRecognizer(), FIVE_DIGITS, 10, 10),  # a VIN ends in a serial number of five or six digits
        Gated(PlateRecognizer(), word_gate(PLATE_WORDS, parts=True), 10, 40),
        *builtin_recognizers(FIVE_DIGITS, WEB, SSN_GATE, CARD_GATE, PHONE_GATE),
    ]
