"""Inline SVG pictures for the diff report, drawn with the audit report's SVG helpers (same fonts, colours,
escaping): row counts of B against A, drift bars per column, two distributions side by side."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from mimic_qa.diff.model import Shape
from mimic_qa.reports.charts import COLORS, LABEL_W, ROW_H, _markup, _rect, _svg, _text

COPY_COLOURS = {"A": "#0072b2", "B": "#e69f00"}  # Okabe-Ito blue and orange
SEVERITY_FILL = {s: COLORS[s][0] for s in ("error", "warning", "info")}
SAME = COLORS["passed"][0]


@dataclass(frozen=True)
class RowBar:
    table: str
    rows_a: int | None  # None: not counted (the table is in one copy only)
    rows_b: int | None
    severity: str | None  # of the table's row-count finding (or of its absence from a copy)
    only_in: str | None = None  # "A" or "B": the table is in that copy only


@dataclass(frozen=True)
class DriftBar:
    label: str  # table.column
    statistic: str  # tvd, ks, length_ks
    value: float
    warning: float | None
    error: float | None
    severity: str | None


AXIS = "#555"
GAP = 40  # between a plot and the column of values beside it: its last tick label must not reach that column


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, stroke: str, **attrs: str) -> None:
    ET.SubElement(parent, "line", {"x1": f"{x1:g}", "y1": f"{y1:g}", "x2": f"{x2:g}", "y2": f"{y2:g}",
                                   "stroke": stroke, **{k.replace("_", "-"): v for k, v in attrs.items()}})


def row_chart(bars: Sequence[RowBar], max_ratio: float = 1.5) -> Markup:
    """Rows in B as a share of rows in A, one bar per table of either copy; 100% is marked. A table only in B
    runs off the scale, one only in A has no bar; both say so."""
    bar_w, value_w, top = 250, 230, 46
    width, height = LABEL_W + bar_w + GAP + value_w, top + ROW_H * len(bars) + 8
    svg = _svg(width, height, "Rows in copy B as a share of rows in copy A, per table")

    def x_of(ratio: float) -> float:
        return LABEL_W + bar_w * min(ratio, max_ratio) / max_ratio

    _text(svg, LABEL_W, 12, "rows in B as a share of rows in A", fill=AXIS)
    _text(svg, LABEL_W - 8, 12, "table", text_anchor="end", fill=AXIS)
    _text(svg, LABEL_W + bar_w + GAP, 12, "rows in B / rows in A", fill=AXIS)
    for ratio in (0, 0.5, 1, 1.5):
        _text(svg, x_of(ratio), 30, f"{ratio:.0%}", text_anchor="middle", fill=AXIS)
        _line(svg, x_of(ratio), 36, x_of(ratio), height - 8, "#333" if ratio == 1 else "#bbb",
              stroke_dasharray="none" if ratio == 1 else "3 3")
    y = top
    for r in bars:
        _text(svg, LABEL_W - 8, y + 14, r.table, text_anchor="end")
        a, b = r.rows_a or 0, r.rows_b or 0
        if r.only_in:
            ratio, label, changed = (max_ratio if r.only_in == "B" else 0.0), f"only in {r.only_in}", True
        else:
            ratio = b / a if a else (1.0 if not b else max_ratio)
            changed = a != b
            label = f"{b:,} / {a:,}" + (f"  ({b - a:+,})" if changed else "")
        _rect(svg, LABEL_W, y + 3, x_of(ratio) - LABEL_W, ROW_H - 6, SEVERITY_FILL.get(r.severity or "", SAME))
        _text(svg, LABEL_W + bar_w + GAP, y + 14, label, fill="#1b1b1b", font_weight="bold" if changed else "normal")
        y += ROW_H
    return _markup(svg)


def drift_chart(bars: Sequence[DriftBar], title: str) -> Markup:
    """One bar per column: its distance (0 to 1, axis up to the largest value or 0.5), coloured by the
    severity it reached; ticks mark the column's warning and error thresholds."""
    label_w, bar_w, value_w, top = 260, 300, 120, 46
    width, height = label_w + bar_w + GAP + value_w, top + ROW_H * len(bars) + 8
    svg = _svg(width, height, title)
    scale = max([0.5] + [min(b.value, 1.0) for b in bars])

    def x_of(v: float) -> float:
        return label_w + bar_w * min(v, scale) / scale

    _text(svg, label_w, 12, "distance: 0 the same, 1 nothing in common", fill=AXIS)
    _text(svg, label_w - 8, 12, "table.column", text_anchor="end", fill=AXIS)
    _text(svg, label_w + bar_w + GAP, 12, "statistic", fill=AXIS)
    for v in (0, scale / 2, scale):
        _text(svg, x_of(v), 30, f"{v:.2g}", text_anchor="middle", fill=AXIS)
        _line(svg, x_of(v), 36, x_of(v), height - 8, "#bbb", stroke_dasharray="3 3")
    y = top
    for b in bars:
        _text(svg, label_w - 8, y + 14, b.label, text_anchor="end")
        _rect(svg, label_w, y + 3, max(x_of(b.value) - label_w, 1), ROW_H - 6,
              SEVERITY_FILL.get(b.severity or "", SAME))
        for limit, colour in ((b.warning, SEVERITY_FILL["warning"]), (b.error, SEVERITY_FILL["error"])):
            if limit is not None and limit <= scale:
                _line(svg, x_of(limit), y + 1, x_of(limit), y + ROW_H - 1, colour, stroke_width="2")
        _text(svg, label_w + bar_w + GAP, y + 14, f"{b.statistic} {b.value:.3f}")
        y += ROW_H
    return _markup(svg)


