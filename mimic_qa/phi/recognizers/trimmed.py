"""A pattern recognizer whose matches are name-like word runs, trimmed of stop words and clinical words."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from mimic_qa.phi.recognizers.cues import STOP_TOKENS, name_lists
from mimic_qa.phi.vocabulary import Vocabulary

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'.-]*")
CASE_SENSITIVE = re.DOTALL | re.MULTILINE


class TrimmedNameRecognizer(PatternRecognizer):
    """Matches capitalised word runs after a cue, then keeps only the tokens that can be a name.

    Pattern names choose how strict the check is: ``strong:*`` keeps any non-stop token,
    ``cue:*`` drops clinical-vocabulary tokens and scores lower when no token is a known name,
    ``pair:*`` requires a known first name followed by a known last name.
    """

    WEAK_SCORE = 0.45

    def __init__(self, entity: str, patterns: list[Pattern], vocabulary: Vocabulary, name: str) -> None:
        super().__init__(supported_entity=entity, patterns=patterns, name=name,
                         global_regex_flags=CASE_SENSITIVE, context=[])
        self.vocabulary = vocabulary
        self.eponyms = vocabulary.phrase_regex

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        refined = []
        for res in super().analyze(text, entities, nlp_artifacts, regex_flags) or []:
            kind = res.analysis_explanation.pattern_name.split(":", 1)[0] if res.analysis_explanation else "cue"
            kept = self._refine(text, res, kind)
            if kept is not None and not any(m.start() < kept.end and kept.start < m.end()
                                            for m in self.eponyms.finditer(text)):
                refined.append(kept)
        return refined

    def _refine(self, text: str, res: RecognizerResult, kind: str) -> RecognizerResult | None:
        tokens = [m for m in _TOKEN.finditer(text, res.start, res.end)]
        keep = [m for m in tokens if m.group().strip(".").lower() not in STOP_TOKENS]
        if kind != "strong":
            keep = [m for m in keep if len(m.group().strip(".")) == 1 or m.group().strip(".") not in self.vocabulary]
        if not keep or all(len(m.group().strip(".")) <= 1 for m in keep):
            return None
        # keep one contiguous run: from the first kept token up to the last kept token before a dropped one
        run = [keep[0]]
        for m in keep[1:]:
            if tokens.index(m) != tokens.index(run[-1]) + 1:
                break
            run.append(m)
        first, last = name_lists()
        words = [m.group().strip(".").lower() for m in run]
        if kind == "pair":
            if len(words) < 2 or words[0] not in first or words[-1] not in last or words[0] in self.vocabulary:
                return None
        score = res.score
        if kind == "cue" and not any(w in first or w in last for w in words):
            score = min(score, self.WEAK_SCORE)
        end = run[-1].end() - (1 if run[-1].group().endswith(".") and len(run[-1].group()) > 2 else 0)
        return RecognizerResult(res.entity_type, run[0].start(), end, score, res.analysis_explanation,
                                res.recognition_metadata)
