"""Validate a MIMIC-IV copy against its release: ``mimic_qa.validate(source, ...)``."""

from mimic_qa.validation.outcome import ValidationFailed, ValidationResult
from mimic_qa.validation.run import validate

__all__ = ["ValidationFailed", "ValidationResult", "validate"]
