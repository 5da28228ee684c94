"""User documentation generated from the spec and the commands: the check catalogue and the CLI reference."""

from mimic_qa.docs.write import CHECKS_PAGE, CLI_PAGE, render_docs, stale_docs, write_docs

__all__ = ["CHECKS_PAGE", "CLI_PAGE", "render_docs", "stale_docs", "write_docs"]
