"""Command-line interface (``mimic-qa``)."""

from mimic_qa.cli.main import app, main

__all__ = ["app", "main"]
