"""Budgets per region (the Regions sheet): each region's positions, filled and to recruit,
cost no more than its own budget, in the whole model, the greedy start, the LP and
Lagrangian bounds and the block path; the plan says what each region spends, and the
explanations name the region's budget when it binds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.core.domain import Org, Region
from planner.core.results import Status, from_json, to_json
from planner.solve import strategy
from planner.solve.greedy import greedy_start
from planner.solve.large import blocks
from planner.solve.large.dive import dive
from planner.solve.large.lagrange import lagrangian_bound
from planner.solve.large.lagrange_master import Master
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.work import WorkBudget
from planner.solve.model import build_model, canonical
from planner.solve.planning import limits_for, plan
from planner.solve.solver import keeps_every_rule
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from tests.helpers.large import converged
from tests.helpers.orgs import psw, service, tiny_org, two_region_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules

POSITION = 30_000  # what one full-time position of tiny_org's role costs a year


def two_regions(*regions: Region, **policy: object) -> Org:
    """North: a service with room for two (A and B live there); South: one for C."""
    org = tiny_org(psws=[psw("A", region="North"), psw("B", region="North"),
                         psw("C", region="South")],
                   services=[service("N1", region="North"), service("S1", region="South")],
                   **policy)
    return replace(org, regions=regions)


def placed(org: Org) -> set[tuple[str, str]]:
    return {(a.psw_id, a.service_id) for a in plan(org).assignments}


def with_region_budgets(org: Org, share: float) -> Org:
    """`org` with each region's budget at `share` of what its plan spends there unbounded."""
    cost: dict[str, float] = {}
    best = plan(org, time_limit=10)
    for a in best.assignments:
        region = org.services_by_id[a.service_id].region or ""
        cost[region] = cost.get(region, 0) + a.fte * org.roles_by_id[a.role_id].cost_per_fte
    for v in best.vacancies:
        region = org.services_by_id[v.service_id].region or ""
        cost[region] = cost.get(region, 0) + v.cost
    return replace(org, regions=tuple(Region(r, round(c * share)) for r, c in sorted(
        cost.items()) if r))


# --- the rule ---------------------------------------------------------------------------


def test_a_region_places_no_more_than_its_own_budget_pays_for() -> None:
    assert placed(two_regions()) == {("A", "N1"), ("B", "N1"), ("C", "S1")}
    chosen = placed(two_regions(Region("North", 1.5 * POSITION)))
    assert len(chosen & {("A", "N1"), ("B", "N1")}) == 1  # one position's worth, not two
    assert ("C", "S1") in chosen  # another region's budget is not this one's


def test_the_organisations_budget_and_a_regions_both_hold() -> None:
    org = two_regions(Region("North", 10 * POSITION), Region("South", None),
                      budget=2 * POSITION)
    assert len(placed(org)) == 2
    assert len(placed(replace(org, regions=(Region("North", POSITION),)))) == 2
    assert len(placed(replace(org, regions=(Region("North", 0),)))) == 1


def test_positions_to_recruit_are_booked_against_their_regions_budget() -> None:
    org = two_regions(Region("South", POSITION), allow_vacancies=True)
    org = replace(org, psws=())
    result = plan(org)
    assert {v.service_id: v.positions for v in result.vacancies} == {"N1": 2, "S1": 1}
    assert [(r.region, r.budget, r.cost) for r in result.regions] == [
        ("South", POSITION, POSITION)]


def test_the_plan_says_what_each_budgeted_region_spends_and_json_keeps_it() -> None:
    org = two_regions(Region("North", 1.5 * POSITION), Region("South", 2 * POSITION),
                      Region("East"))
    result = plan(org)
    assert [(r.region, r.cost, r.share) for r in result.regions] == [
        ("North", POSITION, pytest.approx(2 / 3)), ("South", POSITION, 0.5)]
    assert from_json(to_json(result)).regions == result.regions
    assert "region budget" in result.rules
    assert_plan_keeps_the_rules(org, result)


# --- why --------------------------------------------------------------------------------


def test_the_explanations_name_the_regions_budget_when_it_binds() -> None:
    org = two_regions(Region("North", 1.5 * POSITION), allow_vacancies=True)
    result = plan(org)
    (left_out,) = result.unassigned
    assert left_out.reason == (
        "North's budget is spent: their best placement, Role R1 at Service N1, would cost "
        "30,000 a year and 15,000 of it is left.")
    assert "R1 at N1: region budget: 15,000 of North's budget left" in left_out.reasons[1]
    north = next(s for s in result.services if s.service_id == "N1")
    assert north.shortfall_cause == "region budget"
    assert north.shortfall.startswith("North's budget binds: 15,000 is left")


