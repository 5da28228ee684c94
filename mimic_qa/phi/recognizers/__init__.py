"""MIMIC-aware Presidio recognizers, one family per module; ``mimic_recognizers`` builds the full set."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from mimic_qa.phi.recognizers.ages import AgeOver89Recognizer
from mimic_qa.phi.recognizers.builtin import builtin_recognizers
from mimic_qa.phi.recognizers.dates import UnshiftedDateRecognizer
from mimic_qa.phi.recognizers.identifiers import identifier_recognizers
from mimic_qa.phi.recognizers.names import PersonRecognizer
from mimic_qa.phi.recognizers.other_id import OtherIdRecognizer
from mimic_qa.phi.recognizers.phones import PhoneRecognizer
from mimic_qa.phi.recognizers.places import LocationRecognizer
from mimic_qa.phi.recognizers.street_address import StreetAddressRecognizer
from mimic_qa.phi.recognizers.urls import WebAddressRecognizer
from mimic_qa.phi.recognizers.zip_code import ZipCodeRecognizer
from mimic_qa.phi.vocabulary import Vocabulary


def mimic_recognizers(vocabulary: Vocabulary) -> list[EntityRecognizer]:
    """Every pattern and cue recognizer of the scanner (no NLP model needed)."""
    return [
        PersonRecognizer(vocabulary),
        LocationRecognizer(vocabulary),
        StreetAddressRecognizer(),
        ZipCodeRecognizer(),
        UnshiftedDateRecognizer(),
        AgeOver89Recognizer(),
        PhoneRecognizer(),
        OtherIdRecognizer(),
        WebAddressRecognizer(),
        *identifier_recognizers(),
        *builtin_recognizers(),
    ]
