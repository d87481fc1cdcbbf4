"""The director report holds no private value of a person, and no group smaller than k."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from planner.core.audience import Audience
from planner.reports.html import render_html
from tests.helpers.report_plans import (
    PRIVATE_IDS,
    PRIVATE_NAMES,
    PRIVATE_TOPICS,
    private_plan,
    regional_plan,
)


@pytest.fixture(scope="module")
def director_html() -> str:
    return render_html(private_plan(), Audience.DIRECTOR)


@pytest.fixture(scope="module")
def director(director_html: str) -> BeautifulSoup:
    return BeautifulSoup(director_html, "html.parser")


def _private_values() -> list[str]:
    """Names, ids and the HR reasons (readiness, exclusions) of the private org."""
    plan = private_plan()
    reasons = [line for u in plan.unassigned for line in u.reasons]
    return [*PRIVATE_NAMES, *PRIVATE_IDS, *reasons, "PX-", "readiness 1",
            "exclusion (2 services)", "readiness_match", "fit: readiness"]


def _words(soup: BeautifulSoup) -> str:
    """What a reader or a scraper finds: the text and every attribute value, less CSS/JS."""
    copy = BeautifulSoup(str(soup), "html.parser")
    for tag in copy.find_all(["style", "script"]):
        tag.decompose()
    values = [str(v) for tag in copy.find_all(True) for k, v in tag.attrs.items() if k != "style"]
    return " ".join([copy.get_text(" "), *values]).lower()


def test_the_hr_report_does_hold_them():
    hr = render_html(private_plan(), Audience.HR)
    assert all(name in hr for name in PRIVATE_NAMES)
    assert all(psw_id in hr for psw_id in PRIVATE_IDS)
    assert "exclusion (2 services)" in hr


def test_director_report_holds_no_private_value(director_html, director):
    leaked = [value for value in _private_values() if value.lower() in director_html.lower()]
    assert leaked == []
    words = _words(director)
    assert [t for t in PRIVATE_TOPICS if t in words] == []  # the people's topics


def test_director_report_lists_no_placement_per_person(director):
    # A row per placement would let a reader count people per service (the k rule).
    assert director.select("#placements") == []
    assert not any(a.get("href") == "#placements" for a in director.select("nav a"))
    filled = [td.get_text() for td in director.select("#role-mix-table tbody tr td:nth-of-type(4)")]
    assert filled and all(v in ("0", "<5") or int(v) >= 5 for v in filled)


def test_counts_below_k_are_suppressed_and_their_raw_value_kept_off_the_page(director):
    tile = director.select_one('li[data-kpi="unassigned"] .value')
    assert tile.get_text() == "<5" and not tile.has_attr("data-value")
    placed = director.select_one('li[data-kpi="placed"] .value')
    assert placed.get_text() == "5" and placed["data-value"] == "5"
    cells = director.select("#unassigned-table tbody td.num")
    assert [c.get_text() for c in cells] == ["<5"]  # both share "no fitting role"
    assert all(float(c["data-sort"]) == 4.5 for c in cells)
    headers = [th.get_text(strip=True) for th in director.select("#services-table thead th")]
    assert "PSWs" not in headers  # 3 and 2 peers: "<5" beside their FTE would tell
    assert "fewer than 5 people are not placed" in director.select_one("#summary").get_text()


def test_director_unassigned_reasons_are_neutral(director):
    rows = director.select("#unassigned-table tbody tr")
    reasons = [tr.select_one("td").get_text() for tr in rows]
    assert reasons == ["no fitting role"]


def test_regional_director_report_names_nobody():
    plan = regional_plan()
    page = render_html(plan, Audience.DIRECTOR)
    soup = BeautifulSoup(page, "html.parser")
    text = soup.get_text(" ")
    for person in plan.people:
        assert person.name not in page, person.psw_id
        assert not re.search(rf"\b{person.psw_id}\b", text), person.psw_id
    assert plan.input_sha256 not in page  # the pseudonym key stays private
    assert soup.select_one('[data-fact="audience"]').get_text() == "director"
