"""Identifiers announced by a label: MRN, account, health-plan, licence, device serial and vehicle numbers."""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from mimic_qa.phi.entities import Entity

# an identifier: letters, digits and dashes with at least five digits (not a range such as "50-59")
ID = r"(?=(?:[A-Za-z-]*\d){5})[A-Za-z0-9][A-Za-z0-9-]{2,24}[A-Za-z0-9](?![A-Za-z0-9])"
SEP = r"[ \t]*(?:(?i:no|num|number|nbr|id|#)\.?)?[ \t]*[:#=]?[ \t]*"

LABELS: dict[Entity, str] = {
    Entity.US_SSN: r"\b(?i:ssn|ss|social[ \t]+security)",
    Entity.MEDICAL_RECORD_NUMBER: (r"\b(?i:mrn|mr|med(?:ical)?[ \t]+rec(?:ord)?|unit|hospital|hosp|chart|patient[ \t]+id|"
                                   r"record)"),
    Entity.ACCOUNT_NUMBER: r"\b(?i:acct|account|billing|bank[ \t]+account|invoice|card|iban|routing)",
    Entity.HEALTH_PLAN_NUMBER: (r"\b(?i:member|policy|medicaid|medicare|subscriber|insurance|health[ \t]+plan|"
                                r"group(?=[ \t]*(?:no\b|num|number|#|id\b))|beneficiary|mbi|hicn|plan)"),
    Entity.LICENSE_NUMBER: (r"\b(?i:licen[cs]e|lic|dea|npi|certificate|cert|driver'?s?[ \t]+licen[cs]e|"
                            r"registration|passport)"),
    Entity.DEVICE_ID: r"\b(?i:serial|s/n|sn|lot|model|device|udi|imei|catalog)",
    Entity.VEHICLE_ID: r"\b(?i:vin|licen[cs]e[ \t]+plate|plate|vehicle)",
}
# a licence plate after its cue: letters and digits in two to four groups ("NHJ-14-50", "FNE 972", "7ABC123")
# one to four groups, never starting with a word of the cue ("car REG 123": the plate is after "reg"); a group
# after the first holds a digit or is in capitals ("7abc123 seen": "seen" is not part of it)
PLATE = (r"(?!(?i:reg(?:istration)?|plates?|tag|no|num(?:ber)?)(?![A-Za-z0-9]))[A-Za-z0-9]{1,8}"
         r"(?:[ \-•·](?=[A-Za-z]*[0-9]|[A-Z0-9]+(?![A-Za-z0-9]))[A-Za-z0-9]{1,8}){0,3}(?![A-Za-z0-9])")
PLATE_CUE = (r"\b(?i:licen[cs]e[ \t]+plate|plates?|tag|car[ \t]+reg(?:istration)?|reg(?:istration)?|vehicle(?:[ \t]+plate)?|"
             r"car)(?![A-Za-z])[ \t]*(?:(?i:no|num|number|#)\.?)?[ \t]*[:#]?[ \t]*")


# the words a plate cue is made of (for the gate)
PLATE_WORDS = ("license", "licence", "plate", "plates", "tag", "car", "reg", "registration", "vehicle")


class LabelledIdRecognizer(EntityRecognizer):
    """An identifier right after its label, e.g. ``MRN: 0012345``, ``S/N 4471-AB9``: found forward from the label
    (a look-behind of variable length tried at every position cost 0.1 s per MB of dense text for each entity)."""

    def __init__(self, entity: Entity, label: str) -> None:
        super().__init__(supported_entities=[entity.value], name=f"Mimic{entity.value.title().replace('_', '')}Recognizer")
        self.pattern = re.compile(rf"{label}(?![A-Za-z0-9]){SEP}(?P<id>{ID})", re.DOTALL | re.MULTILINE)

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        return [RecognizerResult(self.supported_entities[0], m.start("id"), m.end("id"), 0.85, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for m in self.pattern.finditer(text)]


class SsnShapeRecognizer(PatternRecognizer):
    """Nine digits shaped like a valid SSN (area not 000/666/9xx, group not 00, serial not 0000), with dashes,
    spaces or none; scored just above OTHER_ID's 0.5 so an unlabelled nine-digit number reads as an SSN."""

    def __init__(self) -> None:
        ssn = r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ]?)(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])"
        super().__init__(supported_entity=Entity.US_SSN.value, name="MimicSsnShapeRecognizer",
                         patterns=[Pattern("ssn-shape", ssn, 0.55)], global_regex_flags=re.DOTALL | re.MULTILINE,
                         context=[])


class VinRecognizer(PatternRecognizer):
    """Vehicle identification numbers: 17 characters, no I/O/Q, letters and digits mixed."""

    def __init__(self) -> None:
        vin = r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b"
        super().__init__(supported_entity=Entity.VEHICLE_ID.value, name="MimicVinRecognizer",
                         patterns=[Pattern("vin", vin, 0.7)], global_regex_flags=re.DOTALL | re.MULTILINE, context=[])


class PlateRecognizer(PatternRecognizer):
    """A licence plate after "plate", "tag", "car reg" (at least one digit; plates have no fixed shape)."""

    def __init__(self) -> None:
        super().__init__(supported_entity=Entity.VEHICLE_ID.value, name="MimicPlateRecognizer",
                         patterns=[Pattern("plate-cued", rf"(?<={PLATE_CUE}){PLATE}", 0.7)],
                         global_regex_flags=re.DOTALL | re.MULTILINE, context=[])

    def invalidate_result(self, pattern_text: str) -> bool:
        """A plate has a digit; "car seat" or "tag along" are words."""
        return not any(c.isdigit() for c in pattern_text)


def identifier_recognizers() -> list[EntityRecognizer]:
    """One labelled-identifier recognizer per entity (the SSN-shape, VIN and plate recognizers are separate: their
    values need not hold five digits in a row)."""
    return [LabelledIdRecognizer(entity, label) for entity, label in LABELS.items()]
