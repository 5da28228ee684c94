"""Presidio's own recognizers that fit MIMIC text, re-labelled with the scanner's entity names."""

from __future__ import annotations

from collections.abc import Callable

Gate = Callable[[str], list[tuple[int, int]]]

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MedicalLicenseRecognizer,
    UrlRecognizer,
    UsMbiRecognizer,
    UsSsnRecognizer,
)

from mimic_qa.phi.entities import Entity
from mimic_qa.phi.recognizers.gated import Gated, any_gate, pattern_gate


def _whole_tokens(text: str, results: list) -> list:
    """Matches that neither start nor end inside a word ("E.coli" is not the domain "E.co")."""
    return [r for r in results or []
            if (r.start == 0 or not text[r.start - 1].isalnum()) and (r.end >= len(text) or not text[r.end].isalnum())]


class WholeWordUrlRecognizer(UrlRecognizer):
    """Presidio's URL patterns on whole tokens only."""

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        return _whole_tokens(text, super().analyze(text, entities, nlp_artifacts, regex_flags))


class WholeWordLicenseRecognizer(MedicalLicenseRecognizer):
    """Presidio's DEA-number pattern on whole tokens only (not inside a longer account or plan number)."""

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        return _whole_tokens(text, super().analyze(text, entities, nlp_artifacts, regex_flags))


class WholeWordMbiRecognizer(UsMbiRecognizer):
    """Presidio's Medicare beneficiary identifier pattern on whole tokens only."""

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        return _whole_tokens(text, super().analyze(text, entities, nlp_artifacts, regex_flags))


def builtin_recognizers(five_digits: Gate, web: Gate, ssn: Gate, card: Gate, digit_groups: Gate) -> list[EntityRecognizer]:
    """E-mail, URL, IP, SSN, card/IBAN (as account numbers), MBI (health plan) and DEA (licence) numbers; each
    run on long text only around what its patterns need (a window widens to white space, so a whole address or
    number is in it)."""
    return [
        Gated(EmailRecognizer(supported_entity=Entity.EMAIL_ADDRESS.value), web, 10, 10),
        Gated(WholeWordUrlRecognizer(supported_entity=Entity.URL.value), web, 10, 10),
        Gated(IpRecognizer(supported_entity=Entity.IP_ADDRESS.value),
              any_gate(digit_groups, pattern_gate(r":[0-9A-Fa-f]{0,4}:")), 10, 10),
        Gated(UsSsnRecognizer(supported_entity=Entity.US_SSN.value), ssn, 10, 10),
        Gated(CreditCardRecognizer(supported_entity=Entity.ACCOUNT_NUMBER.value), card, 10, 10),
        Gated(IbanRecognizer(supported_entity=Entity.ACCOUNT_NUMBER.value), card, 10, 10),
        Gated(WholeWordMbiRecognizer(supported_entity=Entity.HEALTH_PLAN_NUMBER.value), five_digits, 10, 10),
        Gated(WholeWordLicenseRecognizer(supported_entity=Entity.LICENSE_NUMBER.value), five_digits, 10, 10),
    ]
