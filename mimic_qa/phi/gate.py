"""A cheap prefilter: values that no recognizer could match never reach Presidio.

Every recognizer needs a digit, an ``@``, a web address, or a capitalised word next to a cue or
name-list word. Plain measurements ("98.6", "120/80", "<10") have digits but are inert too.
With an NER model any capitalised word outside the clinical vocabulary is passed on.
"""

from __future__ import annotations

import re

from mimic_qa.phi.recognizers.cues import US_STATES, name_lists
from mimic_qa.phi.vocabulary import Vocabulary

_SIGNALS = re.compile(r"[0-9@]|://|www\.|\w\.[a-z]{2,}\b", re.IGNORECASE)
_INERT_NUMBER = re.compile(r"[<>=~]?[ ]?[-+]?\d{1,8}(?:\.\d+)?(?:[ ]?/[ ]?\d{1,3}(?:\.\d+)?)?[ ]?%?")
_UPPER = re.compile(r"[A-Z]")
_WORDS = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)?")
_STATE_AFTER_COMMA = re.compile(rf",\s*(?:{'|'.join(US_STATES)})\b")

# Lower-case cue words of the name and place recognizers (titles, roles, reporting verbs, relatives, residence).
CUE_WORDS = frozenset("""
dr doctor mr mrs ms miss prof rn md np pa do pharmd rph lpn cna crna called call discussed d/w spoke paged notified
informed reported read readback verified confirmed per seen attending resident fellow nurse husband wife son
daughter mother father brother sister proxy hcp contact name named patient pt lives living resides residing
moved home native born visiting town city transferred travelled traveled trip county parish
""".split())


class Gate:
    """``gate(value)`` is True when the value must be analysed."""

    def __init__(self, vocabulary: Vocabulary, uses_ner: bool = False) -> None:
        first, _ = name_lists()
        self.triggers = CUE_WORDS | {w for w in first if w not in vocabulary}
        self.vocabulary = vocabulary
        self.uses_ner = uses_ner

    def __call__(self, value: str) -> bool:
        if _SIGNALS.search(value):
            return not _INERT_NUMBER.fullmatch(value.strip())
        if not _UPPER.search(value):
            return False
        if _STATE_AFTER_COMMA.search(value):
            return True
        words = _WORDS.findall(value)
        if self.uses_ner:
            return any(w[0].isupper() and w not in self.vocabulary for w in words)
        return any(w.lower() in self.triggers for w in words)
