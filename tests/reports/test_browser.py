"""Open the HTML reports in headless Chromium: they render (banner, pictures) and print, offline."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from mimic_qa.reports import render_report
from mimic_qa.reports.charts import COLORS
from tests.reports.browser import print_pdf, screenshot

WIDTH, HEIGHT = 1280, 2000


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _share(image: Image.Image, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> float:
    """Share of pixels in ``box`` within a small distance of ``colour``."""
    pixels = np.asarray(image.crop(box), dtype=np.int16)
    return float((np.abs(pixels - np.array(colour)).sum(axis=2) < 24).mean())


@pytest.mark.parametrize("fixture, verdict, banner", [("clean_run", "pass", "passed"), ("damaged_run", "fail", "error")])
def test_report_renders_in_chromium(fixture, verdict, banner, request, tmp_path):
    run = request.getfixturevalue(fixture)
    html = render_report(run, tmp_path, formats=["html"])[0]
    png = screenshot(html, tmp_path / f"{verdict}.png", WIDTH, HEIGHT)

    image = Image.open(png).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200  # text, charts and badges, not a blank page
    white = sum(n for n, c in colours if c == (255, 255, 255)) / (WIDTH * HEIGHT)
    assert 0.3 < white < 0.97
    # the verdict banner is drawn in its colour across the top of the page
    assert _share(image, _rgb(COLORS[banner][0]), (40, 80, WIDTH - 40, 200)) > 0.5
    # the pictures are drawn: passed cells and bars fill a visible part of the first screen
    assert _share(image, _rgb(COLORS["passed"][0]), (0, 500, WIDTH, HEIGHT)) > 0.05
    if verdict == "fail":
        assert _share(image, _rgb(COLORS["error"][0]), (0, 500, WIDTH, HEIGHT)) > 0.001


def test_report_prints_to_pdf(damaged_run, tmp_path):
    # two tables keep the print quick
    kept = {"patients", "admissions"}
    run = damaged_run.model_copy(update={
        "checks": [c for c in damaged_run.checks if c.table in kept],
        "row_counts": {t: n for t, n in damaged_run.row_counts.items() if t in kept}})
    html = render_report(run, tmp_path, formats=["html"])[0]
    assert html.read_text().count("<details") == 2
    pdf = print_pdf(html, tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = max(int(n) for n in re.findall(rb"/Count (\d+)", pdf))
    assert pages >= 3  # laid out over A4 pages, not cut at the first screen
