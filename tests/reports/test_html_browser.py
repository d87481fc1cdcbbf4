"""The report in a real browser (Debian's Chromium via Playwright), offline.

Skips only when Chromium or Playwright is missing and CI is not set; under CI it must run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.formatting import fte, pct
from planner.reports.html import write_html_report
from tests.helpers.browser import (
    chromium,
    offline_page,
    print_to_pdf,
    skip_without_chromium,
)
from tests.helpers.report_plans import regional_plan

skip_without_chromium()

from playwright.sync_api import Page  # noqa: E402

SCREENSHOT = Path("/tmp/report_screenshot.png")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html_report(regional_plan(), tmp_path_factory.mktemp("html") / "report.html")


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, report: Path):
    """The report opened offline; records console messages, page errors and requests."""
    with offline_page(browser, report) as page:
        yield page


def test_no_errors_and_no_request_beyond_the_file(page: Page):
    page.click("#placements-table thead th:nth-child(6) .sort")  # exercise the script
    assert page.problems == []
    assert page.outside == []


def test_summary_is_visible_and_leads_with_coverage(page: Page):
    lead = page.locator("#summary p").first
    assert lead.is_visible()
    k = regional_plan().kpis
    assert lead.inner_text().startswith(f"The plan fills {fte(k.filled_fte)} of the "
                                        f"{fte(k.demand_fte)} FTE")
    assert f"({pct(k.coverage)} coverage)" in lead.inner_text()


def test_charts_are_visible_with_a_size(page: Page):
    charts = page.locator("figure svg")
    assert charts.count() == 4
    for i in range(4):
        box = charts.nth(i).bounding_box()
        assert charts.nth(i).is_visible() and box["width"] > 300 and box["height"] > 100


def test_clicking_a_header_sorts_numerically(page: Page):
    fit = "#placements-table tbody tr td:nth-child(6)"
    before = page.locator(fit).evaluate_all("cells => cells.map(c => Number(c.dataset.sort))")
    header = page.locator("#placements-table thead th:nth-child(6)")
    header.locator(".sort").click()
    ascending = page.locator(fit).evaluate_all("cells => cells.map(c => Number(c.dataset.sort))")
    assert header.get_attribute("aria-sort") == "ascending"
    assert ascending == sorted(before) and ascending != before
    header.locator(".sort").click()
    descending = page.locator(fit).evaluate_all("cells => cells.map(c => Number(c.dataset.sort))")
    assert header.get_attribute("aria-sort") == "descending"
    assert descending == sorted(before, reverse=True)


def test_headers_sort_from_the_keyboard(page: Page):
    header = page.locator("#role-mix-table thead th:nth-child(4)")
    header.locator(".sort").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    filled = page.locator("#role-mix-table tbody tr td:nth-child(4)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.sort))")
    assert filled == sorted(filled)


def test_full_page_screenshot_is_a_real_page(page: Page):
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 100_000
    from PIL import Image

    with Image.open(SCREENSHOT) as image:
        assert image.width == 1280 and image.height > 5_000
        colours = image.convert("RGB").resize((320, 800)).getcolors(maxcolors=1_000_000)
    assert len(colours) > 50


def test_prints_to_several_a4_pages(page: Page, tmp_path: Path):
    pdf, pages = print_to_pdf(page)
    assert page.evaluate("getComputedStyle(document.querySelector('thead th')).position") \
        == "static"
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert pages > 5
    assert b"/MediaBox [0 0 595" in pdf  # A4 portrait: 595 x 842 points

