"""Insights: a warmer climate, one more position and the budget, each re-planned."""

from __future__ import annotations

import json
from dataclasses import fields, replace

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from planner.analyses.insights import (
    BUDGET_SHARES,
    SEARCHED,
    SEARCHED_TEXT,
    AtLeastPositions,
    Insight,
    _insights,
    _position_variants,
    _searched_baseline,
    analyse,
    climate_limits,
    positions_held,
)
from planner.analyses.workers import Variant, plan_variant
from planner.api import insights as write_insights
from planner.core.errors import UsageError
from planner.core.results import Status
from planner.solve import strategy
from planner.solve.model import build_model
from planner.solve.planning import plan
from planner.solve.solver import keeps_every_rule
from planner.workbook.generate import generate_org
from tests.helpers.large import between_edited_thresholds
from tests.helpers.orgs import psw, role, service, tiny_org

NAMES = ("Zebediah Quux", "Ottoline Vexworth", "Barnaby Kestrelmoor", "Ysolde Fernhalt")
IDS = tuple(f"PX-{7781 + i}" for i in range(len(NAMES)))


def named(person, name):
    return replace(person, name=name)


def ward_org():
    """A ward whose climate (2) blocks its peer-expert role (min climate 3): the two
    people ready for it have only one community position between them today."""
    people = [named(psw(pid, readiness=4, topics=("wellness", "justice"),
                        preferred_roles=("EXPERT",)), name)
              for pid, name in zip(IDS[:2], NAMES[:2], strict=True)]
    return replace(tiny_org(
        psws=people,
        roles=[role("EXPERT", saliency=4, min_climate=3, settings=("inpatient",)),
               role("GEN", saliency=3, settings=("community",))],
        services=[service("WARD", demand_fte=2.0, setting="inpatient", climate=2),
                  service("COMM", demand_fte=1.0, setting="community", climate=4)],
    ), source="ward.xlsx", input_sha256="d" * 64)


def budget_org():
    """Five people, a budget for three positions and a third: money limits coverage."""
    people = [named(psw(pid), name) for pid, name in zip(IDS, NAMES, strict=True)]
    people.append(named(psw("PX-9999"), "Casimir Dunwoody"))
    return tiny_org(psws=people, services=[service("S1", demand_fte=5.0)], budget=100_000.0)


@pytest.fixture(scope="module")
def ward_report():
    return analyse(ward_org(), jobs=1)


@pytest.fixture(scope="module")
def budget_report():
    return analyse(budget_org(), jobs=2)  # the worker processes, once


def test_insight_has_exactly_the_fields_the_comparison_renders():
    assert [f.name for f in fields(Insight)] == [
        "kind", "title", "detail", "coverage_change", "fit_change", "autonomy_change",
        "objective_change", "gain", "coverage_fte_change", "placed_change",
        "high_saliency_change", "cost_change"]


def test_a_blocked_ward_is_found_and_its_warmer_climate_pays(ward_report):
    assert list(climate_limits(ward_org())) == ["WARD"]
    (climate,) = [i for i in ward_report.insights if i.kind == "climate"]
    assert "from 2 to 3" in climate.title
    assert "keeps out Role EXPERT (needs 3)" in climate.detail
    # what the re-plan shows, in plain units: one more FTE covered, two high-saliency
    # positions opened, a person placed
    assert (climate.coverage_fte_change, climate.high_saliency_change,
            climate.placed_change) == (1.0, 2, 1)
    assert "high-saliency positions 0 → 2" in climate.detail
    assert climate.gain == climate.coverage_fte_change  # ranked by coverage by default
    assert climate.coverage_change > 0 and climate.fit_change > 0


def test_a_warmer_climate_that_changes_nothing_claims_nothing():
    # the ward's people are not ready for the expert role: a warmer ward opens it, but no
    # re-plan can use it, and the insight says so
    org = ward_org()
    org = replace(org, psws=tuple(replace(p, readiness=2) for p in org.psws))
    (climate,) = [i for i in analyse(org, jobs=1).insights if i.kind == "climate"]
    assert climate.coverage_fte_change == 0 and climate.high_saliency_change == 0
    assert "the plan does not use these roles there any more than today" in climate.detail
    assert "would open" not in climate.detail and climate.gain == 0


def test_the_ranking_measure_is_the_users_and_objective_points_only_break_ties(budget_report):
    by_objective = analyse(budget_org(), jobs=1, rank_by="objective")
    assert [i.gain for i in by_objective.insights] == [
        i.objective_change for i in by_objective.insights]
    assert budget_report.ranked_by == "coverage"
    assert [i.gain for i in budget_report.insights] == [
        i.coverage_fte_change for i in budget_report.insights]
    with pytest.raises(UsageError, match="rank_by"):
        analyse(budget_org(), jobs=1, rank_by="points")


