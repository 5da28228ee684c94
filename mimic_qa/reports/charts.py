"""Inline SVG pictures for the HTML report: no JavaScript, no network, prints as vectors.

SVG is built with ``xml.etree.ElementTree``, which escapes every label and attribute, and returned
as ``Markup`` so the (autoescaping) HTML template embeds it as is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Fill and text colour per outcome (see view.OUTCOMES); colour-blind-safe hues (Okabe-Ito family).
COLORS: dict[str | None, tuple[str, str]] = {
    "error": ("#c0392b", "#ffffff"),
    "not_run": ("#6c3483", "#ffffff"),
    "warning": ("#e69f00", "#1b1b1b"),
    "info": ("#56b4e9", "#1b1b1b"),
    "waived": ("#85929e", "#ffffff"),
    "passed": ("#2e8b57", "#ffffff"),
    "skipped": ("#d5d8dc", "#1b1b1b"),
    None: ("#f4f6f7", "#7b7d7d"),
}

# Text colour for a count that differs from the expected one (readable on white).
TEXT_ALERT: dict[str | None, str] = {"error": "#a93226", "not_run": "#6c3483", "warning": "#9a6700"}

ROW_H = 20
GROUP_H = 26
LABEL_W = 135
FONT = 12


@dataclass(frozen=True)
class RowCount:
    """One table's bar: observed and expected rows, and the outcome of its row-count check."""

    table: str
    observed: int | None
    expected: int | None
    outcome: str | None


@dataclass(frozen=True)
class GridRow:
    """One table's status cells: per category, the worst outcome and the outcome counts."""

    table: str
    cells: tuple[tuple[str | None, Counter[str]], ...]


def _svg(width: int, height: int, title: str) -> ET.Element:
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {height}",
                             "width": str(width), "height": str(height), "role": "img", "class": "chart",
                             "font-size": str(FONT)})
    ET.SubElement(svg, "title").text = title
    return svg


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", **{k.replace("_", "-"): v for k, v in attrs.items()}})
    el.text = text
    return el


def _rect(parent: ET.Element, x: float, y: float, w: float, h: float, fill: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, "rect", {"x": f"{x:g}", "y": f"{y:g}", "width": f"{max(w, 0):g}",
                                          "height": f"{h:g}", "fill": fill,
                                          **{k.replace("_", "-"): v for k, v in attrs.items()}})


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))


def _fmt(n: int | None) -> str:
    return "not counted" if n is None else f"{n:,}"


def _height(groups: Sequence[tuple[str, Sequence[object]]], top: int) -> int:
    return top + sum(GROUP_H + ROW_H * len(rows) for _, rows in groups) + 8


