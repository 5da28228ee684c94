"""Validate a MIMIC-IV copy against its release: ``mimic_qa.validate(source, ...)``."""

from mimic_qa.validation.options import ValidateOptions
from mimic_qa.validation.pipeline import validate
from mimic_qa.validation.result import ValidationFailed, ValidationResult

__all__ = ["ValidateOptions", "ValidationFailed", "ValidationResult", "validate"]
