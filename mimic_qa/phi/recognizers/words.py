"""Words of a value with what is known of each: shape, name lists, place list, ordinary English, clinical.

The name and place recognizers work on these tokens rather than on regular expressions: a run of
name-shaped words is a candidate, and cues around it plus the lists decide whether it is PHI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import regex as re

from mimic_qa.phi.lexicon import ascii_fold, common_names, english_words, name_lists
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, EPONYM_WORDS, Vocabulary

# a word of letters in any script ("Núñez", "Łukasz"), with inner apostrophes and hyphens
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019](?=[^\W\d_])|-(?=[^\W\d_]))*")
_SPLIT = re.compile(r"[-'\u2019]")
_NAME_PREFIX = re.compile(r"^(?:o'|mc|mac|de|da|di|van|von|le|la|st)", re.IGNORECASE)

# Words that end or precede a name but are never part of it.
STOP = frozenset("""
a an the and or at on in to of by for with from per via as is was were be been being has had have will would
am pm hrs hr h min mins today tonight yesterday tomorrow now re cc x not no if this that these those it its
mon tue tues wed thu thur thurs fri sat sun dr mr mrs ms miss prof doctor rn md np pa do ok pls please
""".split())

# Cue words: they point at a name but are never part of one.
CUE_WORDS = frozenset("""
husband wife spouse son daughter mother father mom dad brother sister niece nephew aunt uncle cousin grandson
granddaughter grandmother grandfather friend partner neighbor neighbour guardian caregiver proxy hcp fiance fiancee
notified informed paged aware called requests requested asked agrees updated contact per patient pt covering
attending resident fellow intern nurse charge
""".split())

# Nouns that follow an eponym ("Bence-Jones protein", "Jackson-Pratt drain") or a tube colour ("Orange top"): the
# words before are not a person.
EPONYM_HEADS = re.compile(r"""(?ix)^[ \t]*['’]?s?[ \t]*(?:
    protein|proteins|syndrome|disease|sign|test|drain|catheter|tube|
    stain|staining|scale|score|criteria|classification|reaction|method|assay|body|bodies|cell|cells|phenomenon|
    procedure|fracture|maneuver|manoeuvre|reflex|node|nodes|murmur|ulcer|palsy|agar|medium|broth|media|bacillus|
    formula|equation|index|grade|grading|stage|staging|type|blade|mask|collar|tube|line|shunt|valve|filter|
    top|tops)\b""")

FACILITY_HEADS = ("Hospital|Hospitals|Medical Center|Medical Ctr|Med Ctr|Clinic|Clinics|Health Center|Health Centers|"
          "Health Alliance|Health System|Healthcare|Health Care|Health|Rehabilitation Hospital|Rehabilitation Center|"
          "Rehabilitation|Rehab Center|Rehab|Nursing Home|Nursing Center|Nursing and Rehabilitation Center|"
          "Skilled Nursing Facility|Police Department|Police Dept|Police|Fire Department|Diagnostics|Laboratories|"
          "Labs|Institute|Cancer Institute|Medical Group|Medical Associates|Associates|Hospice|Infirmary|"
          "Sanatorium|Urgent Care|Dialysis Center|Dialysis|Shelter|Community Health|Family Practice|Pediatrics|Manor|"
          "Medical Ctr|Med Ctr|Rehabilitation Hospital|Nursing and Rehab|Senior Living")
# heads that also follow ordinary words ("Core Laboratory", "Private Ambulance"): the name needs a word that is
# not ordinary English, or a listed place or person name ("Cataldo Ambulance", "Boston EMS")
SERVICE_HEADS = ("Ambulance Service|Ambulance|EMS|Fire Rescue|Rescue|Laboratory|Medical Laboratories|"
                 "Diabetes Center|Cancer Center|Heart Center|Surgical Center|Surgery Center|Care Center|"
                 "Treatment Center|Nursing Facility|Senior Living|SeniorLife")
HEAD = "(?:" + "|".join((FACILITY_HEADS, FACILITY_HEADS.upper(), SERVICE_HEADS, SERVICE_HEADS.upper())) + ")"
SERVICE_HEAD = re.compile("(?i:" + SERVICE_HEADS + ")")

_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
             ("ly", ""), ("er", ""), ("ers", ""), ("est", ""))


@dataclass(frozen=True)
class Token:
    """One word and its offsets."""

    text: str
    start: int
    end: int

    @cached_property
    def low(self) -> str:
        """Lower case, accents folded ("Núñez" -> "nunez"): the lists are spelled so."""
        return ascii_fold(self.text).lower() if not self.text.isascii() else self.text.lower()

    @property
    def is_initial(self) -> bool:
        return len(self.text) == 1 and self.text.isupper()

    @property
    def is_title(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper() and len(self.text) > 1

    @property
    def is_caps(self) -> bool:
        return self.text.isupper() and len(self.text) > 1

    @property
    def capitalised(self) -> bool:
        return self.is_title or self.is_caps or self.is_initial


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def match_place(text: str, toks: list[Token], i: int, names: tuple[tuple[str, ...], ...]) -> int:
    """Length in words of the longest listed place starting at token ``i`` (0: none)."""
    for name in names:
        run = toks[i:i + len(name)]
        if len(run) == len(name) and all(t.low == w for t, w in zip(run, name)) and \
                all(t.capitalised and text[a.end:t.start] in (" ", "  ") for a, t in zip(run, run[1:])) and \
                all(t.is_caps == run[0].is_caps for t in run):
            return len(name)
    return 0


class Lexicon:
    """Name, English and clinical knowledge about single words (one per analyzer)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.first, self.last = name_lists()
        self.common = common_names()
        self.english = english_words()

    def _parts(self, low: str) -> list[str]:
        """The spellings to look up: the word; a compound's parts when each is a listed name ("olsen-lind",
        "o'brien"; not "rena-vite"); the word without a surname prefix ("mcdonald" -> "donald")."""
        out = [low]
        parts = [p for p in _SPLIT.split(low) if len(p) > 1]
        if len(parts) > 1 or (parts and parts[0] != low):
            if all(p in self.first or p in self.last for p in parts):
                out += parts
        stripped = _NAME_PREFIX.sub("", low)
        if stripped != low and len(stripped) > 3:
            out.append(stripped)
        return out

    def is_first(self, t: Token) -> bool:
        return any(p in self.first for p in self._parts(t.low))

    def is_last(self, t: Token) -> bool:
        return any(p in self.last for p in self._parts(t.low))

    def is_name(self, t: Token) -> bool:
        return self.is_first(t) or self.is_last(t)

    def is_common_name(self, t: Token) -> bool:
        """A frequent first name or surname, or a compound of them."""
        parts = [p for p in _SPLIT.split(t.low) if len(p) > 1]
        return t.low in self.common or (len(parts) > 1 and all(p in self.common for p in parts))

    def is_english(self, t: Token) -> bool:
        """An ordinary English word, inflected forms included ("credited", "titers"); a hyphenated word when
        all its parts are ("GREEN-TOP")."""
        parts = _SPLIT.split(t.low)
        if len(parts) == 1:
            return self._english(t.low)
        parts = [p for p in parts if p]  # "GREEN-TOP" and "ADD-ON" are English, "Kerry-Ann" (names only) is not
        return all(self._english(p) for p in parts) and not all(p in self.common for p in parts)

    def _english(self, low: str) -> bool:
        if low in self.english:
            return True
        return any(low.endswith(a) and len(low) - len(a) > 2 and low[:-len(a)] + b in self.english
                   for a, b in _SUFFIXES)

    def is_clinical(self, t: Token) -> bool:
        """A stop, cue, clinical or eponym word; a word of the safe list or the data's dictionaries unless it
        is a common name that is not ordinary English (ICD titles hold surnames such as "MacLeod" and
        "Dennis"; "Colace" is a rare surname and a drug)."""
        low = t.low
        if low in STOP or low in CUE_WORDS or low in CLINICAL_WORDS or low in EPONYM_WORDS:
            return True
        parts = [p for p in _SPLIT.split(low) if len(p) > 1]
        if low not in self.vocabulary and not (len(parts) > 1 and all(p in self.vocabulary for p in parts)):
            return False
        return not (self.is_common_name(t) and not self.is_english(t))

    def is_unknown(self, t: Token) -> bool:
        """Neither an English nor a clinical word: a capitalised one is likely a proper noun."""
        return not self.is_english(t) and not self.is_clinical(t)
