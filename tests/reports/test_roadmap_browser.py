"""roadmap.html in Chromium, offline, as a director opens it: it renders without an error
or a request beyond the file, the charts are visible, and it prints on A4.

Skips only when Chromium or Playwright is missing and CI is not set; under CI it must run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.audience import Audience
from planner.core.formatting import pct
from planner.reports.roadmap_page import write_roadmap_page
from tests.helpers.browser import chromium, offline_page, print_to_pdf, skip_without_chromium
from tests.helpers.roadmaps import small_roadmap

skip_without_chromium()

from playwright.sync_api import Page  # noqa: E402


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roadmap")
    return write_roadmap_page(small_roadmap(), folder / "roadmap.html", Audience.DIRECTOR)


@pytest.fixture(scope="module")
def page(page_file: Path):
    with chromium() as browser, offline_page(browser, page_file) as page:
        yield page


def test_renders_offline_without_errors(page: Page):
    assert page.problems == []
    assert page.outside == []
    lead = page.locator("#summary p").first
    assert lead.is_visible()
    first = small_roadmap().years[0]
    assert f"covers {pct(first.planned_coverage)}" in lead.inner_text()


def test_charts_are_visible_with_a_size(page: Page):
    for key in ("chart-roadmap-tiers", "chart-roadmap-cover"):
        chart = page.locator(f"#{key} svg")
        box = chart.bounding_box()
        assert chart.is_visible() and box["width"] > 300 and box["height"] > 100


def test_prints_on_a4_pages(page: Page, tmp_path: Path):
    pdf, pages = print_to_pdf(page)
    (tmp_path / "roadmap.pdf").write_bytes(pdf)
    assert pages >= 4  # summary, tiers, recruitment, careers, cover, method: each a page
    assert b"/MediaBox [0 0 595" in pdf  # A4 portrait: 595 x 842 points
    assert page.locator("nav.toc").is_hidden()  # the print layout is in effect
