"""The HTML report, checked by parsing it: summary, KPI tiles, tables, charts, safety."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from planner.core.formatting import money, pct
from planner.core.results import Status
from planner.reports.html import SORTABLE_ROWS, environment, render_html, write_html_report
from planner.reports.narrative import executive_summary
from tests.helpers.report_plans import private_plan, regional_plan

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(regional_plan())


@pytest.fixture(scope="module")
def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_executive_summary_comes_first_and_is_generated_from_the_plan(soup):
    first = soup.select_one("main > section")
    assert first is not None and first["id"] == "summary"
    assert [p.get_text() for p in soup.select("#summary p")] == executive_summary(regional_plan())


def test_kpi_tiles_equal_the_plans_kpis(soup):
    kpis = regional_plan().kpis
    tiles = {li["data-kpi"]: li.select_one(".value") for li in soup.select("#kpis li.kpi")}
    expected = {"coverage", "mean_fit", "mean_autonomy", "cost", "unassigned", "vacancies"}
    assert expected <= set(tiles)
    for key, value in tiles.items():
        assert float(value["data-value"]) == pytest.approx(getattr(kpis, key)), key
    assert tiles["coverage"].get_text() == pct(kpis.coverage)
    assert tiles["cost"].get_text() == money(kpis.cost)


def test_role_mix_table_totals_add_up(soup):
    kpis = regional_plan().kpis
    table = soup.select_one("#role-mix-table")
    rows = table.select("tbody tr")
    assert len(rows) == len(regional_plan().role_mix)
    columns = {"filled_positions": 3, "vacant_positions": 4, "filled_fte": 5, "vacant_fte": 6}
    sums = {key: sum(float(r.select("td")[i]["data-sort"]) for r in rows)
            for key, i in columns.items()}
    totals = {td["data-total"]: float(td.get_text().replace(",", ""))
              for td in table.select("tfoot td[data-total]")}
    assert totals == pytest.approx(sums)
    # the role mix holds peer supervisors too; the key figures count frontline FTE only
    supervision = sum(s.supervisor_fte for s in regional_plan().services)
    assert totals["filled_fte"] + totals["vacant_fte"] == pytest.approx(
        kpis.filled_fte + kpis.vacant_fte + supervision)
    assert totals["filled_positions"] == len(regional_plan().assignments)
    assert totals["vacant_positions"] == kpis.vacancies


def test_roles_table_matches_the_role_mix(soup):
    mix = regional_plan().role_mix
    for row in soup.select("#role-totals tbody tr"):
        role_id = row["data-role"]
        filled = sum(c.filled_positions for c in mix if c.role_id == role_id)
        assert float(row.select("td")[5]["data-sort"]) == filled


def test_autoescape_shows_markup_in_names_as_text():
    p = private_plan()
    hostile = replace(
        p,
        source=EVIL,
        services=tuple(replace(s, name=EVIL) for s in p.services),
        people=tuple(replace(person, name=EVIL) for person in p.people),
        roles=tuple(replace(r, title=EVIL, career_track=EVIL) for r in p.roles),
    )
    assert environment().autoescape is True
    page = render_html(hostile)
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and "alert" not in scripts[0].get_text()
    assert EVIL in soup.select_one("#services-table").get_text()
    assert EVIL in soup.select_one("#placements-table").get_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nothing_is_fetched_from_outside(soup, html):
    for tag in soup.find_all(True):
        for attr in ("src", "href", "xlink:href", "action", "data", "poster"):
            value = tag.get(attr)
            if value is not None:
                assert not re.match(r"^\s*(https?:)?//", value), (tag.name, attr, value)
    assert not soup.find_all(["link", "img", "iframe", "object", "embed"])
    assert all(not s.get("src") for s in soup.find_all("script"))
    css = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "@import" not in css and "url(" not in css
    assert "@font-face" not in html


def test_self_contained_with_inline_charts(soup):
    assert len(soup.select("head > style")) == 1
    figures = soup.select("#charts figure")
    assert [f["id"] for f in figures] == ["chart-tier", "chart-track", "chart-demand",
                                          "chart-scores"]
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img" and svg["aria-label"]
        assert soup.find(id=svg["aria-describedby"]).get_text().strip()
        assert figure.find("figcaption").get_text().strip()
        assert figure.find("text") is not None or "<text" in str(svg)  # searchable text


def test_ids_are_unique_and_the_output_is_reproducible(soup, html):
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert render_html(regional_plan()) == html


def test_long_tables_are_sortable_with_raw_numbers(soup):
    for table in soup.select("table"):
        rows = table.select("tbody tr")
        sortable = "sortable" in table.get("class", [])
        assert sortable == (len(rows) > SORTABLE_ROWS), table["id"]
        if sortable:
            controls = table.select('thead th .sort[role="button"][tabindex="0"]')
            assert len(controls) == len(table.select("thead th"))
        for cell in table.select("td[data-sort]"):
            float(cell["data-sort"])
    assert "sortable" in soup.select_one("#placements-table")["class"]


def test_hr_placements_show_components(soup):
    headers = [th.get_text() for th in soup.select("#placements-table thead th")]
    assert headers[:2] == ["PSW", "Name"] and "Points" in headers
    first = soup.select_one("#placements-table tbody tr")
    assert "fit: readiness" in first.get_text()


def test_appendix_states_the_method(soup):
    p = regional_plan()
    facts = {dd["data-fact"]: dd.get_text() for dd in soup.select("#run-facts dd")}
    assert facts["status"] == "optimal"
    assert facts["input_sha256"] == p.input_sha256
    assert facts["source"] == "regional_service.xlsx"
    assert facts["planner_version"] == p.planner_version
    assert facts["audience"] == "hr"
    assert facts["objective"] == f"{p.objective:,.2f}"
    assert [li.get_text() for li in soup.select("#rules li")] == list(p.rules)
    keys = {row.select_one("code").get_text() for row in soup.select("#weights-table tbody tr")}
    assert keys == {k for k in p.policy if k.startswith(("weight_", "penalty_"))}
    assert "minimum climate" in soup.select_one("#definitions").get_text()


def test_an_infeasible_plan_still_renders():
    p = replace(private_plan(), status=Status.INFEASIBLE, kpis=None, objective=None,
                bound=None, gap=None, assignments=(), vacancies=(), conflicts=("budget",))
    soup = BeautifulSoup(render_html(p), "html.parser")
    assert soup.select_one("#summary p").get_text() == "No plan satisfies all the rules."
    assert soup.select_one("#conflicts li").get_text() == "budget"
    assert not soup.select("figure") and soup.select_one("#appendix")


def test_write_html_report_writes_the_rendered_page(tmp_path):
    target = tmp_path / "out" / "report.html"
    written = write_html_report(private_plan(), target)
    assert written == target
    assert target.read_text(encoding="utf-8") == render_html(private_plan())
    assert not [f for f in target.parent.iterdir() if f.name != "report.html"]


def test_a_service_needs_attention_for_the_role_its_climate_keeps_out_and_says_why():
    # the regional wards S009 and S011 (climate 2) keep out the ward peer expert (needs 3);
    # supported housing (climate 2) allows no such role, so its climate is no flag
    soup = BeautifulSoup(render_html(regional_plan()), "html.parser")
    flags = {tr.select_one("td").get_text(): tr.get_text(" ", strip=True)
             for tr in soup.select("#attention-table tbody tr")}
    warded = [text for text in flags.values() if "keeps out Ward peer expert (needs 3)" in text]
    assert len(warded) == 2
    assert not any("Supported housing" in text and "keeps out" in text for text in flags.values())
