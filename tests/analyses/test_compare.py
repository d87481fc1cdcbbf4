"""The comparison: side-by-side measures, its three files, audiences, and parallel planning.

One comparison of the base organisation of tests/helpers/workbooks.py (PSWs P1 Ana, P2 Ben,
P3 Chloé) is run per audience for the module: HR in one process, director in two.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from planner.analyses.compare import compare_plans, comparison_to_json, plan_scenarios
from planner.analyses.insights import Insight
from planner.api import ComparisonOutcome, compare
from planner.core.errors import UsageError
from planner.core.results import Plan, read_plan_json
from planner.reports.compare_excel import build_comparison_excel
from planner.reports.compare_html import render_comparison_html
from planner.solve.planning import plan
from planner.solve.values import PlanValues
from planner.workbook.scenarios import load_scenario_orgs
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.report_plans import REGIONAL
from tests.helpers.workbooks import org_sheets, write_xlsx

SCENARIO_ROWS = [
    ["Warm ward", "Services", "S1", "climate", "add", 1],
    ["Tight budget", "Policy", "budget", "value", "scale", 0.3],
    ["No travel", "PSWs", "P2", "travel", "set", "no"],
]
NAMES = ["baseline", "More budget", "Warm ward", "Tight budget", "No travel"]
PRIVATE = re.compile(r"\b(P[123]|Ana|Ben|Chloé)\b")


def org_workbook(folder: Path) -> Path:
    sheets = org_sheets()
    sheets["Scenarios"] += SCENARIO_ROWS
    return write_xlsx(folder / "org.xlsx", sheets)


@pytest.fixture(scope="module")
def hr(tmp_path_factory: pytest.TempPathFactory) -> ComparisonOutcome:
    folder = tmp_path_factory.mktemp("hr")
    return compare(org_workbook(folder), folder / "out", jobs=1)


@pytest.fixture(scope="module")
def director(tmp_path_factory: pytest.TempPathFactory) -> ComparisonOutcome:
    folder = tmp_path_factory.mktemp("director")
    return compare(org_workbook(folder), folder / "out", jobs=2, audience="director")


def written(outcome: ComparisonOutcome, name: str) -> Path:
    return next(p for p in outcome.written if p.name == name and p.parent.name == "out")


def soup_of(outcome: ComparisonOutcome) -> BeautifulSoup:
    return BeautifulSoup(written(outcome, "comparison.html").read_text("utf-8"), "html.parser")


# --- compare_plans on hand-made plans ---------------------------------------------------


def small_plans() -> dict[str, Plan]:
    org = tiny_org(psws=[psw("A"), psw("B")], roles=[role("R1", cost_per_fte=30_000.0)],
                   services=[service("S1", demand_fte=2.0)], budget=60_000.0)
    return {"baseline": plan(org),
            "Half": plan(replace(org, policy=replace(org.policy, budget=30_000.0))),
            "None fits": plan(replace(org, roles=(role("R1", saliency=5, min_experience=5),)))}


def test_measures_hold_each_plans_kpis_and_changes_against_the_first() -> None:
    plans = small_plans()
    c = compare_plans(plans)
    coverage = c.measure("coverage")
    assert coverage.values == tuple(p.kpis.coverage for p in plans.values()) == (1.0, 0.5, 0.0)
    assert coverage.deltas == (None, -0.5, -1.0)
    assert c.measure("cost").deltas[1] == -30_000
    assert c.measure("status").values == ("optimal",) * 3
    assert c.measure("moved_vs_baseline").values == (0, 1, 2)


def test_who_moves_per_person_and_as_flows() -> None:
    c = compare_plans(small_plans())
    assert [(m.scenario, m.after) for m in c.moves] == [
        ("Half", ()), ("None fits", ()), ("None fits", ())]
    assert [m.psw_id for m in c.moves][1:] == ["A", "B"]
    assert [(f.scenario, f.before, f.after, f.people) for f in c.flows] == [
        ("Half", "Role R1", "not placed", 1), ("None fits", "Role R1", "not placed", 2)]


def test_a_plan_without_solution_has_no_values_and_moves_nobody() -> None:
    plans = small_plans()
    org = tiny_org(psws=[psw("A", current_service="S1", current_role="R1", lock=True)],
                   budget=1.0)
    plans["Impossible"] = plan(org)
    c = compare_plans(plans)
    assert c.measure("coverage").values[-1] is None
    assert c.measure("role:R1:filled").values[-1] is None
    assert not [m for m in c.moves if m.scenario == "Impossible"]
    assert c.narrative[-1].startswith("Impossible has no plan: its rules cannot all hold")


def test_director_counts_below_k_read_less_than_k_and_lose_their_change() -> None:
    c = compare_plans(small_plans(), audience="director")
    moved = c.measure("moved_vs_baseline")
    assert (moved.values, moved.deltas) == ((0, "<5", "<5"), (None, None, None))
    assert c.moves == () and {f.people for f in c.flows} == {"<5"}
    assert "fewer than 5 people move" in c.narrative[2]


def test_the_narrative_names_the_trade_off() -> None:
    sentences = compare_plans(small_plans()).narrative
    assert sentences[0] == ("2 scenarios compared with the baseline, which fills 100% of "
                            "demand (100% with recruitment) at 60,000 a year.")
    assert sentences[1] == ("No scenario leaves less demand unmet than the baseline, with "
                            "recruitment.")
    # the people who lose a placement lead, and unmet FTE stands beside the coverage
    assert sentences[2] == ("Half: 1 more person is left without a placement; it lowers "
                            "coverage from 100% to 50% (unmet with recruitment 0 → 1 FTE) "
                            "and saves 30,000 a year; 1 person moves.")
    reversed_plans = dict(reversed(list(small_plans().items())))
    assert compare_plans(reversed_plans).narrative[1] == (
        "baseline leaves the least demand unmet: 0 FTE with recruitment, against 2 "
        "(coverage with recruitment 100%).")


def test_less_demand_never_reads_as_a_gain() -> None:
    # closing half the service raises coverage (a ratio) without covering anything more
    base = small_plans()["baseline"]
    org = tiny_org(psws=[psw("A"), psw("B")], roles=[role("R1", cost_per_fte=30_000.0)],
                   services=[service("S1", demand_fte=1.0)], budget=60_000.0)
    shrunk = {"baseline": small_plans()["Half"], "Smaller S1": plan(org)}
    c = compare_plans(shrunk)
    assert c.measure("coverage").deltas[1] > 0  # the ratio rises ...
    assert c.measure("unmet_fte").values == (1.0, 0.0)
    assert "unmet with recruitment 1 → 0 FTE" in c.narrative[2]  # ... the FTE stand beside
    assert base.kpis.filled_fte == 2.0


# --- the three files --------------------------------------------------------------------


def test_each_plan_is_written_in_its_own_folder(hr: ComparisonOutcome) -> None:
    assert list(hr.plans) == NAMES
    for info, p in zip(hr.comparison.scenarios, hr.plans.values(), strict=True):
        path = written(hr, "comparison.json").parent / info.slug / "plan.json"
        assert read_plan_json(path).kpis == p.kpis
    assert [s.slug for s in hr.comparison.scenarios] == [
        "baseline", "more-budget", "warm-ward", "tight-budget", "no-travel"]


def test_workbook_kpis_equal_the_plans_and_changes_are_against_the_baseline(
        hr: ComparisonOutcome) -> None:
    book = openpyxl.load_workbook(written(hr, "comparison.xlsx"))
    sheet = book["KPIs"]
    header = [cell.value for cell in sheet[3]]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    base = hr.plans["baseline"].kpis
    for name, p in hr.plans.items():
        for key, label in (("coverage", "Coverage"), ("cost", "Cost"),
                           ("mean_autonomy", "Mean autonomy"), ("vacancies",
                                                                "Positions to recruit")):
            assert rows[label][header.index(name)] == pytest.approx(getattr(p.kpis, key))
            if name != "baseline":
                change = rows[label][header.index(f"{name} change")]
                assert change == pytest.approx(getattr(p.kpis, key) - getattr(base, key))
    assert book.sheetnames == ["Contents", "Scenarios", "KPIs", "Role mix", "Recruitment",
                               "Flows", "Moves"]
    assert "PSWs P2: travel = no" in [c.value for c in book["Scenarios"]["F"]]


def test_json_holds_the_comparison(hr: ComparisonOutcome) -> None:
    data = json.loads(written(hr, "comparison.json").read_text("utf-8"))
    assert [s["name"] for s in data["scenarios"]] == NAMES
    coverage = next(m for m in data["kpis"] if m["key"] == "coverage")
    assert coverage["values"] == [p.kpis.coverage for p in hr.plans.values()]
    assert data["narrative"] == list(hr.comparison.narrative)
    assert data == json.loads(comparison_to_json(hr.comparison))


def test_html_has_a_column_per_scenario_and_the_narrative(hr: ComparisonOutcome) -> None:
    soup = soup_of(hr)
    headers = [th.get_text(strip=True).rstrip("↕") for th in soup.select("#kpi-table thead th")]
    assert headers == ["Indicator", *NAMES]
    coverage = soup.select_one('#kpi-table tr[data-key="coverage"]')
    cells = coverage.select("td[data-scenario]")
    assert [td["data-scenario"] for td in cells] == [s.slug for s in hr.comparison.scenarios]
    assert [float(td["data-sort"]) for td in cells] == [
        p.kpis.coverage for p in hr.plans.values()]
    assert [p.get_text() for p in soup.select("#summary p")] == list(hr.comparison.narrative)
    assert len(soup.select("#scenarios-table tbody tr")) == len(NAMES)
    assert soup.select_one("#chart-scenarios svg")["role"] == "img"
    assert soup.select("#moves-table tbody tr") and soup.select_one("#insights") is None


def test_hr_moves_name_people(hr: ComparisonOutcome) -> None:
    moved = {(m.scenario, m.psw_id) for m in hr.comparison.moves}
    rows = soup_of(hr).select("#moves-table tbody tr")
    assert {(r.select("td")[0].get_text(), r.select("td")[1].get_text()) for r in rows} == moved
    assert any(name == "Tight budget" for name, _ in moved)


def test_director_files_name_no_person(director: ComparisonOutcome) -> None:
    soup = soup_of(director)
    assert soup.select_one("#moves-table") is None and soup.select("#flows-table tbody tr")
    texts = [written(director, name).read_text("utf-8")
             for name in ("comparison.html", "comparison.json")]
    book = openpyxl.load_workbook(written(director, "comparison.xlsx"))
    texts += [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row]
    assert "Moves" not in book.sheetnames
    assert [PRIVATE.findall(text) for text in texts if PRIVATE.search(text)] == []


def test_two_processes_plan_what_one_does(hr: ComparisonOutcome,
                                          director: ComparisonOutcome) -> None:
    def solved(p: Plan) -> tuple:
        return p.status, p.objective, p.kpis, p.assignments, p.vacancies
    assert [solved(p) for p in director.plans.values()] == [
        solved(p) for p in hr.plans.values()]


# --- inputs -----------------------------------------------------------------------------


def test_alternative_workbooks_are_named_by_their_stems(tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "today.xlsx", org_sheets())
    second = write_xlsx(tmp_path / "bigger.xlsx", org_sheets({"Services": {(2, "demand_fte"):
                                                                           3}}))
    outcome = compare([first, second], tmp_path / "out", jobs=1)
    assert list(outcome.plans) == ["today", "bigger"]
    assert outcome.comparison.scenarios[1].changes == ("alternative workbook bigger.xlsx",)
    assert outcome.comparison.measure("coverage").deltas[1] < 0


def test_a_workbook_without_scenarios_has_nothing_to_compare(tmp_path: Path) -> None:
    sheets = org_sheets()
    del sheets["Scenarios"]
    with pytest.raises(UsageError, match="nothing to compare"):
        compare(write_xlsx(tmp_path / "org.xlsx", sheets), tmp_path / "out")




def test_insights_are_ranked_in_their_own_section() -> None:
    c = compare_plans(small_plans())
    insights = (Insight("budget", "Budget +10%", "more", 0.05, 1.0, -0.5, 12.0, 12.0),
                Insight("climate", "Warmer S1", "warmer", 0.1, 2.0, 1.0, 40.0, 40.0))
    soup = BeautifulSoup(render_comparison_html(c, insights), "html.parser")
    rows = soup.select("#insights-table tbody tr")
    assert [r["data-kind"] for r in rows] == ["climate", "budget"]
    assert rows[0].select("td")[4].get_text() == "+10.0 pts"
    assert soup.select_one('nav a[href="#insights"]')


def test_the_page_is_self_contained_reproducible_and_sortable(hr: ComparisonOutcome) -> None:
    html = written(hr, "comparison.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert not soup.find_all(["link", "img", "iframe", "object", "embed"])
    assert not re.search(r'(src|href)="\s*(https?:)?//', html)
    assert render_comparison_html(hr.comparison) == html
    for cell in soup.select("td[data-sort]"):
        float(cell["data-sort"])
    long_tables = [t for t in soup.select("table") if len(t.select("tbody tr")) > 15]
    assert all("sortable" in t["class"] for t in long_tables)


def test_the_terminal_summary_names_no_one(hr: ComparisonOutcome) -> None:
    assert hr.comparison.scenarios[-1].changes == ("PSWs P2: travel = no",)
    assert hr.summary[0] == hr.comparison.narrative[0]
    assert [line for line in hr.summary if PRIVATE.search(line)] == []
    assert "No travel (PSWs, one person: travel changed)" in hr.summary[-1]


def test_a_scenario_of_the_baselines_value_moves_nobody() -> None:
    # The regional sample has no lone peer: forbidding them changes nothing of value, so
    # the scenario's plan is the baseline's (without the tie-break, 3 people moved).
    orgs, _ = load_scenario_orgs(REGIONAL)
    plans = plan_scenarios({name: orgs[name] for name in ("baseline", "No lone peers")},
                           jobs=1)
    base, same = plans.values()
    assert same.objective == pytest.approx(base.objective)
    assert same.kpis.lone_peers == base.kpis.lone_peers == 0
    assert PlanValues.of_plan(same) == PlanValues.of_plan(base)
    assert same.bound is not None and same.bound >= same.objective  # a bound of the usual sum


def test_a_warmer_climate_scenario_counts_its_staff_education_when_the_policy_gives_it() -> None:
    org = tiny_org(psws=[psw("A"), psw("B")], services=[service("S1", climate=2)])
    warm = replace(org, services=(replace(org.services[0], climate=4),))
    unknown = compare_plans({"baseline": plan(org), "Warm": plan(warm)})
    assert unknown.measure("education_cost").values == (0.0, None)
    assert "set Policy climate_step_cost to count it" in unknown.narrative[-1]
    priced = replace(warm, policy=replace(warm.policy, climate_step_cost=5_000.0))
    known = compare_plans({"baseline": plan(org), "Warm": plan(priced)})
    assert known.measure("education_cost").values == (0.0, 10_000.0)  # two steps
    assert "staff education costing 10,000 a year" in known.narrative[-1]


def test_a_directors_comparison_workbook_keeps_count_columns_numeric() -> None:
    c = compare_plans(small_plans(), audience="director")
    sheet = build_comparison_excel(c)["KPIs"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r[1] == "Measure")
    moved = next(r for r in rows if r[1] == "Placed differently")
    values = [moved[header.index(name)] for name in ("baseline", "Half", "None fits")]
    assert values == [0, None, None]  # "<5" is not text in a numeric column
    assert moved[header.index("Fewer than 5 people in")] == "Half, None fits"