def test_insights_are_ranked_by_gain(ward_report, budget_report):
    for report in (ward_report, budget_report):
        gains = [i.gain for i in report.insights]
        assert gains == sorted(gains, reverse=True)


def test_budget_shares_move_coverage_monotonically(budget_report):
    curve = budget_report.budget_curve
    assert [level.share for level in curve] == [0.8, 0.9, 1.0, 1.1, 1.2]
    coverage = [level.coverage for level in curve]
    assert coverage == sorted(coverage) and coverage[0] < coverage[2]
    budgets = [i for i in budget_report.insights if i.kind == "budget"]
    # 110 % buys no further position (30,000 each): merged with today's plan, and said
    merged = [n for n in budget_report.notes if "buys nothing" in n]
    assert merged == ["Budget at 110% (110,000) gives today's plan: the extra money buys "
                      "nothing the plan can use."]
    assert len(budgets) + len(merged) == len(BUDGET_SHARES)
    gains = {i.title.split(" (")[0]: i.gain for i in budgets}
    assert gains["Budget at 80%"] < 0 < gains["Budget at 120%"]


def test_one_more_position_holds_one_more_and_raises_the_budget_by_its_cost():
    org = budget_org()
    base = plan(org)
    funded = replace(org, policy=replace(org.policy, budget=130_000.0))  # + one R1 position
    more = plan_variant(Variant(funded, (AtLeastPositions("R1", positions_held(base, "R1") + 1),)))
    assert positions_held(more, "R1") == positions_held(base, "R1") + 1
    assert "insight: at least 4 positions of R1" in more.rules and more.kpis.placed == 4
    (position,) = [i for i in analyse(org, jobs=1).insights if i.kind == "position"]
    assert position.title == "One more Role R1 position"
    assert position.objective_change == pytest.approx(more.objective - base.objective, abs=0.01)


def test_one_more_position_starts_from_a_plan_that_keeps_the_added_rule():
    """The variant's hint is the base plan plus a vacancy of the role where a service has
    room: a complete plan of the variant (every rule, the added one too), so a large
    organisation's variant has a plan from the start."""
    org = tiny_org(psws=[psw("A"), psw("B")], services=[service("S1", demand_fte=4.0)],
                   allow_vacancies=True, budget=60_000.0)
    base = plan(org)
    assert base.kpis.placed == 2 and not base.vacancies  # the budget holds two, no more
    variant = _position_variants(org, base, None)["position:R1"]
    hint, edit = variant.edits
    assert hint.values.positions == {("R1", "S1"): 1}
    built = build_model(variant.org)
    edit.apply(built)
    assert keeps_every_rule(built, hint.values)


def test_one_more_position_takes_the_place_of_another_roles_vacancy_when_demand_is_full():
    """Where the base plan fills every team's demand, the added position takes the place
    of a vacant position of another role, so the hint still keeps every rule."""
    org = tiny_org(psws=[psw("A"), psw("B")], roles=[role("R1"), role("R2")],
                   services=[service("S1", demand_fte=3.0)], allow_vacancies=True,
                   budget=90_000.0)
    base = plan(org)
    assert base.kpis.placed == 2 and len(base.vacancies) == 1  # the demand is full
    vacant = base.vacancies[0].role_id
    other = "R2" if vacant == "R1" else "R1"
    variant = _position_variants(org, base, None)[f"position:{other}"]
    hint, edit = variant.edits
    assert hint.values.positions == {(other, "S1"): 1}
    built = build_model(variant.org)
    edit.apply(built)
    assert keeps_every_rule(built, hint.values)


def test_one_more_position_takes_the_place_of_the_least_scoring_placement_last():
    """With no vacant position to give way, the added position takes the place of the
    service's least scoring placement (that person is then unassigned in the hint)."""
    org = tiny_org(psws=[psw("A", readiness=5), psw("B", readiness=3)],
                   roles=[role("R1", saliency=3), role("R2", saliency=3)],
                   services=[service("S1", demand_fte=2.0)], allow_vacancies=True,
                   budget=60_000.0)
    base = plan(org)
    assert base.kpis.placed == 2 and not base.vacancies  # the demand is full
    held = {a.role_id for a in base.assignments}
    other = "R2" if held == {"R1"} else "R1"
    variant = _position_variants(org, base, None)[f"position:{other}"]
    hint, edit = variant.edits
    least = min(base.assignments, key=lambda a: (a.score, a.psw_id))
    assert hint.values.placements == {(a.psw_id, a.role_id, a.service_id)
                               for a in base.assignments if a is not least}
    assert hint.values.positions == {(other, "S1"): 1}
    built = build_model(variant.org)
    edit.apply(built)
    assert keeps_every_rule(built, hint.values)


