"""The plan the second core finds from the Lagrangian master: the dive, the completion and
polish with the rest held, and the planning process keeping it only when it scores more
and keeps every rule. Timing is not tested here (see bench/)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import psw, role, service, tiny_org
from plan_checks import assert_plan_keeps_the_rules
from test_optimiser import random_org

from planner.core.results import Status
from planner.solve import strategy
from planner.solve.large import blocks, side_bound
from planner.solve.large import polish as polish_module
from planner.solve.large.child import usable_cores
from planner.solve.large.dive import dive
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.lagrange_master import Master
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.polish import PartSolver, complete, parts, polish
from planner.solve.large.side_plan import search_plan
from planner.solve.model import build_model, canonical, objective_of, objective_points
from planner.solve.planning import plan
from planner.solve.solver import SolveLimits, SolveResult, keeps_every_rule, solve
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from planner.workbook.read import read_org

SAMPLES = Path(__file__).parent.parent / "sample_orgs"


def _small_org(seed: int = 3):
    """Two regions, a supervisor role, a binding budget, lone peers discouraged."""
    return canonical(generate_org(psws=40, services=10, regions=2, seed=seed))


def _converged(org) -> tuple[ServicePlans, list[tuple[str, str, str]]]:
    keys: list[tuple[str, str, str]] = []
    search = ServicePlans(org, lp_bound(org, on_candidate=lambda c: keys.append(c.key))
                          .relaxation)
    search.converge(30)
    assert search.converged
    return search, keys


def _poor(built, chosen=(), vacancies=None) -> SolveResult:
    """A plan of the model that places nobody (or `chosen`), as a solver result."""
    vacancies = vacancies or [0] * len(built.vacancies)
    values = PlanValues.of_model(built, sorted(chosen), vacancies)
    objective = objective_points(built.objective_terms, values.variables(built))
    return SolveResult(Status.FEASIBLE, objective, objective + 10_000, 1.0, 1.0, values)


# -- the master's repair columns ---------------------------------------------------------


def test_the_master_says_when_the_plans_held_overspend_the_budget():
    # Two services, each with an empty plan and a plan costing 60 % of the budget: both
    # costly plans at once overspend, so the master needs its budget repair column.
    org = canonical(tiny_org(psws=[psw("A"), psw("B")],
                             services=[service("S1"), service("S2")], budget=100_000))
    rows = lp_bound(org).relaxation.rows
    scale = np.ones(rows.count)
    master = Master(rows, 2, scale)
    empty = [np.array([], dtype=np.int64)] * 2
    master.add_plans(np.zeros(2), np.array([0, 1]), empty, [np.zeros(0)] * 2)
    costly = [np.array([p, rows.budget]) for p in (0, 1)]
    master.add_plans(np.full(2, 10.0), np.array([0, 1]), costly,
                     [np.array([1.0, 60_000.0])] * 2)
    master.solve()
    assert not master.repaired()  # the master itself takes one costly plan and the empty
    master.set_uppers(np.array([0, 1]), 0.0)  # hold both services to their costly plans
    master.solve()
    assert master.repaired()
    master.set_uppers(np.array([0]), 1.0)  # S1 may be empty again
    master.solve()
    assert not master.repaired()


# -- the dive ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dive_fixes_services_to_plans_that_together_keep_every_rule(seed):
    org = _small_org(seed)
    search, keys = _converged(org)
    fixed = dive(search, deadline=np.inf, leave=0)
    placed = [keys[c] for c in fixed.placements().tolist()]
    people = [key[0] for key in placed]
    assert len(people) == len(set(people))  # nobody in two services or twice in one
    assert not search.master.repaired()  # budget and supervision hold for the plans held
    built = build_model(org)
    index = {c.key: i for i, c in enumerate(built.candidates)}
    positions = [0] * len(built.vacancies)
    for service_plan in fixed.plans.values():
        for column, count in service_plan.vacancies.items():
            positions[column] = count
    values = PlanValues.of_model(built, sorted(index[k] for k in placed), positions)
    if len(fixed.plans) == len(org.services):
        assert keeps_every_rule(built, values)
    best = plan(org, time_limit=20)
    dived = objective_of(org, [built.candidates[index[k]] for k in placed],
                         list(zip(built.vacancies, positions, strict=True)))
    assert dived <= best.objective + 1e-6


def test_the_dive_reaches_the_optimum_where_the_master_is_whole():
    # One team of 1.5 FTE, two people: the bound meets the optimum (test_lagrange), so
    # the master's mix is one plan and the dive fixes it.
    org = canonical(tiny_org(psws=[psw("A", readiness=3), psw("B", readiness=4)],
                             services=[service("S1", demand_fte=1.5)],
                             roles=[role("R", saliency=3)]))
    search, keys = _converged(org)
    fixed = dive(search, deadline=np.inf, leave=0)
    best = plan(org)
    assert sorted(keys[c] for c in fixed.placements().tolist()) == sorted(
        (a.psw_id, a.role_id, a.service_id) for a in best.assignments)


def test_the_dive_never_fixes_a_plan_that_places_one_person_twice():
    # One person, a team of 1.6 FTE, roles of 0.6 and 1.0 FTE: the relaxation may place
    # the person in both (a person counted twice in one service), worth 1.6 FTE of
    # points and no lone-peer penalty; a plan of the model holds one of them.
    org = canonical(tiny_org(psws=[psw("A", readiness=3)],
                             roles=[role("R1", fte=0.6), role("R2", fte=1.0)],
                             services=[service("S1", demand_fte=1.6)],
                             lone_peer="discourage", min_peers=2, penalty_lone_peer=50))
    search, keys = _converged(org)
    twice = [p for p in search.plans if len(p.placements) == 2]
    assert twice  # the relaxation's plans hold the person twice
    fixed = dive(search, deadline=np.inf, leave=0)
    placed = [keys[c] for c in fixed.placements().tolist()]
    assert len(placed) == 1
    assert placed == [(a.psw_id, a.role_id, a.service_id) for a in plan(org).assignments]


def test_the_dive_leaves_services_for_the_completion():
    org = _small_org()
    search, _ = _converged(org)
    fixed = dive(search, deadline=np.inf, leave=4)
    assert len(fixed.plans) <= len(org.services) - 4


def test_the_dive_never_uses_a_placement_left_out():
    org = _small_org()
    search, keys = _converged(org)
    left_out = np.zeros(len(keys), dtype=bool)
    left_out[::2] = True  # every other placement, as if pruned
    fixed = dive(search, deadline=np.inf, left_out=left_out, leave=0)
    assert not left_out[fixed.placements()].any()


# -- completion and polish with the rest held ---------------------------------------------


def test_held_values_hold_the_plan_outside_the_free_services_and_its_people_out():
    org = _small_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    free = {org.services[0].service_id}
    index, value = PartSolver(built).held(best.values, free)
    held = dict(zip(index.tolist(), value.tolist(), strict=True))
    chosen = best.values.chosen(built)
    for i, (var, cand) in enumerate(zip(built.x, built.candidates, strict=True)):
        if cand.service.service_id not in free:
            assert held[var.index] == int(i in chosen)
    placed_out = {built.candidates[i].psw.psw_id for i in chosen
                  if built.candidates[i].service.service_id not in free}
    for var, cand in zip(built.x, built.candidates, strict=True):
        if cand.service.service_id in free and cand.psw.psw_id in placed_out:
            assert held[var.index] == 0
        elif cand.service.service_id in free:
            assert var.index not in held


def test_completion_fills_the_free_services_and_keeps_the_held_part():
    org = _small_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    assert best.status is Status.OPTIMAL
    free = {s.service_id for s in org.services[:4]}
    kept = {i for i in best.values.chosen(built)
            if built.candidates[i].service.service_id not in free}
    vacancies = [n if slot.service.service_id not in free else 0
                 for slot, n in zip(built.vacancies, best.values.vacancies(built), strict=True)]
    partial = PlanValues.of_model(built, kept, vacancies)
    done = complete(built, partial, free, work=20, seconds=20, seed=0)
    assert done is not None
    assert {i for i in done.values.chosen(built)
            if built.candidates[i].service.service_id not in free} == kept
    # the rest is the optimum's, so the best completion is the optimum
    assert done.objective == pytest.approx(best.objective)


def test_parts_cover_every_service_once_in_every_cut():
    org = canonical(generate_org(psws=120, services=40, regions=2, seed=1))
    built = build_model(org)
    ids = sorted(s.service_id for s in org.services)
    for cut in ("regions", "shifted"):
        groups = parts(built, cut)
        assert sorted(sid for g in groups for sid in g) == ids
        regions = [{built.org.services_by_id[s].region for s in g} for g in groups]
        assert all(len(r) == 1 for r in regions)  # a part lies in one region
    assert parts(built) != parts(built, "shifted")
    paired = parts(built, "paired")
    assert sorted(sid for g in paired for sid in g) == ids
    assert any(len({built.org.services_by_id[s].region for s in g}) == 2 for g in paired)


def test_polish_turns_an_empty_plan_into_the_optimum_of_a_small_org():
    org = _small_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    heard: list[float] = []
    polished = polish(built, _poor(built), deadline=np.inf, seed=0,
                      on_better=lambda r: heard.append(r.objective))
    assert polished.objective == pytest.approx(best.objective)
    assert heard == sorted(heard) and heard[-1] == polished.objective
    assert keeps_every_rule(built, polished.values)


# -- the planning process keeps the side plan only when it is better and keeps the rules --


def test_a_better_side_plan_that_keeps_every_rule_takes_the_plans_place():
    org = _small_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = _poor(built)
    adopted = side_bound.adopt(built, poor, best)
    assert adopted.objective == pytest.approx(best.objective)
    assert adopted.values == best.values
    assert adopted.bound == poor.bound and adopted.status is Status.FEASIBLE
    # a worse side plan changes nothing
    assert side_bound.adopt(built, best, poor) is best


def test_a_side_plan_that_breaks_a_rule_is_not_taken():
    org = _small_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = _poor(built)
    over = replace(org, policy=replace(org.policy, budget=org.policy.budget / 2))
    tight = build_model(over, prune=True)  # the same plan overspends this budget
    assert side_bound.adopt(tight, _poor(tight), best).objective == 0.0
    # a plan naming a placement the model does not have is not taken either
    unknown = replace(best, values=PlanValues(
        best.values.placements | {("nobody", "R", "S")}, best.values.positions))
    assert side_bound.adopt(built, poor, unknown) is poor


def test_the_side_search_sends_better_plans_ending_at_the_optimum_of_a_small_org():
    org = _small_org()
    search, keys = _converged(org)
    sent: list[SolveResult] = []
    search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
    best = plan(org, time_limit=20)
    assert sent and [p.objective for p in sent] == sorted(p.objective for p in sent)
    assert sent[-1].objective == pytest.approx(best.objective)


def test_the_side_process_puts_its_plan_in_place_of_a_poorer_one(monkeypatch):
    monkeypatch.setattr(side_bound, "SIDE_PLAN_SECONDS", 1.0)  # a small org needs little
    org = _small_org()
    built = build_model(org, prune=True)
    best = solve(built, SolveLimits(20, 0))
    poor = _poor(built)
    with side_bound.SideBound(org, SolveLimits(6, 0)) as side:
        side.finished(30)  # let it finish: the test is about what it sends
        improved = side.improve(built, poor)
    assert improved.objective == pytest.approx(best.objective)
    assert best.objective <= improved.bound < poor.bound  # the child's bound, too
    assert keeps_every_rule(built, improved.values)


def test_no_side_plan_is_sought_without_the_time_for_one():
    org = _small_org()
    built = build_model(org, prune=True)
    poor = _poor(built)
    with side_bound.SideBound(org, SolveLimits(3, 0)) as side:  # < SIDE_PLAN_SECONDS
        side.finished(30)
        kept = side.improve(built, poor)
    assert side.plan is None
    assert kept.objective == poor.objective and kept.bound < poor.bound  # bound only


def test_random_orgs_get_side_plans_that_keep_every_rule():
    for seed in range(3):
        org = canonical(random_org(seed, people=12))
        search, keys = _converged(org)
        sent: list[SolveResult] = []
        search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
        built = build_model(org, prune=True)
        for side_plan in sent:
            adopted = side_bound.adopt(built, _poor(built), side_plan)
            assert adopted.objective == pytest.approx(side_plan.objective)


@pytest.mark.parametrize("name", ["community_agency.xlsx", "regional_service.xlsx"])
def test_side_plans_of_the_samples_keep_locked_people_where_they_are(name):
    org = canonical(read_org(SAMPLES / name))
    locked = {(p.psw_id, p.current_role, p.current_service) for p in org.psws if p.lock}
    assert locked  # the samples lock someone: the dive must keep them
    search, keys = _converged(org)
    sent: list[SolveResult] = []
    search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
    assert sent
    assert locked <= sent[-1].values.placements
    built = build_model(org, prune=True)
    adopted = side_bound.adopt(built, _poor(built), sent[-1])
    assert adopted.objective == pytest.approx(sent[-1].objective)
    assert adopted.objective <= plan(org).objective + 1e-6


@pytest.mark.skipif(usable_cores() < 2, reason="the side child needs a second core")
def test_a_poorer_block_plan_gives_way_to_the_side_plan(monkeypatch):
    # the block path, and a child, small as the organisation is
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(
        blocks_per_second=0, side_bound_from=0))
    monkeypatch.setattr(side_bound, "SIDE_PLAN_SECONDS", 1.0)
    in_blocks = blocks.plan_in_blocks

    def poor_blocks(org, limits, *args, **kwargs):
        built, _ = in_blocks(org, limits, *args, **kwargs)
        time.sleep(limits.time_limit)  # the child has sent its plans by now
        empty = SolveResult(Status.FEASIBLE, 0.0, 1e6, 1.0, 1.0)
        return built, empty

    monkeypatch.setattr(blocks, "plan_in_blocks", poor_blocks)
    org = _small_org()
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    assert best.status is Status.OPTIMAL
    taken = plan(org, time_limit=6)
    assert "blocks" not in taken.model_stats  # a plan of the whole model, not the blocks
    assert taken.objective == pytest.approx(best.objective)
    assert taken.bound < 1e6  # the child's bound
    assert_plan_keeps_the_rules(org, taken)


def test_the_side_search_gives_the_same_plans_every_run(monkeypatch):
    # Parts stopped by CP-SAT's deterministic time, not the clock: the same plans each run.
    monkeypatch.setattr(polish_module, "POLISH_WORK", 0.05)
    org = canonical(generate_org(psws=60, services=16, regions=2, seed=5))
    runs = []
    for _ in range(2):
        search, keys = _converged(org)
        sent: list[SolveResult] = []
        search_plan(org, search, keys, deadline=np.inf, seed=0, on_plan=sent.append)
        runs.append([(p.objective, p.values) for p in sent])
    assert runs[0] and runs[0] == runs[1]


def test_a_work_limit_reaches_cp_sat():
    from planner.solve.solver import solver_for
    assert solver_for(SolveLimits(5, 0, work_limit=1.5)).parameters.max_deterministic_time == 1.5
