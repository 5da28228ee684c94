"""The Presidio analyzer configured for MIMIC: pattern and cue recognizers, optional spaCy NER, no downloads."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from mimic_qa.errors import UsageError
from mimic_qa.phi.entities import Entity
from mimic_qa.phi.lexicon import us_places
from mimic_qa.phi.recognizers import mimic_recognizers
from mimic_qa.phi.recognizers.cues import STATE
from mimic_qa.phi.recognizers.words import lexicon, tokens
from mimic_qa.phi.vocabulary import Vocabulary

# MIMIC-III style masks "[** ... **]"; their content is already de-identified and is blanked before analysis.
_BRACKET_MASK = re.compile(r"\[\*\*.*?\*\*\]", re.DOTALL)
# NER labels get their own names so Presidio's duplicate removal never drops a pattern hit for an NER hit
# that is then filtered out; they are renamed to PERSON/LOCATION after filtering.
_NER_ENTITIES = {"NER_PERSON": Entity.PERSON.value, "NER_LOCATION": Entity.LOCATION.value}
_WORD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")
_STATE = re.compile(STATE)


@dataclass(frozen=True)
class Hit:
    """One finding inside one value: offsets, entity type, score and the recognizer that made it."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str


def blank_masks(text: str) -> str:
    """The text with ``[** ... **]`` masks replaced by underscores of the same length (offsets unchanged)."""
    return _BRACKET_MASK.sub(lambda m: "_" * len(m.group()), text)


def _nlp_engine(nlp_model: str | None):
    if nlp_model is None:
        return NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
    import spacy.util

    if not (spacy.util.is_package(nlp_model) or Path(nlp_model).exists()):
        raise UsageError(f"--nlp-model {nlp_model}: not an installed spaCy package or a model directory "
                         "(nothing is downloaded; install the model first)")
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": nlp_model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "NER_PERSON", "PER": "NER_PERSON", "GPE": "NER_LOCATION",
                                                 "LOC": "NER_LOCATION", "FAC": "NER_LOCATION"},
            "labels_to_ignore": ["ORG", "ORGANIZATION", "NORP", "DATE", "TIME", "CARDINAL", "QUANTITY", "ORDINAL",
                                 "MONEY", "PERCENT", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"],
        },
    }
    return NlpEngineProvider(nlp_configuration=config).create_engine()


class PhiAnalyzer:
    """Analyse one value at a time; returns non-overlapping hits at or above ``min_score``."""

    def __init__(self, vocabulary: Vocabulary, nlp_model: str | None = None, min_score: float = 0.5) -> None:
        self.vocabulary = vocabulary
        self.min_score = min_score
        self.uses_ner = nlp_model is not None
        registry = RecognizerRegistry(recognizers=mimic_recognizers(vocabulary), supported_languages=["en"])
        if self.uses_ner:
            registry.add_recognizer(SpacyRecognizer(supported_entities=list(_NER_ENTITIES)))
        self.engine = AnalyzerEngine(registry=registry, nlp_engine=_nlp_engine(nlp_model), supported_languages=["en"])
        self.eponyms = vocabulary.phrase_regex
        self.supported = set(self.engine.get_supported_entities("en"))
        self.lexicon = lexicon(vocabulary)
        self._chosen: dict[tuple[str, ...] | None, tuple[list[EntityRecognizer], list[str]]] = {}
        self._no_artifacts = self.engine.nlp_engine.process_text("", "en")  # what a no-op NLP engine makes

    def analyze(self, text: str, entities: Collection[str] | None = None) -> list[Hit]:
        """Hits in ``text`` (offsets into the original string), looking only for ``entities`` when given."""
        clean = blank_masks(text)
        if entities is not None and self.uses_ner:
            entities = set(entities) | {ner for ner, e in _NER_ENTITIES.items() if e in entities}
        wanted = None if entities is None else sorted(e for e in entities if e in self.supported)
        if wanted == []:
            return []
        if self.uses_ner:
            results = self.engine.analyze(clean, language="en", entities=wanted, score_threshold=self.min_score)
        else:
            results = self._patterns(clean, wanted)
        hits = [self._hit(r) for r in results if self._keep(clean, r)]
        return resolve_overlaps(hits)

    def _patterns(self, text: str, wanted: list[str] | None) -> list[RecognizerResult]:
        """The registry's recognizers called directly, as the engine calls them when there is no NLP model (its
        context enhancement needs tokens a no-op NLP engine does not make): results of every recognizer of the
        wanted types, Presidio's duplicate removal, the score threshold. Skips the engine's per-call set-up, which
        cost as much as the recognizers on a short note."""
        key = tuple(wanted) if wanted is not None else None
        chosen = self._chosen.get(key)
        if chosen is None:
            entities = wanted if wanted is not None else sorted(self.supported)
            chosen = self._chosen[key] = (self.engine.registry.get_recognizers(
                language="en", entities=entities, all_fields=wanted is None), entities)
        recognizers, entities = chosen
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            found = recognizer.analyze(text=text, entities=entities, nlp_artifacts=self._no_artifacts)
            for r in found or ():
                if not r.recognition_metadata:
                    r.recognition_metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: str(getattr(recognizer, "name")),
                                              RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id}
                results.append(r)
        return [r for r in EntityRecognizer.remove_duplicates(results) if r.score >= self.min_score]

    def _keep(self, text: str, r: RecognizerResult) -> bool:
        if self._recognizer(r) != "SpacyRecognizer":
            return True
        span = text[r.start:r.end]
        words = _WORD.findall(span)
        if not words or _DIGIT.search(span) or "_" in span or all(w in self.vocabulary for w in words):
            return False
        if any(m.start() < r.end and r.start < m.end() for m in self.eponyms.finditer(text)):
            return False
        if not span[:1].isupper():
            return False  # "burgdorferi"
        if r.entity_type == "NER_PERSON":  # NER and the name lists must agree, on a word that is not ordinary
            lex = self.lexicon  # English or clinical ("Respiratory Flora" is not a person)
            return any(lex.is_name(t) and not lex.is_english(t) and not lex.is_clinical(t) for t in tokens(span))
        # a place below state level: not a state, not a whole categorical value ("Diminished"), not shouted lab
        # text, no clinical word in it, and a listed US place in it ("Borrelia" is not a town)
        if _STATE.fullmatch(span.strip()):
            return False
        places = us_places()
        listed = any((t.low,) in places.get(t.low, ()) for t in tokens(span))
        return (listed and span.strip() != text.strip() and not span.isupper()
                and not any(w in self.vocabulary for w in words))

    @staticmethod
    def _recognizer(r: RecognizerResult) -> str:
        return (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "unknown")

    def _hit(self, r: RecognizerResult) -> Hit:
        entity = _NER_ENTITIES.get(r.entity_type, r.entity_type)
        return Hit(entity, r.start, r.end, round(float(r.score), 3), self._recognizer(r))


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the best of overlapping hits: pattern over NER (NER scores are flat), higher score, longer span."""
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.recognizer == "SpacyRecognizer", -h.score, -(h.end - h.start), h.start)):
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)
