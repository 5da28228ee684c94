"""Validate a MIMIC-IV copy against its release: ``mimic_qa.validate(source, ...)``; assert that analysis reads the
copy that passed: ``mimic_qa.require_validated(source, results)``."""

from mimic_qa.errors import NotValidated
from mimic_qa.validation.options import ValidateOptions
from mimic_qa.validation.pipeline import validate
from mimic_qa.validation.require import require_validated
from mimic_qa.validation.result import ValidationFailed, ValidationResult

__all__ = ["NotValidated", "ValidateOptions", "ValidationFailed", "ValidationResult", "require_validated", "validate"]
