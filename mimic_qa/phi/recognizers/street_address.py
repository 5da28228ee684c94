"""STREET_ADDRESS: a house number, street name words and a street suffix (Faker's list), or a PO box."""

from __future__ import annotations

from functools import lru_cache

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from mimic_qa.phi.entities import Entity


@lru_cache(maxsize=1)
def street_suffixes() -> str:
    """Regex alternation of street suffixes in Title and UPPER case (from Faker's en_US address data)."""
    from faker.providers.address.en_US import Provider

    words = set(Provider.street_suffixes) | {"St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Pl", "Hwy", "Pkwy", "Sq",
                                             "Ter", "Cir"}
    forms = sorted(words | {w.upper() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in forms)


class StreetAddressRecognizer(PatternRecognizer):
    """"27868 Tiffany Roads", "80695 Brown Hills Apt. 304", "PO Box 123"."""

    def __init__(self) -> None:
        word = r"(?:[A-Z][a-z]+|[A-Z]{2,}|\d+(?:st|nd|rd|th))"
        unit = r"(?:[ \t,]+(?:Apt|APT|Suite|SUITE|Unit|UNIT|Ste|STE|#)\.?[ \t]*#?[A-Za-z0-9-]+)?"
        patterns = [
            Pattern("street", rf"(?<![\d.,/:-])\b\d{{1,6}}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{word}[ \t]+){{1,3}}"
                              rf"(?:{street_suffixes()})\b\.?{unit}", 0.7),
            Pattern("broadway", rf"(?<![\d.,/:-])\b\d{{1,6}}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:Broadway|BROADWAY)\b"
                                rf"{unit}", 0.7),
            Pattern("po-box", r"\b(?i:p\.?[ \t]*o\.?[ \t]*box)[ \t]+\d{1,6}\b", 0.8),
        ]
        super().__init__(supported_entity=Entity.STREET_ADDRESS.value, patterns=patterns,
                         name="MimicStreetAddressRecognizer", global_regex_flags=re.DOTALL | re.MULTILINE, context=[])