def row_count_chart(groups: Sequence[tuple[str, Sequence[RowCount]]], max_ratio: float = 1.5) -> Markup:
    """Observed rows as a share of expected, one bar per table, grouped by module; 100% is marked."""
    bar_w, value_w = 250, 215
    width, top = LABEL_W + bar_w + value_w, 30
    height = _height(groups, top)
    svg = _svg(width, height, "Observed row counts as a share of the release's expected counts, per table")
    x0 = LABEL_W

    def x_of(ratio: float) -> float:
        return x0 + bar_w * min(ratio, max_ratio) / max_ratio

    for tick in (0, 0.5, 1, 1.5):
        _text(svg, x_of(tick), 14, f"{tick:.0%}", text_anchor="middle", fill="#555")
        ET.SubElement(svg, "line", {"x1": f"{x_of(tick):g}", "x2": f"{x_of(tick):g}", "y1": "20",
                                    "y2": str(height - 8), "stroke": "#bbb" if tick != 1 else "#333",
                                    "stroke-dasharray": "3 3" if tick != 1 else "none"})
    _text(svg, x0 + bar_w + 24, 14, "observed / expected rows", fill="#555")

    y = top
    for group, rows in groups:
        _text(svg, 0, y + 17, group, font_weight="bold")
        y += GROUP_H
        for r in rows:
            fill, _ = COLORS[r.outcome]
            _text(svg, LABEL_W - 8, y + 14, r.table, text_anchor="end")
            if r.observed is None or not r.expected:
                _rect(svg, x0, y + 3, bar_w, ROW_H - 6, "url(#hatch)" if r.observed is None else COLORS[None][0])
                ratio: float | None = None
            else:
                ratio = r.observed / r.expected
                _rect(svg, x0, y + 3, x_of(ratio) - x0, ROW_H - 6, fill)
                if ratio > max_ratio:  # clipped: mark the overflow
                    _text(svg, x_of(max_ratio) - 4, y + 14, "»", text_anchor="end", fill="#fff", font_weight="bold")
            label = f"{_fmt(r.observed)} / {_fmt(r.expected)}"
            if ratio is not None and r.observed is not None and r.expected is not None and r.observed != r.expected:
                label += f"  ({r.observed - r.expected:+,})"
            same = r.observed == r.expected
            _text(svg, x0 + bar_w + 24, y + 14, label, fill="#1b1b1b" if same else TEXT_ALERT.get(r.outcome, "#555"),
                  font_weight="normal" if same else "bold")
            y += ROW_H

    defs = ET.SubElement(svg, "defs")
    pattern = ET.SubElement(defs, "pattern", {"id": "hatch", "width": "6", "height": "6",
                                              "patternUnits": "userSpaceOnUse", "patternTransform": "rotate(45)"})
    _rect(pattern, 0, 0, 6, 6, "#f4f6f7")
    ET.SubElement(pattern, "line", {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#aab", "stroke-width": "2"})
    return _markup(svg)


CELL_WORDS = {"error": "error", "not_run": "not run", "warning": "warning", "info": "info", "waived": "waived",
              "passed": "passed",
              "skipped": "skipped"}


def _cell_text(worst: str | None, counts: Counter[str]) -> str:
    """'7 passed', '1 error of 34': the worst outcome's count, out of the cell's checks when some passed."""
    if worst is None:
        return "no checks"
    total = sum(counts.values())
    text = f"{counts[worst]} {CELL_WORDS[worst]}"
    return text if worst in ("passed", "skipped") or counts[worst] == total else f"{text} of {total}"


def status_grid(groups: Sequence[tuple[str, Sequence[GridRow]]], categories: Sequence[str]) -> Markup:
    """Table x check-category grid, each cell coloured by its worst outcome and labelled with counts."""
    cell_w, top = 110, 30
    width = LABEL_W + cell_w * len(categories)
    height = _height(groups, top)
    svg = _svg(width, height, "Worst check outcome per table and check category")
    for i, category in enumerate(categories):
        _text(svg, LABEL_W + cell_w * (i + 0.5), 18, category, text_anchor="middle", font_weight="bold")
    y = top
    for group, rows in groups:
        _text(svg, 0, y + 17, group, font_weight="bold")
        y += GROUP_H
        for r in rows:
            _text(svg, LABEL_W - 8, y + 14, r.table, text_anchor="end")
            for i, (worst, counts) in enumerate(r.cells):
                fill, ink = COLORS[worst]
                x = LABEL_W + cell_w * i
                _rect(svg, x + 1, y + 1, cell_w - 2, ROW_H - 2, fill, rx="2")
                _text(svg, x + cell_w / 2, y + 14, _cell_text(worst, counts), text_anchor="middle", fill=ink)
            y += ROW_H
    return _markup(svg)


def legend(outcomes: Sequence[str], labels: dict[str, str]) -> Markup:
    """A one-line colour key."""
    item_w = 110
    svg = _svg(item_w * len(outcomes), 20, "Colour key")
    for i, o in enumerate(outcomes):
        _rect(svg, i * item_w, 4, 12, 12, COLORS[o][0], rx="2")
        _text(svg, i * item_w + 17, 14, labels[o])
    return _markup(svg)


@dataclass(frozen=True)
class TrendDot:
    """One run of a table's trend: its observed rows and its checks that failed or could not run."""

    run: str
    rows: int | None
    failing: int
    blocking: int = 0  # of the failing checks, those that failed the run's gate


TREND_W, TREND_H = 250, 78
ROWS_LINE = "#1f5f99"


def trend_chart(table: str, dots: Sequence[TrendDot]) -> Markup:
    """A table over the runs kept, oldest left, this run right: its rows as a line (min and max labelled) above,
    its failing checks as bars (counted) below: red where some failed that run's gate, amber where all were below
    it or waived; no dot where the table was not counted."""
    svg = _svg(TREND_W, TREND_H, f"{table}: rows and failing checks over the last {len(dots)} runs")
    _text(svg, 0, 12, table, font_weight="bold")
    latest = dots[-1] if dots else None
    if latest is not None:
        _text(svg, TREND_W, 12, f"{_fmt(latest.rows)} rows", text_anchor="end", fill="#555")
    left, right, line_top, line_bottom, bar_base, bar_h = 4, TREND_W - 4, 22, 42, TREND_H - 4, 18
    step = (right - left) / max(len(dots), 1)
    counted = [d.rows for d in dots if d.rows is not None]
    low, high = (min(counted), max(counted)) if counted else (0, 0)
    points = []
    for i, d in enumerate(dots):
        x = left + step * (i + 0.5)
        if d.rows is not None:
            share = 0.5 if high == low else (d.rows - low) / (high - low)
            y = line_bottom - share * (line_bottom - line_top)
            points.append(f"{x:g},{y:g}")
            ET.SubElement(svg, "circle", {"cx": f"{x:g}", "cy": f"{y:g}", "r": "2.5", "fill": ROWS_LINE})
        if d.failing:
            h = bar_h * min(d.failing, 20) / 20 + 3
            outcome = "error" if d.blocking else "warning"
            _rect(svg, x - step * 0.3, bar_base - h, step * 0.6, h, COLORS[outcome][0], **{"data-failing": str(d.failing)})
            _text(svg, x, bar_base - h - 2, str(d.failing), text_anchor="middle", font_size="10", fill=TEXT_ALERT[outcome])
    if len(points) > 1:
        ET.SubElement(svg, "polyline", {"points": " ".join(points), "fill": "none", "stroke": ROWS_LINE,
                                        "stroke-width": "1.5"})
    if counted and high != low:
        _text(svg, TREND_W, line_top + 3, f"{high:,}", text_anchor="end", font_size="10", fill="#555")
        _text(svg, TREND_W, line_bottom + 3, f"{low:,}", text_anchor="end", font_size="10", fill="#555")
    ET.SubElement(svg, "line", {"x1": str(left), "x2": str(right), "y1": str(bar_base), "y2": str(bar_base),
                                "stroke": "#bbb"})
    return _markup(svg)