def test_position_variants_planned_part_by_part_are_compared_with_todays_plan_searched_as_long(
        monkeypatch):
    """Where the variants are planned part by part, a position's gain is measured against
    today's plan improved the same way for as long (not against today's plan itself, which
    the variant's longer search alone would beat)."""
    org = tiny_org(psws=[psw("A"), psw("B")], services=[service("S1", demand_fte=4.0)],
                   allow_vacancies=True, budget=60_000.0)
    base = plan(org)
    assert _searched_baseline(org, base, 5) == {}  # a tiny model is searched whole
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(edited_per_second=0))
    assert set(_searched_baseline(org, base, 5)) == {SEARCHED}
    position = plan_variant(_position_variants(org, base, 5)["position:R1"])
    searched = replace(base, objective=base.objective - 7.0)
    against = {"position:R1": position, SEARCHED: searched}
    (compared,), _ = _insights(org, base, against, {}, 60_000.0)
    assert compared.gain == round(position.objective - searched.objective, 2)
    assert SEARCHED_TEXT in compared.detail
    (alone,), _ = _insights(org, base, {"position:R1": position}, {}, 60_000.0)
    assert alone.gain == round(position.objective - base.objective, 2)


def test_reproducible_position_variants_are_compared_with_todays_plan_searched_as_long():
    """Reproducible, the variants go part by part at fewer placements a second
    (`Thresholds.edited_reproducible_per_second`): today's plan is then searched the same
    way, though on the clock the same model would be searched whole."""
    org = generate_org(psws=40, services=10, regions=1, seed=3)
    base = plan(org, time_limit=2)
    seconds = between_edited_thresholds(org)
    assert _searched_baseline(org, base, seconds) == {}
    assert set(_searched_baseline(org, base, seconds, reproducible=True)) == {SEARCHED}


def test_an_edit_no_plan_can_keep_is_named_as_the_conflict():
    infeasible = plan_variant(Variant(budget_org(), (AtLeastPositions("R1", 99),)))
    assert infeasible.status is Status.INFEASIBLE and infeasible.kpis is None
    assert infeasible.conflicts == ("insight: at least 99 positions of R1",)


def test_written_insights_parse_and_hold_no_personal_data(tmp_path):
    org = ward_org()
    outcome = write_insights(org, tmp_path, jobs=1)
    report, written = outcome.report, outcome.written
    assert sorted(p.name for p in written) == ["insights.html", "insights.json", "insights.xlsx"]
    data = json.loads((tmp_path / "insights.json").read_text())
    assert [i["title"] for i in data["insights"]] == [i.title for i in report.insights]
    assert [i["rank"] for i in data["insights"]] == list(range(1, len(report.insights) + 1))
    soup = BeautifulSoup((tmp_path / "insights.html").read_text(), "html.parser")
    rows = soup.select("#insights-table tbody tr")
    assert [r.select_one("td.insight strong").get_text() for r in rows] == [
        i.title for i in report.insights]
    assert len(soup.select("#budget-table tbody tr")) == 5
    assert soup.select_one("#chart-budget svg") is not None
    book = load_workbook(tmp_path / "insights.xlsx")
    assert book["Insights"]["C4"].value == report.insights[0].title
    texts = [(tmp_path / "insights.html").read_text(), (tmp_path / "insights.json").read_text(),
             " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)]
    private = [*NAMES[:2], *IDS[:2], "justice", org.input_sha256]
    assert [(value, n) for n, text in enumerate(texts) for value in private
            if value.lower() in text.lower()] == []


def test_the_cost_of_staff_education_is_counted_when_the_policy_gives_it():
    unknown = next(i for i in analyse(ward_org(), jobs=1).insights if i.kind == "climate")
    assert "is not counted: set Policy climate_step_cost" in unknown.detail
    org = ward_org()
    priced = replace(org, policy=replace(org.policy, climate_step_cost=12_000.0))
    known = next(i for i in analyse(priced, jobs=1).insights if i.kind == "climate")
    assert known.cost_change == unknown.cost_change + 12_000
    assert "Staff education counted at 12,000 a year" in known.detail
