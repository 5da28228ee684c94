"""``python -m mimic_qa`` runs the ``mimic-qa`` command."""

from mimic_qa.cli import main

main()
