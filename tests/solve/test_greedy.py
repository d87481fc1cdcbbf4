"""The greedy start that stands in when the time limit cuts the search."""

from __future__ import annotations

import pytest

from planner.core.results import Status
from planner.solve.greedy import greedy_start
from planner.solve.model import build_model, objective_points
from planner.solve.planning import limits_for, plan
from planner.solve.solver import keeps_every_rule
from planner.solve.whole import solve_whole
from planner.workbook.read import read_org
from tests.helpers.orgs import psw, random_org, service, tiny_org
from tests.helpers.paths import SAMPLES


def greedy_objective(built) -> float:
    return objective_points(built.objective_terms, greedy_start(built).variables(built))


@pytest.mark.parametrize("seed", range(4))
def test_greedy_start_keeps_every_rule_and_never_beats_the_optimum(seed):
    org = random_org(seed)
    built = build_model(org)
    assert keeps_every_rule(built, greedy_start(built))
    assert greedy_objective(built) <= plan(org).objective + 1e-6


def test_greedy_start_on_the_regional_sample_keeps_every_rule():
    built = build_model(read_org(SAMPLES / "regional_service.xlsx"))
    assert keeps_every_rule(built, greedy_start(built))
    assert greedy_objective(built) > 0


def test_greedy_leaves_a_short_team_empty_when_lone_peers_are_forbidden():
    org = tiny_org(psws=[psw("A")], services=[service("S1")], lone_peer="forbid")
    start = greedy_start(build_model(org))
    assert not start.placements


def test_a_cut_short_solve_still_returns_a_plan_with_an_honest_gap():
    org = read_org(SAMPLES / "large_system.xlsx")  # the whole model, cut short at 1 s
    result = solve_whole(org, build_model(org, prune=True), limits_for(org, time_limit=1))
    assert result.status is Status.FEASIBLE
    assert result.objective <= result.bound
    assert result.gap == pytest.approx((result.bound - result.objective) / result.objective,
                                       abs=1e-5)
    assert result.kpis.placed > 0
