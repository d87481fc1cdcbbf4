"""The Lagrangian bound (each service whole, linking rows priced) and the side process that
computes it while the plan is made. Timing is not tested here (see bench/)."""

from __future__ import annotations

import itertools
import math
import sys
from dataclasses import replace

import numpy as np
import pytest
from conftest import psw, role, service, tiny_org
from test_optimiser import random_org

from planner.core.results import Status
from planner.solve import strategy
from planner.solve.large import child as cores
from planner.solve.large import side_bound
from planner.solve.large.lagrange import lagrangian_bound
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.service_knapsack import Services, best_per_service, chosen, grouped
from planner.solve.model import build_model, canonical, placement_points
from planner.solve.planning import limits_for, plan
from planner.solve.solver import SolveLimits, SolveResult
from planner.solve.strategy import THRESHOLDS

# -- one service's knapsack, against brute force -----------------------------------------


def _brute_force(room, need, penalty, start, items, vacancies):
    """Best value over every subset of items and every count of vacancies."""
    best = -math.inf
    for pick in itertools.product((0, 1), repeat=len(items)):
        used = sum(w for (w, _), p in zip(items, pick, strict=True) if p)
        if used > room:
            continue
        value = sum(v for (_, v), p in zip(items, pick, strict=True) if p)
        peers = start + sum(pick)
        value -= penalty if 0 < peers < need else 0.0
        best = max(best, value + _best_vacancies(room - used, vacancies))
    return best


def _best_vacancies(room, vacancies):
    if not vacancies:
        return 0.0
    (w, v), rest = vacancies[0], vacancies[1:]
    return max(k * v + _best_vacancies(room - k * w, rest) for k in range(room // w + 1))


def _knapsack(room, need, penalty, start, items, vacancies):
    levels = need + 1 if need > 1 else 1
    lone = np.array([[0.0 if (k == 0 or k >= need) else -penalty for k in range(levels)]])
    services = Services(np.array([room]), np.array([min(start, levels - 1)]), lone)
    which = np.arange(len(items))
    weight = np.array([w for w, _ in items], dtype=np.int64)
    value = np.array([v for _, v in items])
    keep = value > (-penalty if need > 1 else 0.0)
    which = which[keep]
    peers = grouped(which, np.zeros(len(which), dtype=np.int64), weight[which], value[which],
                    services.room, losing=levels - 2)
    vac_which = np.arange(len(vacancies))
    vac_weight = np.array([w for w, _ in vacancies], dtype=np.int64)
    vac_value = np.array([v for _, v in vacancies])
    open_vac = vac_which[vac_value > 0]
    vac = grouped(open_vac, np.zeros(len(open_vac), dtype=np.int64), vac_weight[open_vac],
                  vac_value[open_vac], services.room, most_each=1)
    best = best_per_service(services, peers, value[peers.items], vac, vac_value[vac.items])
    taken = peers.items[chosen(peers, best.peers)]
    return best, taken, vac, value, weight, vac_weight, vac_value


@pytest.mark.parametrize("seed", range(150))
def test_a_services_knapsack_finds_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    room = int(rng.integers(0, 14))
    need = int(rng.choice([1, 2, 3]))
    penalty = float(rng.choice([0.0, 5.0, 60.0]))
    start = int(rng.integers(0, 2))
    items = [(int(rng.integers(1, 6)), float(rng.normal(2, 6)))
             for _ in range(int(rng.integers(0, 9)))]
    vacancies = [(int(rng.integers(2, 6)), float(rng.normal(1, 4)))
                 for _ in range(int(rng.integers(0, 3)))]
    best, taken, vac, value, weight, vac_weight, vac_value = _knapsack(
        room, need, penalty, start, items, vacancies)
    expected = _brute_force(room, need, penalty, start, items, vacancies)
    assert best.value[0] == pytest.approx(expected)
    # the plan traced back is the one valued: within the room, worth what was said
    positions = best.vacancies[0, vac.slot] if len(vac.items) else np.zeros(0)
    used = weight[taken].sum() + (vac_weight[vac.items] * positions).sum()
    assert used <= room
    peers = start + len(taken)
    recount = (value[taken].sum() + (vac_value[vac.items] * positions).sum()
               - (penalty if 0 < peers < need else 0.0))
    assert recount == pytest.approx(expected)


def test_a_lone_peer_costs_its_penalty_in_a_services_knapsack():
    # One placement worth 10 alone in a team that needs two: 10 - 60 < 0, so none.
    best, *_ = _knapsack(room=4, need=2, penalty=60.0, start=0, items=[(2, 10.0)],
                         vacancies=[])
    assert best.value[0] == 0.0
    # With a second (worth -5) the team is no longer lone: 10 - 5 = 5.
    best, *_ = _knapsack(room=4, need=2, penalty=60.0, start=0,
                         items=[(2, 10.0), (2, -5.0)], vacancies=[])
    assert best.value[0] == pytest.approx(5.0)


# -- the bound ---------------------------------------------------------------------------


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
    # and half of the other (see test_blocks); whole people fit only one. The tier menu
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


# -- the side process --------------------------------------------------------------------


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


def test_no_side_process_for_small_or_huge_models_or_several_workers(monkeypatch):
    org = canonical(random_org(1, people=12))
    limits = limits_for(org)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    monkeypatch.setattr(cores, "_cores_taken", False)
    for placements, wanted in ((100, False), (50_000, True), (THRESHOLDS.large, False)):
        monkeypatch.setattr(strategy, "estimated_candidates", lambda _org, n=placements: n)
        chosen = strategy.choose_strategy(org, replace(limits, time_limit=1e6))
        assert chosen.side_bound is (wanted and sys.platform.startswith("linux"))
    parallel = replace(limits, time_limit=1e6, deterministic=False)  # CP-SAT takes both
    assert not strategy.choose_strategy(org, parallel).side_bound
    cores.no_spare_core()  # as in each worker of `analyses.workers.Workers`
    assert not strategy.choose_strategy(org, replace(limits, time_limit=1e6)).side_bound
