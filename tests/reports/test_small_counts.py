"""Small counts stay suppressed for directors: no figure beside a suppressed count gives it
back, no histogram bar counts fewer than k, and the workbook's numbers stay numbers.

The private organisation has seven people and k = 5: three placed at S-NORTH, two at
S-SOUTH (with one position to recruit there), two not placed.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from openpyxl.workbook.workbook import Workbook

from planner.core.audience import Audience, view_for
from planner.reports.charts import role_mix_by_track, score_bands, score_distribution
from planner.reports.excel import write_excel_report
from planner.reports.html import render_html
from tests.helpers.report_plans import private_plan, regional_plan

K = 5
FLAG = f"Fewer than {K} people"


@pytest.fixture(scope="module")
def director() -> BeautifulSoup:
    return BeautifulSoup(render_html(private_plan(), Audience.DIRECTOR), "html.parser")


@pytest.fixture(scope="module")
def director_book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("small") / "plan.xlsx"
    return openpyxl.load_workbook(write_excel_report(private_plan(), path, Audience.DIRECTOR))


def rows_of(ws) -> list[dict[str, object]]:
    (table,) = ws.tables.values()
    cells = list(ws[table.ref])
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, (c.value for c in row), strict=True)) for row in cells[1:]]


# --- HTML: FTE beside a suppressed count ---------------------------------------------------


def test_the_fte_of_a_suppressed_group_is_suppressed_with_it(director):
    rows = director.select("#role-mix-table tbody tr")
    assert len(rows) == 2  # GEN at S-NORTH (3 people, 3 FTE) and at S-SOUTH (2, 2 FTE)
    for row in rows:
        cells = row.select("td")
        filled, filled_fte = cells[3], cells[5]
        assert filled.get_text() == filled_fte.get_text() == "<5"
        assert float(filled_fte["data-sort"]) == K - 0.5  # the raw FTE is not on the page
    south = next(r for r in rows if "S-SOUTH" in r.get_text())
    # positions to recruit are not people: they stay as they are
    assert [td.get_text() for td in south.select("td")[4::2]] == ["1", "1"]


def test_a_group_of_k_or_more_shows_its_fte(director):
    row = director.select_one('#role-totals tr[data-role="GEN"]')
    cells = row.select("td")
    assert (cells[5].get_text(), cells[7].get_text()) == ("5", "5")


def test_services_show_no_head_count_beside_their_fte(director):
    present = [t for t in ("#services-table", "#attention-table") if director.select_one(t)]
    assert "#services-table" in present
    for table in present:
        headers = [th.get_text(strip=True) for th in director.select(f"{table} thead th")]
        assert headers and "PSWs" not in headers, table
    note = director.select_one("#services-table caption").get_text()
    assert "No head count per service" in note


def test_hr_sees_every_figure():
    soup = BeautifulSoup(render_html(private_plan(), Audience.HR), "html.parser")
    cells = [td.get_text() for td in soup.select("#role-mix-table tbody td.num")]
    assert "<5" not in cells
    assert "PSWs" in [th.get_text(strip=True) for th in soup.select("#services-table th")]


# --- charts --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [
    [95, 100, 100, 95, 100], [68.75, 75, 75, 68.75, 75], [5, 15, 15, 35, 36, 37, 38, 45, 55,
                                                          56, 57, 58, 59, 99],
    [0, 0, 100, 100, 100, 100, 100, 50], list(range(0, 100, 3))])
def test_score_bands_never_hold_fewer_than_k(values):
    edges = score_bands(values, K)
    assert edges is not None and edges[0] == 0 and edges[-1] == 100
    assert edges == sorted(set(edges))
    counts = [sum(1 for v in values if low <= v < high or v == high == 100)
              for low, high in itertools.pairwise(edges)]
    assert sum(counts) == len(values)  # merged, never dropped
    assert all(n == 0 or n >= K for n in counts)
    assert score_bands(values, 1) == list(range(0, 101, 10))  # HR: bands of 10


def test_fewer_than_k_scores_in_all_make_no_histogram():
    assert score_bands([50, 60, 70], K) is None
    few = view_for(private_plan(), Audience.DIRECTOR)
    few = replace(few, assignments=few.assignments[:3])
    assert score_distribution(few) is None


def test_the_director_histogram_says_it_merges_bands():
    chart = score_distribution(view_for(private_plan(), Audience.DIRECTOR))
    assert chart is not None
    assert f"Bands with fewer than {K} placements are merged" in chart.caption
    hr = score_distribution(private_plan())
    assert "merged" not in hr.caption


def test_a_career_track_of_fewer_than_k_people_shows_no_fte():
    view = view_for(regional_plan(), Audience.DIRECTOR)
    chart = role_mix_by_track(view)
    assert "by fewer than 5 people" in chart.description
    assert "their FTE is not drawn" in chart.caption
    assert "by fewer than" not in role_mix_by_track(regional_plan()).description


# --- the director workbook: numbers stay numbers ------------------------------------------


def test_no_text_stands_in_a_column_of_numbers(director_book):
    for ws in director_book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert "<5" not in row, ws.title


def test_suppressed_cells_are_blank_and_flagged(director_book):
    rows = rows_of(director_book["Role mix"])
    cells = rows[:-1]  # the totals row counts five people: shown
    assert cells and all(r[FLAG] == "yes" for r in cells)
    for row in cells:
        assert row["Filled positions"] is None and row["Filled FTE"] is None
        assert row["Total FTE"] is None  # filled + to recruit would give the filled back
    south = next(r for r in cells if r["Service"] == "S-SOUTH")
    assert (south["Vacant positions"], south["Vacant FTE"]) == (1, 1.0)
    assert rows[-1]["Filled positions"] == 5 and rows[-1][FLAG] == "no"
    summary = {r["Indicator"]: r for r in rows_of(director_book["Summary"])}
    assert summary["People unassigned"]["Value"] is None
    assert summary["People unassigned"][FLAG] == "yes"
    assert summary["People placed"]["Value"] == 5 and summary["People placed"][FLAG] == "no"
    unassigned = rows_of(director_book["Unassigned"])
    assert [(r["People"], r[FLAG]) for r in unassigned] == [(None, "yes")]
    assert "Blank: fewer than 5 people" in director_book["Role mix"]["A2"].value


def test_the_hr_workbook_has_no_flag_column(tmp_path: Path):
    book = openpyxl.load_workbook(write_excel_report(private_plan(), tmp_path / "hr.xlsx"))
    for ws in book.worksheets:
        assert FLAG not in [c.value for row in ws.iter_rows(max_row=4) for c in row]
    assert rows_of(book["Role mix"])[0]["Filled positions"] == 3
