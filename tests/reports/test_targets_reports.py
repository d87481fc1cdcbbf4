"""The role mix by disclosure target in plan.xlsx and the HTML report, for both audiences."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from planner.core.audience import Audience
from planner.core.results import Plan
from planner.reports.excel import write_excel_report
from planner.reports.html import render_html
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org


@pytest.fixture(scope="module")
def targets_plan() -> Plan:
    """Six people on frontline roles, two ready with staff for the peer trainer role, one
    lived-experience lead position to recruit (nobody is ready with leaders at 5)."""
    frontline = [psw(f"F{i}", readiness=3, readiness_staff=1) for i in range(6)]
    trainers = [psw(f"T{i}", readiness=3, readiness_staff=4) for i in range(2)]
    roles = [role("NAV", saliency=3), role("TRAINER", saliency=4, targets=("staff",)),
             role("LEAD", saliency=5, targets=("leadership",), fte=0.5)]
    services = [service("S1", demand_fte=6.0), service("S2", demand_fte=2.5)]
    org = tiny_org(psws=frontline + trainers, roles=roles, services=services,
                   allow_vacancies=True)
    return plan(org)


def rows(html: str, table: str) -> dict[str, list[str]]:
    page = BeautifulSoup(html, "html.parser")
    return {tr["data-target"]: [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
            for tr in page.select(f"#{table} tbody tr")}


def test_the_plan_fills_the_trainer_role_and_recruits_the_lead(targets_plan: Plan) -> None:
    placed = {a.psw_id: a.role_id for a in targets_plan.assignments}
    assert {p for p, r in placed.items() if r == "TRAINER"} == {"T0", "T1"}
    assert [v.role_id for v in targets_plan.vacancies] == ["LEAD"]


def test_html_counts_positions_by_target_for_hr(targets_plan: Plan) -> None:
    found = rows(render_html(targets_plan, Audience.HR), "target-totals")
    assert found["service_users"][0] == "service users" and found["service_users"][2] == "6"
    assert found["staff"][1:4] == ["Role TRAINER", "2", "0"]
    assert found["leadership"][1:4] == ["Role LEAD", "0", "1"]


def test_html_suppresses_small_counts_of_people_for_directors(targets_plan: Plan) -> None:
    found = rows(render_html(targets_plan, Audience.DIRECTOR), "target-totals")
    assert found["service_users"][2] == "6"
    assert found["staff"][2:5] == ["<5", "0", "<5"]  # two people, and the FTE they fill
    assert found["leadership"][3] == "1"  # a position to recruit is nobody's


@pytest.mark.parametrize("audience", list(Audience))
def test_the_targets_sheet_reads_back(targets_plan: Plan, tmp_path: Path,
                                      audience: Audience) -> None:
    path = write_excel_report(targets_plan, tmp_path / "plan.xlsx", audience)
    sheet = load_workbook(path)["Targets"]
    values = [row for row in sheet.iter_rows(values_only=True) if row[0] in
              ("service users", "staff", "leaders")]
    by_target = {row[0]: row[1:6] for row in values}
    assert by_target["leaders"] == ("LEAD", 0, 1, 0, 0.5)
    staff = (2, 0, 2.0, 0) if audience is Audience.HR else (None, 0, None, 0)
    assert by_target["staff"] == ("TRAINER", *staff)
