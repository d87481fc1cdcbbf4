"""roadmap.html, roadmap.xlsx and roadmap.json for both audiences, read back: the director's
files list no person and show counts below k as "<k" (blank in the workbook), HR's hold
each pathway, and every figure is the roadmap's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from planner.analyses.roadmap import Roadmap
from planner.core.audience import Audience
from planner.core.formatting import fte, in_currency, money, pct
from planner.reports.roadmap_files import recruit_start_words, shown_for
from planner.reports.roadmap_narrative import roadmap_summary
from planner.reports.roadmap_outputs import write_roadmap_files
from tests.helpers.roadmaps import CURRENCY, K, small_roadmap

SMALL = f"<{K}"


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    made = small_roadmap()
    # what the privacy tests need: small groups in the figures
    first, second = made.years[0], made.years[1]
    assert 0 < first.stretch_placements < K and 0 < second.progressions < K
    assert 0 < made.reached_higher_tier < K
    assert any(shown_for(made, Audience.DIRECTOR).tier_hidden(y.year, t.tier)[0]
               for y in made.years for t in y.tiers)
    return made


@pytest.fixture(scope="module")
def folders(roadmap: Roadmap, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for audience in Audience:
        out[audience.value] = tmp_path_factory.mktemp(audience.value)
        write_roadmap_files(roadmap, out[audience.value], audience)
    return out


def soup_of(folders: dict[str, Path], audience: str) -> BeautifulSoup:
    return BeautifulSoup((folders[audience] / "roadmap.html").read_text(), "html.parser")


@pytest.fixture(scope="module")
def director(folders) -> BeautifulSoup:
    return soup_of(folders, "director")


@pytest.fixture(scope="module")
def hr(folders) -> BeautifulSoup:
    return soup_of(folders, "hr")


def people_of(roadmap: Roadmap) -> set[str]:
    """Every person's id and name (staff and new hires)."""
    ids = {s.psw_id for s in roadmap.pathways}
    names = {p.name for plan in roadmap.plans for p in plan.people if p.name}
    return ids | names


def cells(row) -> list[str]:
    return [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]


# -- roadmap.html ------------------------------------------------------------------------


def test_director_page_has_every_section_but_the_pathways(director):
    for section in ("summary", "years", "tiers", "recruitment", "careers", "cover", "method",
                    "glossary"):
        assert director.select_one(f"section#{section}") is not None, section
    assert director.select("#pathways, #pathways-table, #steps-table") == []
    assert "Pathways" not in director.select_one("nav.toc").get_text()


def test_director_page_names_nobody(roadmap, director):
    text = str(director)
    assert [who for who in people_of(roadmap) if who in text] == []
    assert "Peer-" not in text  # not even by pseudonym
    assert director.select("td.step, .readiness, [data-person]") == []


def test_director_counts_below_k_read_less_than_k(roadmap, director):
    rows = director.select("#careers-table tbody tr")
    year1, year2 = (cells(r) for r in rows[:2])
    assert year1[1] == SMALL  # supported stretch placements in year 1
    assert year2[2] == SMALL  # steps up in year 2
    suppressed = director.select("#careers-table td.num")
    assert all(td["data-sort"] == str(K - 0.5) for td in suppressed if td.get_text() == SMALL)
    assert f"fewer than {K} of today's staff" in director.select_one("#reached").get_text()


def test_director_tier_fte_of_fewer_than_k_people_is_not_shown(roadmap, director):
    shown = shown_for(roadmap, Audience.DIRECTOR)
    for row in director.select("#tiers-table tbody tr"):
        year, tier = int(row["data-year"]), row["data-tier"]
        filled_hidden, lost_hidden = shown.tier_hidden(year, tier)
        cell = next(t for t in roadmap.years[year - 1].tiers if t.tier == tier)
        texts = cells(row)
        assert texts[2] == (SMALL if filled_hidden else fte(cell.filled_fte))
        assert texts[4] == (SMALL if lost_hidden else fte(cell.lost_fte))
        assert texts[3] == fte(cell.to_recruit_fte)


def test_summary_is_the_roadmaps_figures(roadmap, director):
    with in_currency(CURRENCY):
        expected = roadmap_summary(shown_for(roadmap, Audience.DIRECTOR))
    said = [p.get_text() for p in director.select("#summary p")]
    assert said == expected
    first, last = roadmap.years[0], roadmap.years[-1]
    assert said[0].startswith(f"In year 1 the roadmap covers {pct(first.planned_coverage)} of "
                              f"the {fte(first.demand_fte)} FTE")
    assert f"by year {last.year}, {pct(last.planned_coverage)}" in said[0]
    positions = sum(h.positions for h in roadmap.hires if h.year_needed == 1)
    assert any(f"recruits {positions} positions" in s for s in said)
    assert any(f"{SMALL} in year 1" in s for s in said)  # stretch placements, suppressed
    assert said[-1] == "Every year's plan is proven optimal." or "gap" in said[-1]


