"""Presidio's own recognizers that fit MIMIC text, re-labelled with the scanner's entity names."""

from __future__ import annotations

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


def builtin_recognizers() -> list[EntityRecognizer]:
    """E-mail, URL, IP, SSN, card/IBAN (as account numbers), MBI (health plan) and DEA (licence) numbers."""
    return [
        EmailRecognizer(supported_entity=Entity.EMAIL_ADDRESS.value),
        WholeWordUrlRecognizer(supported_entity=Entity.URL.value),
        IpRecognizer(supported_entity=Entity.IP_ADDRESS.value),
        UsSsnRecognizer(supported_entity=Entity.US_SSN.value),
        CreditCardRecognizer(supported_entity=Entity.ACCOUNT_NUMBER.value),
        IbanRecognizer(supported_entity=Entity.ACCOUNT_NUMBER.value),
        WholeWordMbiRecognizer(supported_entity=Entity.HEALTH_PLAN_NUMBER.value),
        WholeWordLicenseRecognizer(supported_entity=Entity.LICENSE_NUMBER.value),
    ]
