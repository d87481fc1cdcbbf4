"""WISN in the plan: each step to a service's required FTE, its WISN ratio and workforce
problem, kept in plan.json and shown on the Services sheet of plan.xlsx (read back with
openpyxl), for HR and directors alike (services are not people)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from planner.core.audience import Audience
from planner.core.results import Plan, from_json, read_plan_json, to_json, write_plan_json
from planner.reports.excel import write_excel_report
from planner.solve.planning import plan
from planner.workbook.read import read_org
from tests.helpers.workbooks import with_allowance_columns, write_xlsx

WISN_HEADERS = ["Workload (contacts)", "Standard workload", "Workload FTE",
                "Category allowance factor", "Individual allowance factor", "Required FTE",
                "WISN ratio", "Workforce problem"]


@pytest.fixture(scope="module")
def wisn_plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """The base organisation, S2 sized by workload with both allowances (by hand, in
    tests/workbook/test_wisn.py: 4,220 contacts / 2,110 per FTE = 2.00 FTE;
    x 1 / (1 - 0.10) + 158.25 / 1,582.5 = 2.00 x 1.111 + 0.10 -> 2.32 FTE), S1 given 1.5 FTE
    outright; through plan.json, as the reports get it."""
    folder = tmp_path_factory.mktemp("wisn")
    org = read_org(write_xlsx(folder / "org.xlsx", with_allowance_columns(10, 158.25)))
    return read_plan_json(write_plan_json(plan(org, time_limit=20), folder / "plan.json"))


def services_rows(path: Path) -> dict[str, dict[str, object]]:
    """The Services sheet's table by service id, each row a dict by header."""
    ws = openpyxl.load_workbook(path)["Services"]
    (table,) = ws.tables.values()
    header, *rows = [[c.value for c in row] for row in ws[table.ref]]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_plan_json_keeps_each_step(wisn_plan: Plan) -> None:
    s1, s2 = wisn_plan.services
    assert s1.wisn is None and s1.wisn_ratio is None and s1.workforce_problem is None
    steps = s2.wisn
    assert steps is not None
    assert (steps.annual_contacts, steps.available_hours) == (4220, 1582.5)
    assert steps.standard_workload == pytest.approx(2110)
    assert steps.workload_fte == pytest.approx(2.0)
    assert steps.category_allowance_factor == pytest.approx(1 / 0.9)
    assert steps.individual_allowance_factor == pytest.approx(0.1)
    assert steps.required_fte == s2.demand_fte == 2.32
    assert s2.filled_fte > 0  # P3 is locked in S2, so the ratio is not trivially 0
    assert s2.wisn_ratio == round(s2.filled_fte / 2.32, 2)
    assert s2.workforce_problem == round(2.32 - s2.filled_fte, 2)


def test_a_plan_json_without_the_steps_still_loads(wisn_plan: Plan) -> None:
    raw = json.loads(to_json(wisn_plan))
    for service in raw["services"]:  # as written before WISN's allowances
        del service["wisn"], service["workforce_problem"]
    older = from_json(json.dumps(raw))
    assert [s.wisn for s in older.services] == [None, None]
    assert [s.wisn_ratio for s in older.services] == [s.wisn_ratio for s in wisn_plan.services]


@pytest.mark.parametrize("audience", list(Audience))
def test_the_services_sheet_shows_each_step(wisn_plan: Plan, tmp_path: Path,
                                            audience: Audience) -> None:
    rows = services_rows(write_excel_report(wisn_plan, tmp_path / "plan.xlsx", audience))
    s2 = rows["S2"]
    assert list(s2)[-len(WISN_HEADERS):] == WISN_HEADERS
    assert s2["Workload (contacts)"] == 4220
    assert s2["Standard workload"] == pytest.approx(2110)
    assert s2["Workload FTE"] == pytest.approx(2.0)
    assert s2["Category allowance factor"] == pytest.approx(1.111, abs=0.001)
    assert s2["Individual allowance factor"] == pytest.approx(0.10)
    assert s2["Required FTE"] == s2["Demand FTE"] == 2.32
    assert s2["WISN ratio"] == round(s2["Filled FTE"] / 2.32, 2)
    assert s2["Workforce problem"] == round(2.32 - s2["Filled FTE"], 2)
    # S1's demand was given outright: there are no steps to show
    assert [rows["S1"][header] for header in WISN_HEADERS] == [None] * len(WISN_HEADERS)
    assert ("Peers" in s2) is (audience is Audience.HR)  # the director's privacy as before


def test_an_older_plan_shows_its_wisn_ratio_only(wisn_plan: Plan, tmp_path: Path) -> None:
    raw = json.loads(to_json(wisn_plan))
    for service in raw["services"]:
        del service["wisn"], service["workforce_problem"]
    rows = services_rows(write_excel_report(from_json(json.dumps(raw)), tmp_path / "p.xlsx"))
    s2 = rows["S2"]
    assert s2["WISN ratio"] == wisn_plan.services[1].wisn_ratio
    assert [s2[header] for header in WISN_HEADERS if header != "WISN ratio"] == [None] * 7
