"""How serious a failed check or a finding is: ``error`` > ``warning`` > ``info``, and the gate level ``fail_on``.

``Severity`` is a ``str`` enum, so the spec's YAML, the JSON outputs and comparisons such as ``== "error"`` keep
their plain values. ``SeverityField`` is the annotation models use: it accepts the enum or its value and always
holds the enum once validated.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import PlainSerializer, PlainValidator


class Severity(str, Enum):
    """A severity, worst first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:  # "error", not "Severity.ERROR", in messages, f-strings and templates
        return self.value

    @property
    def rank(self) -> int:
        """info 0, warning 1, error 2."""
        return SEVERITY_RANK[self.value]

    def reaches(self, fail_on: Severity | str) -> bool:
        """Is this severity at or above the gate level ``fail_on``?"""
        return self.rank >= Severity(fail_on).rank


SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
SeverityName = Literal["error", "warning", "info"]

# A model field: the enum or its value on input (the spec's YAML and the checks' definitions write values),
# always the enum once validated, its value in JSON and in the JSON Schema.
SeverityField = Annotated[
    Union[Severity, SeverityName],
    PlainValidator(Severity, json_schema_input_type=Severity),
    PlainSerializer(Severity, return_type=Severity, when_used="json"),
]
