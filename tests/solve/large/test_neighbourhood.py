"""Parts of a plan re-solved on the model of their neighbourhood (`neighbourhood`), and the
block plan polished so (`block_polish`, from 3,500 placements per second of the time
limit on): a part has the optimum it has on the whole model, the polished plan keeps every
rule and scores more than the joined one, the parts where the plan falls furthest short
of the LP come first, and the plan is the same every run. Timing is not tested here (see
bench/)."""

from __future__ import annotations

import math
import time

import pytest

from planner.core.results import Status
from planner.solve import strategy
from planner.solve.greedy import greedy_start
from planner.solve.large.block_polish import POLISHED, PolishOn, Shortfall
from planner.solve.large.neighbourhood import NeighbourhoodParts
from planner.solve.large.polish import PartSolver, parts, polish
from planner.solve.model import build_model, placement_points, vacancy_value
from planner.solve.planning import plan
from planner.solve.solver import keeps_every_rule
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from tests.helpers.busy import as_if_slower
from tests.helpers.large import poor_plan, spy_on_the_polish
from tests.helpers.orgs import two_region_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


def test_a_part_has_on_its_neighbourhood_the_optimum_it_has_on_the_whole_model():
    # People placed nowhere may join, the budget left anywhere is free to it, and rules
    # over a region or the whole (supervision, budget, the tier menu) count the held plan:
    # a neighbourhood missing any of them gives another optimum than the whole model.
    org = two_region_org()
    whole = build_model(org, prune=True)
    start = greedy_start(whole)
    on_whole, nearby = PartSolver(whole), NeighbourhoodParts(org, whole.candidates)
    for free in parts(org, "regions") + parts(org, "paired"):
        expected = on_whole.solve(start, free, 30, 30, 0)
        found = nearby.solve(start, free, 30, 30, 0)
        assert expected is not None and found is not None
        assert expected.status is found.status is Status.OPTIMAL
        assert found.objective == pytest.approx(expected.objective)
        assert keeps_every_rule(whole, found.values)
        held = {key for key in start.placements if key[2] not in free}
        assert held <= found.values.placements
    assert nearby.parts == len(parts(org, "regions")) + len(parts(org, "paired"))


def test_each_cut_takes_the_parts_that_fall_furthest_short_first():
    org = two_region_org()
    built = build_model(org, prune=True)
    last = parts(org, "regions")[-1]

    class Recording:
        """Solves nothing, only notes the order of the parts."""

        def __init__(self) -> None:
            self.org, self.work, self.parts, self.seen = org, 0.0, 0, []

        def solve(self, plan, free, work, seconds, seed, hint=None):
            self.seen.append(free)
            return None

    def ranked(rank):
        solver = Recording()
        polish(solver, poor_plan(built), math.inf, 0, lambda _: None, rank=rank)
        return solver.seen

    assert ranked(None)[0] != last  # unranked: the cut's own order
    assert ranked(lambda _plan, free: float(free == last))[0] == last


def test_the_shortfall_is_the_lp_points_less_the_plan_points_in_the_part():
    org = two_region_org()
    built = build_model(org, prune=True)
    start = greedy_start(built)
    solver = NeighbourhoodParts(org, built.candidates)
    lp_points = {s.service_id: 100.0 for s in org.services}
    shortfall = Shortfall(org, solver.known, lp_points)
    free = parts(org)[0]
    placed = sum(placement_points(built.candidates[i], org) for i in start.chosen(built)
                 if built.candidates[i].service.service_id in free)
    recruited = sum(n * vacancy_value(slot.role, slot.service, org)
                    for slot, n in zip(built.vacancies, start.vacancies(built), strict=True)
                    if slot.service.service_id in free)
    assert placed + recruited > 0
    assert shortfall(start, free) == pytest.approx(100.0 * len(free) - placed - recruited)
    assert shortfall(PlanValues(), free) == pytest.approx(100.0 * len(free))


@pytest.fixture
def polished_by_neighbourhood(monkeypatch):
    """Every plan on the block path, its block plan polished by neighbourhoods; each
    call of `polished`: the joined plan's objective and the polished one's."""
    monkeypatch.setattr(strategy, "THRESHOLDS",
                        strategy.Thresholds(large=0, polish_per_second=0))
    return spy_on_the_polish(monkeypatch)


def test_a_block_plan_polished_by_neighbourhoods_keeps_every_rule_and_scores_more(
        polished_by_neighbourhood):
    """(Fails if the polish is left out: the plan would be the joined one.)"""
    org = generate_org(psws=160, services=32, regions=3, seed=7)
    result = plan(org, time_limit=20)
    assert result.strategy["polish"] == PolishOn.NEIGHBOURHOODS.value
    assert result.model_stats[POLISHED] > 0 and result.model_stats["blocks"] >= 3
    assert result.bound >= result.objective
    assert_plan_keeps_the_rules(org, result)
    [(joined, polished)] = polished_by_neighbourhood
    assert polished > joined + 1.0
    assert result.objective == pytest.approx(polished)


def test_a_reproducible_block_plan_polished_by_neighbourhoods_is_the_same_every_run(
        polished_by_neighbourhood, monkeypatch):
    as_if_slower(monkeypatch)  # no search cut, whatever the runner's load
    org = generate_org(psws=160, services=32, regions=3, seed=8)
    first, second = (plan(org, time_limit=10, reproducible=True) for _ in range(2))
    assert first.model_stats[POLISHED] > 0
    assert first.objective == second.objective
    assert first.assignments == second.assignments
    assert first.vacancies == second.vacancies


def test_building_a_neighbourhood_counts_in_the_parts_seconds(monkeypatch):
    """A part given 0.3 s whose model took 0.25 s to build searches for what is left, so a
    polish on the clock ends by its deadline. (Fails if the search has the 0.3 s whole.)"""
    org = two_region_org()
    whole = build_model(org, prune=True)
    nearby = NeighbourhoodParts(org, whole.candidates)
    build = nearby.model

    def slow_build(plan, free):
        time.sleep(0.25)
        return build(plan, free)

    searched: list[float] = []
    solve = PartSolver.solve

    def spy(self, plan, free, work, seconds, seed, hint=None):
        searched.append(seconds)
        return solve(self, plan, free, work, seconds, seed, hint)

    monkeypatch.setattr(nearby, "model", slow_build)
    monkeypatch.setattr(PartSolver, "solve", spy)
    nearby.solve(greedy_start(whole), parts(org, "regions")[0], 30, 0.3, 0)
    assert searched and searched[0] <= 0.3 - 0.25 + 0.01
