"""The Regions sheet: a budget per region, read and checked like every sheet, written by the
template, changed by scenarios, and shown against what the plan spends in plan.json,
plan.xlsx and report.html.

The base organisation is tests/helpers/workbooks.py's: S1 (North) and S2 (South).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.analyses.compare import compare_plans
from planner.cli import cli
from planner.core.audience import view_for
from planner.core.domain import Region
from planner.solve.planning import plan
from planner.workbook.read import read_org, validate
from planner.workbook.scenarios import applied_scenarios
from planner.workbook.template import write_workbook
from tests.helpers.paths import SAMPLES
from tests.helpers.scenario_rows import apply_errors, noted, scenarios
from tests.helpers.workbooks import org_sheets, write_xlsx

REGIONS = [["region", "budget"], ["North", 40_000], ["South", None]]


def with_regions(tmp_path: Path, rows: list[list[object]] = REGIONS) -> Path:
    sheets = org_sheets()
    sheets["Regions"] = rows
    return write_xlsx(tmp_path / "org.xlsx", sheets)


def errors(path: Path) -> list[str]:
    return [str(issue) for issue in validate(path).errors]


def test_a_regions_sheet_gives_each_region_its_budget(tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path))
    assert org.regions == (Region("North", 40_000), Region("South", None))
    assert org.region_budgets == {"North": 40_000}


def test_a_workbook_without_regions_has_none() -> None:
    assert read_org(SAMPLES / "community_agency.xlsx").regions == ()


@pytest.mark.parametrize(("rows", "message"), [
    ([["region", "budget"], ["Nort", 40_000]],
     "Regions!A2: no service is in region 'Nort'; did you mean 'North'? (the Services "
     "sheet's regions are North, South)"),
    ([["region", "budget"], ["North", -5]],
     "Regions!B2: budget must be a number from 0 to 10,000,000,000, got -5"),
    ([["region", "budget"], ["North", 1], ["North", 2]],
     "Regions!A3: duplicate region 'North' (first on row 2)"),
    ([["budget"], [1]], "Regions, row 1: missing required column 'region'"),
])
def test_a_wrong_regions_row_is_located(tmp_path: Path, rows: list[list[object]],
                                        message: str) -> None:
    assert errors(with_regions(tmp_path, rows))[0].startswith(message)


def test_the_template_writes_the_regions_and_reads_them_back(tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path))
    path = write_workbook(tmp_path / "again.xlsx", org)
    sheet = load_workbook(path)["Regions"]
    assert [[c.value for c in row] for row in sheet.iter_rows(max_row=3)] == [
        ["region", "budget"], ["North", 40_000], ["South", None]]
    assert read_org(path).regions == org.regions
    assert "Annual budget for PSW positions" in sheet["B1"].comment.text


# --- scenarios --------------------------------------------------------------------------


def test_a_scenario_scales_a_regions_budget_and_the_plan_keeps_it(tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path, [["region", "budget"], ["North", 70_000]]))
    changed, _ = noted(org, ("North -10%", "Regions", "North", "budget", "scale", 0.5))
    assert changed.region_budgets == {"North": 35_000}
    before, after = plan(org), plan(changed)
    assert [(r.region, r.budget) for r in after.regions] == [("North", 35_000)]
    assert after.regions[0].cost <= 35_000 < before.regions[0].cost


def test_a_scenario_adds_removes_and_filters_region_rows(tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path))
    changed, scenario = noted(
        org, ("East", "Services", "S2", None, "add_row", "S3"),
        ("East", "Services", "S3", "region", "set", "East"),
        ("East", "Regions", "North", None, "add_row", "East"),
        ("East", "Regions", "East", "budget", "set", 20_000),
        ("East", "Regions", "budget=", None, "remove", None))
    assert changed.regions == (Region("North", 40_000), Region("East", 20_000))
    assert scenario.note_words() == ("removed 1 region (South)",)
    assert apply_errors(org, ("West", "Regions", "North", None, "add_row", "West")) == [
        "Scenarios!F2: after this change, Regions 'West': no service is in region 'West' "
        "(the Services sheet's regions are North, South)"]


def test_closing_a_regions_last_service_asks_for_its_budget_row_to_go_too(
        tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path))
    assert apply_errors(org, ("Close", "Services", "region=North", None, "remove", None)) \
        == ["Scenarios!F2: after this change, Regions 'North': no service is in region "
            "'North'; did you mean 'South'? (the Services sheet's regions are South)"]
    changed, _ = noted(org, ("Close", "Services", "region=North", None, "remove", None),
                       ("Close", "Regions", "North", None, "remove", None))
    assert changed.regions == (Region("South", None),)


# --- reports ----------------------------------------------------------------------------


def test_the_plan_shows_each_regions_cost_against_its_budget(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["plan", str(with_regions(tmp_path)), "-o", str(out),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    (north,) = json.loads((out / "plan.json").read_text("utf-8"))["regions"]
    assert north["region"] == "North" and north["budget"] == 40_000
    assert 0 < north["cost"] <= 40_000
    rows = {row[0].value: row for row in load_workbook(out / "plan.xlsx")["Summary"].iter_rows()}
    assert rows["Budget used in North"][1].value == pytest.approx(north["cost"] / 40_000,
                                                                  abs=1e-4)
    soup = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    sentences = [p.get_text() for p in soup.select("#summary p")]
    assert f"Against the regions' own budgets, the plan costs North {north['cost']:,.0f} of " \
        f"40,000 ({north['cost'] / 400:.1f}%)." in sentences


def test_directors_see_the_regions_costs_too(tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path))
    assert view_for(plan(org), "director").regions == plan(org).regions


def test_the_comparison_shows_each_regions_cost_and_budget_and_where_spending_goes(
        tmp_path: Path) -> None:
    org = read_org(with_regions(tmp_path, [["region", "budget"], ["North", 70_000]]))
    orgs, listed = applied_scenarios(org, scenarios(
        ("North cut", "Regions", "North", "budget", "scale", 0.5),
        ("More overall", "Policy", "budget", "value", "scale", 1.2)))
    comparison = compare_plans({name: plan(o) for name, o in orgs.items()}, listed)
    assert comparison.measure("budget_of_region:North").values == (70_000, 35_000, 70_000)
    cost = comparison.measure("cost_in_region:North")
    assert cost.values[1] <= 35_000 < cost.values[0]
    cut, more = comparison.narrative[-2:]
    assert f"spending in North falls {-cost.deltas[1]:,.0f} a year" in cut
    assert "spending in" not in more  # no region's budget changes there
