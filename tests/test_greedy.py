"""The greedy start that stands in when the time limit cuts the search."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import psw, service, tiny_org
from test_optimiser import random_org

from planner.core.results import Status
from planner.solve.greedy import greedy_start
from planner.solve.model import SCALE, build_model
from planner.solve.planning import limits_for, plan, solve_built
from planner.solve.solver import greedy_values, keeps_every_rule
from planner.workbook.read import read_org

SAMPLES = Path(__file__).parent.parent / "sample_orgs"


def greedy_objective(built) -> float:
    values = greedy_values(built)
    return sum(c * values[v.index] for v, c in built.objective_terms) / SCALE


@pytest.mark.parametrize("seed", range(4))
def test_greedy_startkeeps_every_rule_and_never_beats_the_optimum(seed):
    org = random_org(seed)
    built = build_model(org)
    values = greedy_values(built)
    assert keeps_every_rule(built, values)
    assert greedy_objective(built) <= plan(org).objective + 1e-6


def test_greedy_start_on_the_regional_samplekeeps_every_rule():
    built = build_model(read_org(SAMPLES / "regional_service.xlsx"))
    values = greedy_values(built)
    assert keeps_every_rule(built, values)
    assert greedy_objective(built) > 0


def test_greedy_leaves_a_short_team_empty_when_lone_peers_are_forbidden():
    org = tiny_org(psws=[psw("A")], services=[service("S1")], lone_peer="forbid")
    start = greedy_start(build_model(org))
    assert not start.chosen


def test_a_cut_short_solve_still_returns_a_plan_with_an_honest_gap():
    org = read_org(SAMPLES / "large_system.xlsx")  # the whole model, cut short at 1 s
    result = solve_built(org, build_model(org, prune=True), limits_for(org, time_limit=1))
    assert result.status is Status.FEASIBLE
    assert result.objective <= result.bound
    assert result.gap == pytest.approx((result.bound - result.objective) / result.objective,
                                       abs=1e-5)
    assert result.kpis.placed > 0