def test_a_lock_beyond_its_regions_budget_is_named_in_the_conflict() -> None:
    org = two_regions(Region("North", POSITION / 2))
    org = replace(org, psws=(replace(org.psws[0], current_service="N1", current_role="R1",
                                     lock=True), *org.psws[1:]))
    result = plan(org)
    assert result.status is Status.INFEASIBLE
    assert "region budget: the positions in North must cost at most 15,000" in result.conflicts


# --- every path keeps it ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 3])
def test_the_greedy_start_keeps_each_regions_budget(seed: int) -> None:
    org = with_region_budgets(two_region_org(seed), 0.6)
    built = build_model(org)
    start = greedy_start(built)
    spend: dict[str | None, float] = {}
    costs = [(built.candidates[i].service, built.candidates[i].cost) for i in start.chosen(built)]
    costs += [(slot.service, n * slot.booked_cost)
              for slot, n in zip(built.vacancies, start.vacancies(built), strict=True)]
    for where, cost in costs:
        spend[where.region] = spend.get(where.region, 0.0) + cost
    for region, budget in org.region_budgets.items():
        assert 0.5 * budget < spend[region] <= budget, region


def test_region_budgets_tighten_the_lp_and_lagrangian_bounds_which_stay_bounds() -> None:
    free = two_region_org(2)
    org = with_region_budgets(free, 0.6)
    best = plan(org, time_limit=20)
    lp, lp_free = lp_bound(org), lp_bound(free)
    assert lp.value < lp_free.value - 1
    bound = lagrangian_bound(org, lp.relaxation, seconds=20)
    assert best.objective - 1e-6 <= bound.value <= lp.value + 1e-6


def test_the_master_repairs_a_regions_budget_overspent() -> None:
    org = canonical(two_regions(Region("North", 1.5 * POSITION)))
    rows = lp_bound(org).relaxation.rows
    (north,) = rows.budget_rows
    master = Master(rows, 2, np.ones(rows.count))
    master.add_plans(np.zeros(2), np.array([0, 1]), [np.array([], dtype=np.int64)] * 2,
                     [np.zeros(0)] * 2)
    master.add_plans(np.array([10.0]), np.array([0]), [np.array([0, 1, north])],
                     [np.array([1.0, 1.0, 2.0 * POSITION])])
    master.set_uppers(np.array([0]), 0.0)  # N1 held to its plan of two people
    master.solve()
    assert master.repaired()


def test_the_dive_fixes_plans_that_keep_each_regions_budget() -> None:
    org = with_region_budgets(two_region_org(1), 0.6)
    search, keys = converged(org)
    fixed = dive(search, deadline=np.inf, leave=0)
    built = build_model(org)
    index = built.candidate_index
    positions = [0] * len(built.vacancies)
    for service_plan in fixed.plans.values():
        for column, count in service_plan.vacancies.items():
            positions[column] = count
    values = PlanValues.of_model(built, sorted(index[keys[c]] for c in
                                              fixed.placements().tolist()), positions)
    assert not search.master.repaired()
    if len(fixed.plans) == len(org.services):
        assert keeps_every_rule(built, values)


def test_blocks_share_each_regions_budget_and_the_plan_keeps_it(monkeypatch) -> None:
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(large=0))
    org = with_region_budgets(generate_org(psws=160, services=32, regions=3, seed=2), 0.6)
    made = blocks.make_blocks(canonical(org), lp_bound(canonical(org)))
    for region, budget in org.region_budgets.items():
        assert sum(b.region_budgets.get(region, 0) for b in made) <= budget
    result = plan(org, time_limit=15)
    assert result.model_stats["blocks"] >= 3
    assert_plan_keeps_the_rules(org, result)


def test_merged_blocks_spend_no_more_of_a_region_than_its_budget() -> None:
    org = canonical(with_region_budgets(generate_org(psws=240, services=48, regions=1,
                                                     seed=6), 0.8))
    made = blocks.make_blocks(org, lp_bound(org))
    limits = limits_for(org, time_limit=1)
    parts = [part for block in made
             for part in blocks._solve_blocks(org, [blocks._Job(block)], limits)]
    merged = blocks._merge_neighbours(org, parts, limits, lambda: 2.0, lambda _: None,
                                      WorkBudget(1.0))
    (region,) = org.region_budgets
    assert sum(p.spend_by_region[region] for p in merged) <= org.region_budgets[region]