def test_years_and_cover_tables_hold_each_years_figures(roadmap, director):
    years = director.select("#years-table tbody tr")
    cover = director.select("#cover-table tbody tr")
    assert len(years) == len(cover) == len(roadmap.years)
    for y, row, cover_row in zip(roadmap.years, years, cover, strict=True):
        texts = cells(row)
        assert texts[1:5] == [fte(y.demand_fte), fte(y.filled_fte), fte(y.to_recruit_fte),
                              fte(y.lost_fte)]
        assert texts[7] == money(y.cost, CURRENCY) and texts[8] == money(y.budget, CURRENCY)
        assert cells(cover_row)[1:5] == [pct(y.planned_coverage), *map(pct, y.cover_range)]


def test_each_years_files_are_linked(roadmap, director):
    links = [a["href"] for a in director.select("#year-files a")]
    assert links == [f"year-{y.year}/{name}" for y in roadmap.years
                     for name in ("report.html", "plan.xlsx", "plan.json")]


def test_recruitment_schedule_says_when_which_profile_and_why(roadmap, director):
    rows = director.select("#hires-table tbody tr")
    view = shown_for(roadmap, Audience.DIRECTOR).roadmap
    assert len(rows) == len(view.hires) > 0
    starts = [cells(r)[0] for r in rows]
    months = sorted(h.start_month for h in view.hires)
    assert starts == [recruit_start_words(m) for m in months]  # soonest first
    reasons = {h.reason for h in view.hires}
    for row in rows:
        hire = next(h for h in view.hires if (h.role_id, h.service_id, h.year_needed)
                    == (row["data-role"], row["data-service"], int(row["data-year"])))
        profile = row.select_one("ul.reasons").get_text(" ")
        assert f"at level {hire.profile['min_readiness']} or more" in profile
        assert all(topic in profile for topic in hire.profile["topics"])
        assert cells(row)[-1] in reasons
    total = cells(director.select_one("#hires-table tfoot tr"))
    assert total[1] == str(sum(h.positions for h in view.hires))


def test_charts_are_inline_svg_with_a_text_twin(director):
    for key in ("chart-roadmap-tiers", "chart-roadmap-cover"):
        figure = director.select_one(f"figure#{key}")
        assert figure.select_one("svg[role=img]") is not None
        assert figure.select_one(f"#{key}-text").get_text().strip()
    assert SMALL in director.select_one("#chart-roadmap-tiers-text").get_text()


def test_page_is_self_contained(director):
    assert director.select('link[rel=stylesheet], script[src], img[src^="http"]') == []
    outside = [a["href"] for a in director.select("a[href]")
               if a["href"].startswith(("http:", "https:", "//"))]
    assert outside == []
    assert director.select_one("style") is not None


def test_hr_page_shows_each_pathway_year_by_year(roadmap, hr):
    rows = hr.select("#pathways-table tbody tr")
    assert {r["data-person"] for r in rows} == {s.psw_id for s in roadmap.pathways}
    header = cells(hr.select_one("#pathways-table thead tr"))
    assert header[2:] == [f"Year {y.year}" for y in roadmap.years]
    stretched = next(s for s in roadmap.pathways if s.stretch)
    row = hr.select_one(f'#pathways-table tr[data-person="{stretched.psw_id}"]')
    assert "supported stretch" in row.select(".step")[stretched.year - 1].get_text()
    hire = next(s for s in roadmap.pathways if s.psw_id.startswith("H"))
    row = hr.select_one(f'#pathways-table tr[data-person="{hire.psw_id}"]')
    assert "new hire" in row.select("td.step")[hire.year - 1].get_text()


def test_hr_page_gives_the_reason_for_every_step(roadmap, hr):
    rows = hr.select("#steps-table tbody tr")
    assert len(rows) == len(roadmap.pathways)
    for step, row in zip(roadmap.pathways, rows, strict=True):
        assert (row["data-person"], int(row["data-year"])) == (step.psw_id, step.year)
        assert cells(row)[-1] == step.reason


def test_hr_page_shows_the_counts_themselves(roadmap, hr):
    year1 = cells(hr.select_one("#careers-table tbody tr"))
    assert year1[1] == str(roadmap.years[0].stretch_placements)
    assert str(roadmap.reached_higher_tier) in hr.select_one("#reached").get_text()


# -- roadmap.xlsx ------------------------------------------------------------------------


def table_rows(ws) -> list[dict]:
    """The sheet's table (header in row 3) as dicts."""
    values = list(ws.iter_rows(min_row=3, values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:] if any(row)]


@pytest.fixture(scope="module")
def books(folders):
    return {a: load_workbook(folders[a] / "roadmap.xlsx") for a in folders}


