"""The Lagrangian bound (`lagrange`): each service whole, the rows that link services
priced. Timing is not tested here (see bench/)."""

from __future__ import annotations

import pytest

from planner.core.results import Status
from planner.solve.large.lagrange import lagrangian_bound
from planner.solve.large.lp_bound import lp_bound
from planner.solve.model import build_model, canonical, placement_points
from planner.solve.planning import plan
from tests.helpers.orgs import psw, random_org, role, service, tiny_org


@pytest.mark.parametrize("seed", range(6))
def test_the_lagrangian_bound_lies_between_the_optimum_and_the_lp(seed):
    org = random_org(seed, people=12)
    best = plan(org)
    assert best.status is Status.OPTIMAL
    org = canonical(org)
    lp = lp_bound(org)
    bound = lagrangian_bound(org, lp.relaxation, seconds=20)
    assert best.objective - 1e-6 <= bound.value <= lp.value + 1e-6
    assert bound.value <= bound.at_lp_duals + 1e-9


def test_whole_people_in_a_service_tighten_the_bound_by_hand():
    # One service needing 1.5 FTE, two full-time people: the LP takes the better one whole
    # and half of the other (see test_lp_bound); whole people fit only one. The tier menu
    # counts at its most in both (one tier offered: 30 points).
    org = canonical(tiny_org(psws=[psw("A", readiness=3), psw("B", readiness=4)],
                             services=[service("S1", demand_fte=1.5)],
                             roles=[role("R", saliency=3)], min_saliency_tiers=3,
                             weight_saliency_tier=30))
    points = sorted((placement_points(c, org) for c in build_model(org).candidates),
                    reverse=True)
    bound = lagrangian_bound(org, lp_bound(org).relaxation, seconds=10)
    assert bound.value == pytest.approx(points[0] + 30, abs=0.02)
    assert plan(org).objective == pytest.approx(bound.value, abs=0.02)  # exact here


def test_the_lone_peer_penalty_is_in_the_bound():
    # One person, a team that needs two: the only plans are a lone peer (penalty) or
    # nobody. The LP relaxes the penalty away; this bound keeps it, and meets the optimum.
    org = canonical(tiny_org(psws=[psw("A")], roles=[role("R")], lone_peer="discourage",
                             penalty_lone_peer=60, min_saliency_tiers=1,
                             weight_saliency_tier=30))
    (cand,) = build_model(org).candidates
    lp = lp_bound(org)
    bound = lagrangian_bound(org, lp.relaxation, seconds=10)
    assert lp.value == pytest.approx(placement_points(cand, org) + 30, abs=0.02)
    assert bound.value == pytest.approx(max(placement_points(cand, org) - 60, 0) + 30,
                                        abs=0.02)
    assert plan(org).objective == pytest.approx(bound.value, abs=0.02)


def test_a_person_with_two_positions_may_hold_both_in_one_service():
    # Two half-time roles, one person who may hold two positions, a team needing 1.0 FTE:
    # the optimum places the person twice in the same service; the bound must allow it,
    # and so must pruning (dominance assumes one position per person).
    org = canonical(tiny_org(psws=[psw("A")], roles=[role("R1", fte=0.5), role("R2", fte=0.5)],
                             services=[service("S1", demand_fte=1.0)],
                             max_positions_per_psw=2))
    best = plan(org)
    assert best.status is Status.OPTIMAL and len(best.assignments) == 2
    bound = lagrangian_bound(org, lp_bound(org).relaxation, seconds=10)
    assert bound.value >= best.objective - 1e-6


def test_the_bound_reports_each_lower_value_as_it_goes():
    org = canonical(random_org(3, people=12))
    heard: list[float] = []
    bound = lagrangian_bound(org, lp_bound(org).relaxation, seconds=20, on_bound=heard.append)
    assert heard[0] == pytest.approx(bound.at_lp_duals)
    assert heard == sorted(heard, reverse=True)
    assert heard[-1] == pytest.approx(bound.value)
