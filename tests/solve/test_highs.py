"""HiGHS on the planner's own model (`highs`): the same optimum as CP-SAT on organisations
small enough to prove, plans that keep every rule, and a bound never below the plan."""

from __future__ import annotations

import pytest

from planner.core.domain import LonePeer
from planner.core.results import Status
from planner.solve.highs import model_rows, solve_with_highs
from planner.solve.model import build_model, canonical
from planner.solve.solver import SolveLimits, SolveResult, keeps_every_rule, solve
from planner.workbook.generate import Shape, generate_org
from tests.helpers.orgs import psw, random_org, role, service, tiny_org, two_region_org

ORGS = {
    "two regions": two_region_org(),
    "random": random_org(4, people=12),
    # every rule at work: lone peers forbidden, a tight budget, locks, supervision
    "generated": generate_org(40, 10, 2, seed=5, shape=Shape(
        lone_peer=LonePeer.FORBID, budget_ratio=0.7, lock_share=0.1)),
}


@pytest.mark.parametrize("name", list(ORGS))
def test_highs_proves_the_optimum_cp_sat_proves(name):
    org = canonical(ORGS[name])
    by_cp_sat = solve(build_model(org, prune=True), SolveLimits(30, 0))
    built = build_model(org, prune=True)
    by_highs = solve_with_highs(built, 30)
    assert by_cp_sat.status is Status.OPTIMAL and by_highs.status is Status.OPTIMAL
    assert by_highs.objective == pytest.approx(by_cp_sat.objective, abs=1e-6)
    assert by_highs.bound == by_highs.objective and by_highs.gap == 0.0
    assert keeps_every_rule(built, by_highs.values)


def test_each_better_plan_is_heard_with_a_bound_never_below_it():
    org = canonical(ORGS["generated"])
    built = build_model(org, prune=True)
    heard: list[SolveResult] = []
    final = solve_with_highs(built, 30, on_plan=heard.append)
    assert heard, "HiGHS reports the plans it finds"
    objectives = [h.objective for h in heard]
    assert objectives == sorted(objectives)
    assert heard[-1].objective == pytest.approx(final.objective)
    for found in heard:
        assert found.bound is None or found.bound >= found.objective
        assert keeps_every_rule(built, found.values)


def test_an_infeasible_model_gives_no_plan():
    org = tiny_org(psws=[psw("A", readiness=2, lock=True, current_service="S1",
                             current_role="R")],
                   services=[service("S1", demand_fte=1.0)], roles=[role("R", saliency=2)],
                   budget=1.0)  # the lock overspends it
    assert solve_with_highs(build_model(canonical(org), prune=True), 5).status is Status.UNKNOWN


def test_a_model_with_rules_switched_by_literals_is_not_handed_over():
    built = build_model(canonical(two_region_org()), explain=True)
    with pytest.raises(ValueError, match="HiGHS is not given"):
        model_rows(built.model.proto)


def test_highs_starts_from_a_plan_it_is_given():
    org = canonical(ORGS["generated"])
    best = solve(build_model(org, prune=True), SolveLimits(30, 0))
    built = build_model(org, prune=True)
    heard: list[SolveResult] = []
    solve_with_highs(built, 30, on_plan=heard.append, start=best.values)
    assert heard[0].objective == pytest.approx(best.objective, abs=1e-6)
    cold: list[SolveResult] = []
    solve_with_highs(build_model(org, prune=True), 30, on_plan=cold.append)
    assert cold[0].objective < best.objective  # not the start's doing otherwise


def test_with_a_cutoff_highs_offers_only_plans_scoring_more():
    """(Fails without the cutoff: HiGHS's first plan from cold lies below it.)"""
    org = canonical(ORGS["generated"])
    best = solve(build_model(org, prune=True), SolveLimits(30, 0))
    assert best.status is Status.OPTIMAL
    cold: list[SolveResult] = []
    solve_with_highs(build_model(org, prune=True), 30, on_plan=cold.append)
    cutoff = (cold[0].objective + best.objective) / 2
    heard: list[SolveResult] = []
    above = solve_with_highs(build_model(org, prune=True), 30, on_plan=heard.append,
                             above=cutoff)
    assert heard and all(r.objective > cutoff for r in heard)
    assert above.objective == pytest.approx(best.objective)


@pytest.mark.parametrize("name", list(ORGS))
def test_highs_bound_is_heard_as_it_falls_though_no_better_plan_comes(name):
    """From the optimum as its start HiGHS finds no better plan to send its bound with;
    `on_bound` hears it all the same, falling and never below the optimum. (Fails
    without `on_bound`: nothing heard.)"""
    org = canonical(ORGS[name])
    best = solve(build_model(org, prune=True), SolveLimits(30, 0))
    assert best.status is Status.OPTIMAL
    bounds: list[float] = []
    solve_with_highs(build_model(org, prune=True), 30, start=best.values,
                     on_bound=bounds.append)
    assert bounds and bounds == sorted(bounds, reverse=True)
    assert all(b >= best.objective - 1e-6 for b in bounds)


def test_a_cutoff_bound_is_not_heard_as_a_bound_of_the_model():
    with pytest.raises(ValueError, match="no bound of the model"):
        solve_with_highs(build_model(canonical(ORGS["random"]), prune=True), 5, above=0.0,
                         on_bound=print)
