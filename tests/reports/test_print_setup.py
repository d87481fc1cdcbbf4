"""Every workbook the planner writes prints (A4, one page wide, the header row on every
page, the sheet's title in the page header), and every analysis page explains its terms.

The analysis outputs are made once, for a small organisation, through the library's
commands (`planner.api`), as the CLI makes them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from openpyxl.workbook.workbook import Workbook

from planner import api
from planner.core.audience import Audience
from planner.reports.excel import write_excel_report
from planner.reports.excel_table import PORTRAIT_WIDTH, content_width, header_row
from planner.workbook.template import write_workbook
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.report_plans import private_plan, regional_plan

WHAM = "Whole-health coach (WHAM)"  # a title that already names its id


def small_org(people: int):
    roles = [replace(role("WHAM", topics=("wellness",)), title=WHAM),
             role("NAV", saliency=2)]
    return tiny_org(psws=[psw(f"P{n}", preferred_roles=("WHAM",)) for n in range(people)],
                    roles=roles, services=[service("S1", demand_fte=3.0),
                                           service("S2", demand_fte=2.0)],
                    allow_vacancies=True, budget=200_000.0, currency="GBP")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """comparison, insights, frontier and menus of a small organisation, in one folder."""
    folder = tmp_path_factory.mktemp("analyses")
    org = write_workbook(folder / "org.xlsx", small_org(4))
    more = write_workbook(folder / "more.xlsx", small_org(6))
    api.compare([org, more], folder / "compare", jobs=1, time_limit=5)
    api.compare([org, more], folder / "compare-director", jobs=1, time_limit=5,
                audience=Audience.DIRECTOR)
    api.insights(org, folder / "insights", time_limit=2, jobs=1)
    api.frontier(org, folder / "frontier", levels=1, time_limit=2, jobs=1)
    api.menus(org, folder / "menus", time_budget=10, jobs=1)
    return folder


@pytest.fixture(scope="module")
def plan_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    return {f"{name}-{audience}": write_excel_report(plan, folder / f"{name}-{audience}.xlsx",
                                                     audience)
            for name, plan in (("regional", regional_plan()), ("private", private_plan()))
            for audience in Audience}


WORKBOOKS = ("compare/comparison.xlsx", "compare-director/comparison.xlsx",
             "insights/insights.xlsx", "menus/menus.xlsx")


def assert_prints(book: Workbook) -> None:
    for ws in book.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title  # 1 wide, any tall
        wide = content_width(ws) > PORTRAIT_WIDTH
        assert setup.orientation == ("landscape" if wide else "portrait"), ws.title
        row = header_row(ws)
        assert row is not None and ws.print_title_rows == f"${row}:${row}", ws.title
        assert ws.cell(row=row, column=1).font.bold  # the table's header row repeats
        assert ws.oddHeader.center.text == str(ws["A1"].value).replace("&", "&&"), ws.title
        assert "&P" in ws.oddFooter.center.text


def test_every_sheet_of_the_excel_plan_prints(plan_books):
    for path in plan_books.values():
        assert_prints(openpyxl.load_workbook(path))


def test_wide_sheets_turn_and_narrow_ones_do_not(plan_books):
    book = openpyxl.load_workbook(plan_books["regional-hr"])
    assert book["Placements"].page_setup.orientation == "landscape"  # 25 columns
    assert book["Placements"].print_title_rows == "$3:$3"
    director = openpyxl.load_workbook(plan_books["regional-director"])
    assert director["Unassigned"].page_setup.orientation == "portrait"  # reason, count


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_sheet_of_every_analysis_workbook_prints(outputs, name):
    assert_prints(openpyxl.load_workbook(outputs / name))


def test_the_frontier_points_write_printable_plans(outputs):
    books = sorted((outputs / "frontier").glob("point-*/plan.xlsx"))
    assert books
    for path in books:
        assert_prints(openpyxl.load_workbook(path))


# --- the analysis pages explain their words ---------------------------------------------


@pytest.mark.parametrize("page", ["compare/comparison.html", "compare-director/comparison.html",
                                  "insights/insights.html", "frontier/frontier.html"])
def test_every_analysis_page_ends_with_the_glossary(outputs, page):
    soup = BeautifulSoup((outputs / page).read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('nav.toc a[href="#glossary"]')
    glossary = soup.select_one("section#glossary")
    for key in ("objective", "fte-points", "points", "gap", "fit", "autonomy"):
        assert glossary.select_one(f"#term-{key}"), key
    for link in soup.select('a[href^="#term-"]'):
        assert soup.find(id=link["href"][1:]), link["href"]


def test_the_frontier_explains_fte_points_where_it_uses_them(outputs):
    soup = BeautifulSoup((outputs / "frontier/frontier.html").read_text(), "html.parser")
    note = soup.select_one("#points-table caption .note").get_text()
    assert "a full-time placement with a fit of 70 adds 70" in note
    assert soup.select_one('#method a[href="#term-fte-points"]')


# --- the comparison: names said once, money in the currency -------------------------------


def test_the_comparison_names_a_role_once(outputs):
    html = (outputs / "compare/comparison.html").read_text(encoding="utf-8")
    assert WHAM in html and "(WHAM) (WHAM)" not in html
    book = openpyxl.load_workbook(outputs / "compare/comparison.xlsx")
    groups = {row[0] for row in book["Role mix"].iter_rows(min_row=4, values_only=True)}
    assert WHAM in groups and f"{WHAM} (WHAM)" not in groups


def test_the_comparison_shows_money_in_the_currency(outputs):
    soup = BeautifulSoup((outputs / "compare/comparison.html").read_text(), "html.parser")
    cost = soup.select_one('#kpi-table tr[data-key="cost"] td .v').get_text()
    assert cost.startswith("GBP ")
    book = openpyxl.load_workbook(outputs / "compare/comparison.xlsx")
    ws = book["KPIs"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "Cost")
    assert row[2].number_format == '"GBP "#,##0'
    assert row[4].number_format == '+"GBP "#,##0;-"GBP "#,##0;0'  # the change column