def shape_chart(shape: Shape, title: str, caption: str, x_label: str) -> Markup:
    """Two distributions side by side: per bin, A's share and B's share as adjacent columns. The y axis is the
    share of each copy's values, the x axis the bins (``x_label`` says what they are)."""
    n = len(shape.a)
    plot_h, top, left = 120, 44, 48
    bottom = (34 if shape.labels else 12) + 16  # bin labels on two rows, then the axis title
    col_w = max(6, min(16, 420 // max(n, 1) // 2))
    width = left + n * (2 * col_w + 4) + 10
    height = top + plot_h + bottom
    width = max(width, 300, round(6.6 * max(len(title), len(caption), len(x_label) + 8)))  # room for the text
    svg = _svg(width, height, title)
    _text(svg, 0, 13, title, font_weight="bold")
    _text(svg, 0, 28, caption, fill=AXIS)
    peak = max([*shape.a, *shape.b, 0.01])
    base = top + plot_h
    _line(svg, left, base, width - 6, base, "#333")
    _line(svg, left, top, left, base, "#333")
    _text(svg, left - 4, top + 8, f"{peak:.0%}", text_anchor="end", fill=AXIS)
    _text(svg, left - 4, base, "0", text_anchor="end", fill=AXIS)
    middle = top + plot_h / 2
    _text(svg, 12, middle, "share of values", text_anchor="middle", fill=AXIS, transform=f"rotate(-90 12 {middle:g})")
    for i, (sa, sb) in enumerate(zip(shape.a, shape.b, strict=True)):
        x = left + 4 + i * (2 * col_w + 4)
        for j, (share, copy) in enumerate(((sa, "A"), (sb, "B"))):
            h = plot_h * share / peak
            _rect(svg, x + j * col_w, base - h, col_w - 1, h, COPY_COLOURS[copy])
        if shape.labels:
            label = shape.labels[i] if len(shape.labels[i]) <= 14 else shape.labels[i][:13] + "…"
            _text(svg, x + col_w, base + 12 + 10 * (i % 2), label, text_anchor="middle", fill=AXIS, font_size="9")
    _text(svg, left, height - 6, x_label, fill=AXIS)
    return _markup(svg)


def copy_legend() -> Markup:
    svg = _svg(180, 20, "Colour key: copy A and copy B")
    for i, copy in enumerate(("A", "B")):
        _rect(svg, i * 90, 4, 12, 12, COPY_COLOURS[copy], rx="2")
        _text(svg, i * 90 + 17, 14, f"copy {copy}")
    return _markup(svg)


def severity_legend() -> Markup:
    items = [("no finding", SAME), ("info", SEVERITY_FILL["info"]), ("warning", SEVERITY_FILL["warning"]),
             ("error", SEVERITY_FILL["error"])]
    svg = _svg(110 * len(items), 20, "Colour key: severity reached")
    for i, (label, fill) in enumerate(items):
        _rect(svg, i * 110, 4, 12, 12, fill, rx="2")
        _text(svg, i * 110 + 17, 14, label)
    return _markup(svg)
