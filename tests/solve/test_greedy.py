"""The greedy start that stands in when the time limit cuts the search."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.core.results import Status
from planner.solve.greedy import greedy_start
from planner.solve.model import build_model, objective_points
from planner.solve.planning import limits_for, plan
from planner.solve.solver import keeps_every_rule
from planner.solve.whole import solve_whole
from planner.workbook.read import read_org
from tests.helpers.orgs import psw, random_org, role, service, tiny_org
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


def _sup_org(people, **policy):
    return tiny_org(psws=people, roles=[role("PEER"), role("SUP", supervisor=True,
                                                          min_experience=3)],
                    services=[service("S1", demand_fte=3.0)], supervisor_span=5, **policy)


def test_greedy_places_a_supervisor_for_the_staff_it_places():
    # A and B are worth more as peers than C as a supervisor; without C nobody may stay.
    org = _sup_org([psw("A", experience=0), psw("B", experience=0), psw("C", experience=4)])
    built = build_model(org)
    start = greedy_start(built)
    assert keeps_every_rule(built, start)
    assert {(p, r) for p, r, _ in start.placements} == {("A", "PEER"), ("B", "PEER"),
                                                          ("C", "SUP")}


def test_greedy_recruits_a_supervisor_for_a_locked_peer_nobody_can_supervise():
    locked = psw("A", experience=0, current_service="S1", current_role="PEER", lock=True)
    org = _sup_org([locked], allow_vacancies=True)
    built = build_model(org)
    start = greedy_start(built)
    assert keeps_every_rule(built, start)
    assert start.positions.get(("SUP", "S1")) == 1


def test_greedy_lets_its_least_valued_peer_give_way_to_a_supervisor_the_budget_needs():
    # The budget pays two placements: A as a peer and C to supervise A, not B (who has no
    # topic of the service's users, so is worth less) on top.
    people = [psw("A", experience=0, topics=("housing",)), psw("B", experience=0),
              psw("C", experience=4)]
    org = replace(_sup_org(people, budget=60_000), services=(
        service("S1", demand_fte=3.0, topics=("housing",)),))
    built = build_model(org)
    start = greedy_start(built)
    assert keeps_every_rule(built, start)
    assert {(p, r) for p, r, _ in start.placements} == {("A", "PEER"), ("C", "SUP")}
