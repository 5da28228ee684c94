"""Render audit reports (HTML, Markdown) and citations from the Jinja2 templates.

HTML is rendered with autoescaping; Markdown with a ``finalize`` hook that escapes every value
for Markdown (so a value can neither break a table nor smuggle in HTML). Templates only lay out
what :mod:`mimic_qa.reports.view` computed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from mimic_qa.checks.kinds.row_count import RowCount
from mimic_qa.reports import charts
from mimic_qa.reports.citations import Reference, bibtex_escape, references
from mimic_qa.reports.view import OUTCOMES, RELEASE_GROUP, ReportView, build_view, load_phi_summary
from mimic_qa.resources import templates_dir
from mimic_qa.results.io import write_atomic
from mimic_qa.results.model import RunResult
from mimic_qa.spec import load_spec

FORMATS: dict[str, str] = {"html": "report.html", "md": "report.md"}


class MdSafe(str):
    """Markdown that a template may emit as is (the Markdown counterpart of ``Markup``)."""


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|&~#!])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # intraword _ is inert


def md_escape(value: Any) -> str:
    """Escape a value for Markdown text and table cells: one line, no markup, no HTML."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_UNDERSCORE.sub(r"\\_", text)


def md_code(value: Any) -> MdSafe:
    """A Markdown code span that holds any text (the fence is longer than any backtick run in it).

    ``|`` is escaped too: GitHub splits table cells before it parses code spans.
    """
    text = " ".join(str(value).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")


def number(value: float | None, missing: str = "–") -> str:
    """Thousands separators; a dash for a missing count."""
    if value is None:
        return missing
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _common(env: Environment) -> Environment:
    env.filters["number"] = number
    env.filters["bibtex"] = bibtex_escape
    env.globals["outcome_labels"] = OUTCOMES
    return env


@lru_cache(maxsize=1)
def html_env() -> Environment:
    return _common(Environment(loader=FileSystemLoader(templates_dir()), auto_reload=False, autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True))


@lru_cache(maxsize=1)
def text_env() -> Environment:
    """Plain text and BibTeX: no escaping (the values are the spec's own citation facts)."""
    return _common(Environment(loader=FileSystemLoader(templates_dir()), auto_reload=False, autoescape=False,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True))


@lru_cache(maxsize=1)
def md_env() -> Environment:
    env = Environment(loader=FileSystemLoader(templates_dir()), auto_reload=False, autoescape=False, finalize=md_escape,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["code"] = md_code
    env.filters["rendered"] = MdSafe  # output of a macro: its values were escaped when it was rendered
    return _common(env)


def _chart_groups(view: ReportView) -> dict[str, Any]:
    """The inline SVG pictures of a report."""
    row_groups = []
    grid_groups = []
    for module, tables in view.modules.items():
        bars = [charts.RowCount(t.name, t.observed, t.expected,
                                next((c.outcome for c in t.checks if c.result.kind == RowCount.name),
                                     "passed" if t.observed == t.expected else "error"))
                for t in tables if t.expected is not None or t.observed is not None]
        if bars:
            row_groups.append((module, bars))
        grid_groups.append((module, [charts.GridRow(t.name, tuple(t.category_cell(c) for c in view.categories))
                                     for t in tables if t.checks]))
    labels = dict(OUTCOMES)
    present = [o for o in OUTCOMES if view.counts[o]] or ["passed"]
    return {
        "trend_charts": _trend_charts(view),
        "row_chart": charts.row_count_chart(row_groups) if row_groups else None,
        # release-wide checks last, so the grid's table rows line up with the row-count bars beside it
        "grid_chart": charts.status_grid(sorted((g for g in grid_groups if g[1]), key=lambda g: g[0] == RELEASE_GROUP),
                                         view.categories),
        "legend": charts.legend(present, labels),
    }


def _trend_charts(view: ReportView) -> list[Any]:
    """One small picture per table of the runs kept in the history folder (none without --history)."""
    history = view.run.history
    if history is None or not history.trend:
        return []
    tables = dict.fromkeys(t for point in history.trend for t in [*point.rows, *point.failing])
    return [charts.trend_chart(t, [charts.TrendDot(p.run, p.rows.get(t), p.failing.get(t, 0), p.blocking.get(t, 0))
                                   for p in history.trend]) for t in tables]


def _bibtex(view: ReportView) -> str:
    return text_env().get_template("citations.bib.j2").render(references=view.references).strip()


def render_html(view: ReportView) -> str:
    return html_env().get_template("report.html.j2").render(view=view, bibtex=_bibtex(view), **_chart_groups(view))


def render_markdown(view: ReportView) -> str:
    return md_env().get_template("report.md.j2").render(view=view, bibtex=MdSafe(_bibtex(view)))


def render_report(run: RunResult, out_dir: Path, *, formats: Sequence[str] = ("html", "md"),
                  phi_dir: Path | None = None) -> list[Path]:
    """Write ``out_dir/report.html`` and/or ``out_dir/report.md`` (atomically); return the paths written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; choose from {', '.join(FORMATS)}")
    phi = load_phi_summary(phi_dir) if phi_dir is not None else None
    view = build_view(run, load_spec(), phi=phi)
    out_dir.mkdir(parents=True, exist_ok=True)
    renderers = {"html": render_html, "md": render_markdown}
    written = []
    for fmt in dict.fromkeys(formats):
        path = out_dir / FORMATS[fmt]
        write_atomic(path, renderers[fmt](view).encode("utf-8"))
        written.append(path)
    return written


def render_citations(release: str, fmt: str = "text") -> str:
    """The citations of a release as plain text or BibTeX (``mimic-qa cite``)."""
    refs: list[Reference] = references(load_spec(), release)
    template = {"text": "citations.txt.j2", "bibtex": "citations.bib.j2"}[fmt]
    return text_env().get_template(template).render(references=refs)
