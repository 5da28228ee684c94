"""mimic-qa: data-quality and governance checks for MIMIC-IV copies.

``mimic_qa.validate(source, ...)`` checks a copy from Python and returns a ``ValidationResult``
(``.ok``, ``.failed``, ``.raise_for_failures()``). ``mimic_qa.require_validated(source, results)`` raises
``NotValidated`` unless the source holds the content those results passed with (its tables' fingerprints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mimic_qa.version import __version__

if TYPE_CHECKING:  # for type checkers and IDEs; at run time they come on first use (``__getattr__``)
    from mimic_qa.validation import (NotValidated, ValidateOptions, ValidationFailed, ValidationResult,
                                     require_validated, validate)

__all__ = ["NotValidated", "ValidateOptions", "ValidationFailed", "ValidationResult", "__version__",
           "require_validated", "validate"]
_LAZY = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    """Import the validation machinery on first use, so that ``mimic-qa --version`` stays instant."""
    if name in _LAZY:
        from mimic_qa import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'mimic_qa' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (``dir(mimic_qa)``, tab completion): what ``__all__`` names, not the helpers used here."""
    return sorted(__all__)
