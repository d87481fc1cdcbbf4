"""The bound on the side (`side_bound`): the child that tightens the plan's bound while it is
made, and the planning process keeping the child's plan only when it scores more and
keeps every rule. Timing is not tested here (see bench/)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from planner.core.results import Status
from planner.solve import planning, strategy
from planner.solve.greedy import greedy_start
from planner.solve.large import blocks, side_bound
from planner.solve.large.child import usable_cores
from planner.solve.model import build_model, canonical, objective_points
from planner.solve.planning import plan
from planner.solve.solver import SolveLimits, SolveResult, keeps_every_rule, solve
from planner.solve.values import PlanValues
from tests.helpers.large import poor_plan
from tests.helpers.orgs import psw, random_org, role, service, tiny_org, two_region_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules

# -- the bound: lowered to a true one, never below the plan ------------------------------


def _loose(result_objective: float, bound: float) -> SolveResult:
    gap = (bound - result_objective) / result_objective
    return SolveResult(Status.FEASIBLE, result_objective, bound, gap, 1.0)


def test_the_side_process_lowers_a_loose_bound_to_a_true_one():
    org = canonical(tiny_org(psws=[psw("A", readiness=3), psw("B", readiness=4)],
                             services=[service("S1", demand_fte=1.5)],
                             roles=[role("R", saliency=3)]))
    best = plan(org)
    with side_bound.SideBound(org, SolveLimits(20, 0)) as side:
        side.finished(30)  # let it finish: the test is about what it sends
        tightened = side.tighten(_loose(best.objective, best.objective + 1_000))
    assert best.objective <= tightened.bound < best.objective + 1_000
    assert tightened.bound == pytest.approx(best.objective, abs=0.02)
    assert tightened.status is Status.OPTIMAL  # the bound meets the plan


def test_the_side_process_never_puts_a_bound_below_the_plan():
    org = canonical(random_org(1, people=12))
    with side_bound.SideBound(org, SolveLimits(20, 0)) as side:
        side.finished(30)
        high = side.tighten(_loose(1e9, 2e9))  # a plan better than any bound: clamped
    assert high.bound == 1e9


# -- the plan: the child's only when it is better and keeps the rules --------------------


def test_a_better_side_plan_that_keeps_every_rule_takes_the_plans_place():
    org = two_region_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = poor_plan(built)
    adopted = side_bound.adopt(built, poor, best)
    assert adopted.objective == pytest.approx(best.objective)
    assert adopted.values == best.values
    assert adopted.bound == poor.bound and adopted.status is Status.FEASIBLE
    # a worse side plan changes nothing
    assert side_bound.adopt(built, best, poor) is best


def test_a_side_plan_that_breaks_a_rule_is_not_taken():
    org = two_region_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = poor_plan(built)
    over = replace(org, policy=replace(org.policy, budget=org.policy.budget / 2))
    tight = build_model(over, prune=True)  # the same plan overspends this budget
    assert side_bound.adopt(tight, poor_plan(tight), best).objective == 0.0
    # a plan naming a placement the model does not have is not taken either
    unknown = replace(best, values=PlanValues(
        best.values.placements | {("nobody", "R", "S")}, best.values.positions))
    assert side_bound.adopt(built, poor, unknown) is poor


def test_the_side_process_puts_its_plan_in_place_of_a_poorer_one(monkeypatch):
    monkeypatch.setattr(side_bound, "SIDE_PLAN_SECONDS", 1.0)  # a small org needs little
    org = two_region_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = poor_plan(built)
    with side_bound.SideBound(org, SolveLimits(6, 0)) as side:
        side.finished(30)  # let it finish: the test is about what it sends
        improved = side.improve(built, poor)
    assert improved.objective == pytest.approx(best.objective)
    assert best.objective <= improved.bound < poor.bound  # the child's bound, too
    assert keeps_every_rule(built, improved.values)


def test_no_side_plan_is_sought_without_the_time_for_one():
    org = two_region_org()
    built = build_model(org, prune=True)
    poor = poor_plan(built)
    with side_bound.SideBound(org, SolveLimits(3, 0)) as side:  # < SIDE_PLAN_SECONDS
        side.finished(30)
        kept = side.improve(built, poor)
    assert side.plan is None
    assert kept.objective == poor.objective and kept.bound < poor.bound  # bound only


@pytest.mark.skipif(usable_cores() < 2, reason="the side child needs a second core")
def test_a_poorer_block_plan_gives_way_to_the_side_plan(monkeypatch):
    # the block path, and a child, small as the organisation is
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(
        blocks_per_second=0, side_bound_from=0))
    monkeypatch.setattr(side_bound, "SIDE_PLAN_SECONDS", 1.0)
    in_blocks = blocks.plan_in_blocks

    def poor_blocks(org, limits, *args, **kwargs):
        # done at once: the planning waits for the child's plans until the blocks' time
        planned = in_blocks(org, limits, *args, **kwargs)
        empty = SolveResult(Status.FEASIBLE, 0.0, 1e6, 1.0, 1.0)
        return replace(planned, result=empty)

    monkeypatch.setattr(blocks, "plan_in_blocks", poor_blocks)
    monkeypatch.setattr(planning, "TAIL_SECONDS", math.inf)  # no polish of the block plan
    org = two_region_org()
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    assert best.status is Status.OPTIMAL
    taken = plan(org, time_limit=6)
    assert "blocks" not in taken.model_stats  # a plan of the whole model, not the blocks
    assert taken.objective == pytest.approx(best.objective)
    assert taken.bound < 1e6  # the child's bound
    assert_plan_keeps_the_rules(org, taken)


@pytest.mark.skipif(usable_cores() < 2, reason="the side child needs a second core")
def test_beside_a_child_seeking_plans_the_time_the_blocks_leave_polishes_their_plan(
        monkeypatch):
    # the block path with a Lagrangian child, small as the organisation is; the child
    # sends bounds only (no time for its own plans), and the blocks end at once with the
    # greedy plan of the whole model: what the plan becomes is the polish's work
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(
        blocks_per_second=0, side_bound_from=0))
    monkeypatch.setattr(side_bound, "SIDE_PLAN_SECONDS", math.inf)
    org = two_region_org()
    whole = build_model(org, prune=True)
    greedy = greedy_start(whole)
    greedy_points = objective_points(whole.objective_terms, greedy.variables(whole))
    in_blocks = blocks.plan_in_blocks

    def greedy_blocks(org, limits, *args, **kwargs):
        planned = in_blocks(org, limits, *args, **kwargs)
        return replace(planned, result=replace(planned.result, objective=greedy_points,
                                               values=greedy))

    monkeypatch.setattr(blocks, "plan_in_blocks", greedy_blocks)
    chosen = strategy.choose_strategy(org, SolveLimits(6, 0))
    assert chosen.side_work is side_bound.SideWork.LAGRANGE and chosen.polish is None
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    assert greedy_points < best.objective - 1
    taken = plan(org, time_limit=6)
    assert taken.model_stats["blocks"] > 0 and taken.model_stats["polished_parts"] > 0
    assert taken.objective == pytest.approx(best.objective)
    assert_plan_keeps_the_rules(org, taken)


# -- HiGHS in the child, beside CP-SAT on the whole model ---------------------------------


def test_highs_in_the_child_proves_the_optimum_and_says_so():
    org = canonical(two_region_org())
    built = build_model(org, prune=True)
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    poor = poor_plan(built)
    with side_bound.SideBound(org, SolveLimits(20, 0), side_bound.SideWork.HIGHS) as side:
        assert side.proven.wait(20), "the child proves the optimum of a small organisation"
        improved = side.improve(built, poor)
    assert improved.objective == pytest.approx(best.objective)
    assert improved.status is Status.OPTIMAL and improved.bound == pytest.approx(best.objective)
    assert keeps_every_rule(built, improved.values)


def test_the_child_sends_lagrangian_bounds_then_highs_proves_the_optimum():
    org = canonical(two_region_org())
    built = build_model(org, prune=True)
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    with side_bound.SideBound(org, SolveLimits(20, 0),
                              side_bound.SideWork.LAGRANGE_THEN_HIGHS) as side:
        assert side.proven.wait(20), "HiGHS, after the Lagrangian half, proves it"
        improved = side.improve(built, poor_plan(built))
        assert side.best == pytest.approx(best.objective)  # no bound sent below the optimum
    assert improved.objective == pytest.approx(best.objective)
    assert improved.status is Status.OPTIMAL


@pytest.mark.skipif(usable_cores() < 2, reason="the side child needs a second core")
def test_beside_the_whole_model_the_child_runs_lagrange_then_highs_and_the_plan_says_so(
        monkeypatch):
    monkeypatch.setattr(strategy, "THRESHOLDS",
                        strategy.Thresholds(side_bound_from=0, highs_from=0))
    org = two_region_org()
    chosen = strategy.choose_strategy(org, SolveLimits(30, 0))
    assert chosen.side_work is side_bound.SideWork.LAGRANGE_THEN_HIGHS
    planned = plan(org, time_limit=30)
    assert planned.status is Status.OPTIMAL
    assert planned.strategy["side_work"] == "lagrange+highs"
    assert_plan_keeps_the_rules(org, planned)


@pytest.mark.skipif(usable_cores() < 2, reason="the side child needs a second core")
def test_the_portfolio_gives_the_same_plan_twice(monkeypatch):
    monkeypatch.setattr(strategy, "THRESHOLDS",
                        strategy.Thresholds(side_bound_from=0, highs_from=0))
    org = random_org(2, people=14)
    first, second = plan(org, time_limit=20), plan(org, time_limit=20)
    assert first.status is Status.OPTIMAL
    assert PlanValues.of_plan(first) == PlanValues.of_plan(second)
    assert first.objective == second.objective


def test_only_the_childs_proof_says_a_plan_is_optimal():
    # a side plan solved part by part may carry a part's `optimal` status: that proves
    # nothing of the whole model, so CP-SAT must not stop and the bound must not drop
    org = canonical(two_region_org())
    with side_bound.SideBound(org, SolveLimits(5, 0)) as side:  # the Lagrangian child
        side.finished(10)
        bound = side.best
        side._heard(SolveResult(Status.OPTIMAL, 1.0, 1.0, 0.0, 0.1))  # a part's status
        assert not side.proven.is_set() and side.best == bound
        side._heard(side_bound.Proven(bound - 1.0))  # HiGHS's proof of its best plan
        assert side.proven.is_set() and side.best == bound - 1.0


def test_a_parent_without_a_plan_takes_the_childs():
    # CP-SAT stopped (HiGHS proved first), or out of time, before its first plan
    org = canonical(two_region_org())
    built = build_model(org, prune=True)
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    with side_bound.SideBound(org, SolveLimits(20, 0), side_bound.SideWork.HIGHS) as side:
        assert side.proven.wait(20)
        taken = side.improve(built, SolveResult(Status.UNKNOWN, None, None, None, 1.0))
    assert taken.objective == pytest.approx(best.objective)
    assert taken.status is Status.OPTIMAL and keeps_every_rule(built, taken.values)
    # no child's plan: nothing to take, the result stays without one
    assert side_bound.NoSideBound().improve(built, SolveResult(
        Status.UNKNOWN, None, None, None, 1.0)).objective is None