def test_workbook_sheets_per_audience(books):
    assert books["director"].sheetnames == ["Contents", "Years", "Tiers", "Recruitment"]
    assert books["hr"].sheetnames == ["Contents", "Years", "Tiers", "Recruitment", "Pathways"]
    contents = books["director"]["Contents"]
    links = {c.value: c.hyperlink.location for row in contents.iter_rows() for c in row
             if c.hyperlink is not None}
    assert links == {name: f"'{name}'!A1" for name in ("Years", "Tiers", "Recruitment")}


def test_every_sheet_is_a_filterable_table_printed_on_a4(books):
    for book in books.values():
        for ws in book.worksheets:
            (table,) = ws.tables.values()
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            if ws.title != "Contents":
                assert table.autoFilter.ref.startswith("A3:") and ws.print_title_rows == "$3:$3"


def test_years_sheet_holds_the_roadmaps_numbers(roadmap, books):
    for book in books.values():
        rows = table_rows(book["Years"])
        assert [r["Year"] for r in rows] == [y.year for y in roadmap.years]
        for y, row in zip(roadmap.years, rows, strict=True):
            assert (row["Demand FTE"], row["Filled FTE"], row["FTE lost to leaving"]) == (
                y.demand_fte, y.filled_fte, y.lost_fte)
            assert row["Cost"] == y.cost and row["Budget"] == y.budget
            assert (row["As people leave, 5th percentile"], row["As people leave, median"],
                    row["As people leave, 95th percentile"]) == y.cover_range
        cost = next(c for c in book["Years"][4] if c.column_letter == "O")
        assert cost.number_format == f'"{CURRENCY} "#,##0'


def test_director_workbook_leaves_counts_below_k_blank_and_says_so(roadmap, books):
    director = table_rows(books["director"]["Years"])
    hr = table_rows(books["hr"]["Years"])
    assert hr[0]["Supported stretch placements"] == roadmap.years[0].stretch_placements
    assert director[0]["Supported stretch placements"] is None
    assert director[1]["Steps up"] is None
    assert director[0][f"Fewer than {K} people"] == "yes"
    assert all(r["People placed"] == y.placed for r, y in zip(director, roadmap.years,
                                                               strict=True))
    shown = shown_for(roadmap, Audience.DIRECTOR)
    for row in table_rows(books["director"]["Tiers"]):
        filled_hidden, lost_hidden = shown.tier_hidden(row["Year"], row["Tier"])
        assert (row["Filled FTE"] is None) == filled_hidden
        assert (row["FTE lost to leaving"] is None) == (lost_hidden)
        assert row[f"Fewer than {K} people"] == ("yes" if filled_hidden or lost_hidden
                                                  else "no")
    assert f"Fewer than {K} people" not in table_rows(books["hr"]["Tiers"])[0]


def test_recruitment_sheet_has_the_profile_columns(roadmap, books):
    rows = table_rows(books["director"]["Recruitment"])
    assert len(rows) == len(roadmap.hires)
    for row in rows:
        hire = next(h for h in roadmap.hires if (h.role_id, h.service_id, h.year_needed)
                    == (row["Role"], row["Service"], row["Needed in year"]))
        assert row["Start recruiting"] == recruit_start_words(hire.start_month)
        assert row["Min readiness"] == hire.profile["min_readiness"]
        assert row["Topics"] == ", ".join(hire.profile["topics"])
        assert row["Setting"] == (hire.profile["setting"] or None)
        assert (row["Positions"], row["FTE"], row["Cost"]) == (hire.positions, hire.fte,
                                                               hire.cost)


def test_pathways_sheet_is_hr_only_and_complete(roadmap, books):
    rows = table_rows(books["hr"]["Pathways"])
    assert [(r["Person"], r["Year"], r["Why"]) for r in rows] == [
        (s.psw_id, s.year, s.reason) for s in roadmap.pathways]
    words = " ".join(str(c.value) for ws in books["director"] for row in ws.iter_rows()
                     for c in row if c.value is not None)
    assert [who for who in people_of(roadmap) if who in words] == []


# -- roadmap.json ------------------------------------------------------------------------


def test_json_for_directors_holds_no_pathway_and_no_small_count(roadmap, folders):
    director = json.loads((folders["director"] / "roadmap.json").read_text())
    hr = json.loads((folders["hr"] / "roadmap.json").read_text())
    assert director["pathways"] == [] and len(hr["pathways"]) == len(roadmap.pathways)
    assert director["reached_higher_tier"] == SMALL
    assert hr["reached_higher_tier"] == roadmap.reached_higher_tier
    assert director["years"][0]["stretch_placements"] == SMALL
    tiers = [t for y in director["years"] for t in y["tiers"]]
    assert SMALL in [t["filled_fte"] for t in tiers]
    assert [y["cost"] for y in director["years"]] == [y.cost for y in roadmap.years]
    assert len(director["input_sha256"]) < len(hr["input_sha256"]) or not hr["input_sha256"]
