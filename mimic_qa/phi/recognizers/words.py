"""Words of a value with what is known of each: shape, name lists, place list, ordinary English, clinical.

The name and place recognizers work on these tokens rather than on regular expressions: a run of
name-shaped words is a candidate, and cues around it plus the lists decide whether it is PHI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate, compress
from typing import overload

import re as _stdre

import regex as re

from mimic_qa.phi.lexicon import ascii_fold, common_names, english_words, name_lists
from mimic_qa.phi.vocabulary import CLINICAL_WORDS, EPONYM_WORDS, Vocabulary

# a word of letters in any script ("Núñez", "Łukasz"), with inner apostrophes and hyphens
_TOKEN = _stdre.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_SPLIT_WORDS = _stdre.compile("(" + _TOKEN.pattern + ")")
_SPLIT_ASCII = _stdre.compile(r"([A-Za-z]+(?:['\-][A-Za-z]+)*)")  # the same words in an ASCII text, found faster
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


class Token:
    """One word and its offsets, with its shape (computed once per distinct spelling)."""

    __slots__ = ("text", "start", "end", "low", "is_initial", "is_title", "is_caps", "capitalised")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.low, self.is_initial, self.is_title, self.is_caps, self.capitalised = _shape(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


@lru_cache(maxsize=200_000)
def _shape(text: str) -> tuple[str, bool, bool, bool, bool]:
    """(low, is_initial, is_title, is_caps, capitalised): low is lower case with accents folded ("Núñez" ->
    "nunez"), as the lists are spelled."""
    low = ascii_fold(text).lower() if not text.isascii() else text.lower()
    initial = len(text) == 1 and text.isupper()
    title = text[0].isupper() and not text.isupper() and len(text) > 1
    caps = text.isupper() and len(text) > 1
    return low, initial, title, caps, title or caps or initial


class TextIndex(Sequence[Token]):
    """The words of a text, split once (in C): their spellings, offsets, and Token objects made on demand, so a
    long text costs a dictionary look-up per word and objects only for the words a recognizer looks at."""

    def __init__(self, text: str) -> None:
        parts = (_SPLIT_ASCII if text.isascii() else _SPLIT_WORDS).split(text)
        offsets = list(accumulate(map(len, parts)))
        self.text = text
        self.words: list[str] = parts[1::2]
        self.starts: list[int] = offsets[0:-1:2]
        self.ends: list[int] = offsets[1::2]
        self._made: list[Token | None] = [None] * len(self.words)
        self._flags: dict[int, list[int]] = {}
        self._flagged: dict[int, list[int]] = {}
        self._spellings: set[str] | None = None

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.words)))]
        t = self._made[i]
        if t is None:
            t = self._made[i] = Token(self.words[i], self.starts[i], self.ends[i])
        return t

    def flagged(self, cache: dict[str, int], compute: Callable[[str], int]) -> list[int]:
        """Indices of the words whose flags (see ``flags``) are not 0."""
        done = self._flagged.get(id(cache))
        if done is None:
            done = self._flagged[id(cache)] = list(compress(range(len(self.words)), self.flags(cache, compute)))
        return done

    def flags(self, cache: dict[str, int], compute: Callable[[str], int]) -> list[int]:
        """One integer per word from ``cache`` (spelling -> flags), filled with ``compute`` for new spellings
        (computed once per text and cache)."""
        done = self._flags.get(id(cache))
        if done is None:
            if self._spellings is None:
                self._spellings = set(self.words)
            for w in self._spellings.difference(cache):
                if len(cache) > 500_000:
                    cache.clear()
                cache[w] = compute(w)
            done = self._flags[id(cache)] = list(map(cache.__getitem__, self.words))
        return done


@lru_cache(maxsize=8)
def tokens(text: str) -> TextIndex:
    """The words of ``text``, cached: the recognizers of one analysis share them (for a piece of a text use
    ``words_of``, which leaves the cache to whole texts)."""
    return TextIndex(text)


def words_of(text: str) -> list[Token]:
    """The words of ``text`` (not cached)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def match_place(text: str, toks: Sequence[Token], i: int, names: tuple[tuple[str, ...], ...]) -> int:
    """Length in words of the longest listed place starting at token ``i`` (0: none)."""
    lows = tuple(t.low for t in toks[i:i + longest(names)])
    for size, listed in _by_length(names):
        if len(lows) < size or lows[:size] not in listed:
            continue
        run = toks[i:i + size]
        if all(t.capitalised and text[a.end:t.start] in (" ", "  ") for a, t in zip(run, run[1:])) and \
                all(t.is_caps == run[0].is_caps for t in run):
            return size
    return 0


Places = tuple[tuple[str, ...], ...]
_LENGTHS: dict[int, tuple[Places, list[tuple[int, frozenset[tuple[str, ...]]]]]] = {}


def _by_length(names: Places) -> list[tuple[int, frozenset[tuple[str, ...]]]]:
    """The names grouped by their number of words, longest first (cached per list)."""
    hit = _LENGTHS.get(id(names))
    if hit is None or hit[0] is not names:
        sizes = sorted({len(n) for n in names}, reverse=True)
        hit = _LENGTHS[id(names)] = (names, [(k, frozenset(n for n in names if len(n) == k)) for k in sizes])
    return hit[1]


def longest(names: tuple[tuple[str, ...], ...]) -> int:
    """The most words of any of ``names``."""
    return max((len(n) for n in names), default=0) if len(names) < 4 else _by_length(names)[0][0]


class Lexicon:
    """Name, English and clinical knowledge about single words (answers are cached per spelling)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.first, self.last = name_lists()
        self.common = common_names()
        self.english = english_words()
        self._cache: dict[tuple[str, str], bool] = {}

    def _cached(self, kind: str, low: str, answer) -> bool:
        key = (kind, low)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            hit = self._cache[key] = bool(answer(low))
        return hit

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
        return self._cached("first", t.low, lambda low: any(p in self.first for p in self._parts(low)))

    def is_last(self, t: Token) -> bool:
        return self._cached("last", t.low, lambda low: any(p in self.last for p in self._parts(low)))

    def is_name(self, t: Token) -> bool:
        return self.is_first(t) or self.is_last(t)

    def is_common_name(self, t: Token) -> bool:
        """A frequent first name or surname, or a compound of them."""
        return self._cached("common", t.low, self._common)

    def _common(self, low: str) -> bool:
        parts = [p for p in _SPLIT.split(low) if len(p) > 1]
        return low in self.common or (len(parts) > 1 and all(p in self.common for p in parts))

    def is_english(self, t: Token) -> bool:
        """An ordinary English word, inflected forms included ("credited", "titers"); a hyphenated word when
        all its parts are ("GREEN-TOP")."""
        return self._cached("english", t.low, self._english_word)

    def _english_word(self, low: str) -> bool:
        parts = _SPLIT.split(low)
        if len(parts) == 1:
            return self._english(low)
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
        return self._cached("clinical", t.low, lambda low: self._clinical(t))

    def _clinical(self, t: Token) -> bool:
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


@lru_cache(maxsize=4)
def lexicon(vocabulary: Vocabulary) -> Lexicon:
    """One shared Lexicon (and its caches) per vocabulary."""
    return Lexicon(vocabulary)
