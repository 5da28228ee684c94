"""User documentation generated from the spec, the commands and the models: the check catalogue, the CLI reference,
the JSON output reference and its schemas."""

from mimic_qa.docs.write import CHECKS_PAGE, CLI_PAGE, render_docs, stale_docs, write_docs

__all__ = ["CHECKS_PAGE", "CLI_PAGE", "render_docs", "stale_docs", "write_docs"]
