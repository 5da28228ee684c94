"""Audit reports (HTML, Markdown) and citations rendered from run results, the spec and Jinja2 templates."""

from mimic_qa.reports.render import render_citations, render_report

__all__ = ["render_citations", "render_report"]
