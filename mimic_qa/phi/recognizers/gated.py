"""Presidio recognizers run only where they can match: a cheap gate (a plain regular expression with no
look-behind, or a set of words looked up in the text's shared word index) finds the places a recognizer's own
patterns need, and the recognizer runs on windows around them, its findings shifted back into the text.

A gate is a necessary condition: every match of the recognizer holds or lies within the margins of a gate hit,
and a window starts and ends at white space (a match never sees a word cut by the window). Short values are
analysed whole, exactly as before; a 10 kB note costs one gate pass instead of a pass per pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from mimic_qa.phi.recognizers.words import tokens

SHORT = 400  # characters: a value this short is analysed whole
Spans = list[tuple[int, int]]
_SPACE = re.compile(r"\s")
_DIGIT = re.compile(r"\d")


def pattern_gate(*patterns: str) -> Callable[[str], Spans]:
    """Hits of plain regular expressions (a scan in C), remembered for the last texts (several recognizers share a
    gate). Patterns led by a character class ("\\d...", "[12]...") are scanned with ``regex``, which skips to a
    member of the class 1.7-7 times faster than ``re`` on note text; those led by a literal with ``re``, faster
    there (bench/results/scan_phi-notes.md)."""
    engine = regex if all(p.startswith(("\\d", "[")) for p in patterns) else re
    compiled = engine.compile("|".join(f"(?:{p})" for p in patterns))

    @lru_cache(maxsize=2)
    def hits(text: str) -> Spans:
        return [m.span() for m in compiled.finditer(text)]

    return hits


def near_digit(gate: Callable[[str], Spans], reach: int) -> Callable[[str], Spans]:
    """The hits of ``gate`` with a digit within ``reach`` characters ("May 3", "3rd of March"; not "may reflect")."""
    return lambda text: [(s, e) for s, e in gate(text) if _DIGIT.search(text, max(0, s - reach), e + reach)]


_WORD_SETS: list[tuple[frozenset[str], bool]] = []  # every word gate's words: one look-up per word serves them all
_WORD_FLAGS: dict[str, int] = {}


def _word_flags(word: str) -> int:
    low = word.lower()
    parts = low.split("-")
    return sum(1 << k for k, (wanted, by_part) in enumerate(_WORD_SETS)
               if low in wanted or (by_part and any(p in wanted for p in parts)))


def word_gate(words: Collection[str], parts: bool = False) -> Callable[[str], Spans]:
    """Words of the text (lower case) in ``words``; with ``parts``, also a hyphenated word with such a part. All
    word gates share one cached flag per spelling (a new gate clears the cache)."""
    bit = 1 << len(_WORD_SETS)
    _WORD_SETS.append((frozenset(words), parts))
    _WORD_FLAGS.clear()

    def hits(text: str) -> Spans:
        index = tokens(text)
        flags = index.flags(_WORD_FLAGS, _word_flags)
        return [(index.starts[k], index.ends[k]) for k in index.flagged(_WORD_FLAGS, _word_flags) if flags[k] & bit]

    return hits


def any_gate(*gates: Callable[[str], Spans]) -> Callable[[str], Spans]:
    return lambda text: [span for gate in gates for span in gate(text)]


def windows(text: str, hits: Spans, before: int, after: int) -> Spans:
    """Merged windows ``before``/``after`` characters around each hit, widened to white space."""
    out: Spans = []
    n = len(text)
    for s, e in sorted(hits):
        a, b = max(0, s - before), min(n, e + after)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        m = _SPACE.search(text, b)
        b = m.start() if m else n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class Gated(EntityRecognizer):
    """``inner`` run only on windows around ``gate``'s hits (the whole value when it is short)."""

    def __init__(self, inner: EntityRecognizer, gate: Callable[[str], Spans], before: int = 80, after: int = 80) -> None:
        self.inner, self.gate, self.before, self.after = inner, gate, before, after
        name = str(getattr(inner, "name"))
        super().__init__(supported_entities=inner.supported_entities, name=name,
                         supported_language=inner.supported_language, version=inner.version)

    def load(self) -> None:  # noqa: D102 (the inner recognizer loaded itself)
        pass

    @property
    def id(self) -> str:  # noqa: D102 (findings name the inner recognizer)
        return self.inner.id

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if len(text) <= SHORT:
            return self.inner.analyze(text, entities, nlp_artifacts)
        hits = self.gate(text)
        if not hits:
            return []
        spans = windows(text, hits, self.before, self.after)
        if sum(b - a for a, b in spans) > len(text) // 2:
            return self.inner.analyze(text, entities, nlp_artifacts)
        out: list[RecognizerResult] = []
        for a, b in spans:
            for r in self.inner.analyze(text[a:b], entities, None) or []:
                r.start += a
                r.end += a
                out.append(r)
        return out
