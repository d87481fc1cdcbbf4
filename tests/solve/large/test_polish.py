"""Part of a plan solved exactly, the rest held (`polish`): what is held, the completion of
a partial plan, the parts, and a plan polished to the optimum. Timing is not tested here
(see bench/)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from planner.core.results import Status
from planner.solve.large import polish as polish_module
from planner.solve.large.polish import PartSolver, parts, polish, shuffled_parts
from planner.solve.model import build_model, canonical
from planner.solve.solver import SolveLimits, keeps_every_rule, solve
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from tests.helpers.large import SWAPPED, plan_of_placements, poor_plan, swap_org
from tests.helpers.orgs import two_region_org


def test_held_values_hold_the_plan_outside_the_free_services_and_its_people_out():
    org = two_region_org()
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
    org = two_region_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    assert best.status is Status.OPTIMAL
    free = {s.service_id for s in org.services[:4]}
    kept = {i for i in best.values.chosen(built)
            if built.candidates[i].service.service_id not in free}
    vacancies = [n if slot.service.service_id not in free else 0
                 for slot, n in zip(built.vacancies, best.values.vacancies(built), strict=True)]
    partial = PlanValues.of_model(built, kept, vacancies)
    done = PartSolver(built).solve(partial, free, work=20, seconds=20, seed=0)
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
        groups = parts(org, cut)
        assert sorted(sid for g in groups for sid in g) == ids
        regions = [{built.org.services_by_id[s].region for s in g} for g in groups]
        assert all(len(r) == 1 for r in regions)  # a part lies in one region
    assert parts(org) != parts(org, "shifted")
    paired = parts(org, "paired")
    assert sorted(sid for g in paired for sid in g) == ids
    assert any(len({built.org.services_by_id[s].region for s in g}) == 2 for g in paired)


def test_shuffled_parts_cover_every_service_once_within_regions_and_differ_by_draw():
    org = canonical(generate_org(psws=120, services=40, regions=2, seed=1))
    ids = sorted(s.service_id for s in org.services)
    draw = random.Random(5)
    first, second = shuffled_parts(org, 7, draw), shuffled_parts(org, 7, draw)
    for groups in (first, second):
        assert sorted(sid for g in groups for sid in g) == ids
        assert all(len(g) <= 7 for g in groups)
        assert all(len({org.services_by_id[s].region for s in g}) == 1 for g in groups)
    assert first != second  # a new cut each draw
    assert shuffled_parts(org, 7, random.Random(5)) == first  # the same from the same seed


def test_polish_turns_an_empty_plan_into_the_optimum_of_a_small_org():
    org = two_region_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    heard: list[float] = []
    polished = polish(PartSolver(built), poor_plan(built), deadline=np.inf, seed=0,
                      on_better=lambda r: heard.append(r.objective))
    assert polished.objective == pytest.approx(best.objective)
    assert heard == sorted(heard) and heard[-1] == polished.objective
    assert keeps_every_rule(built, polished.values)


@pytest.mark.parametrize("way, size", [("grow", "GROWN_SERVICES"),
                                       ("shuffle", "SHUFFLED_SERVICES")])
def test_grown_or_drawn_parts_see_past_the_local_optimum_of_the_fixed_cuts(monkeypatch, way,
                                                                            size):
    # parts of one service: the cuts give {S1}, {S2}, ... and paired {S1, S3}, {S2, S4};
    # no part frees S1 and S2 together, so none can swap the two people back. Grown to
    # two services, or drawn in pairs (it then ends once every pair it draws is proven)
    monkeypatch.setattr(polish_module, "POLISH_SERVICES", 1)
    monkeypatch.setattr(polish_module, size, 2)
    org = swap_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    swapped = plan_of_placements(built, SWAPPED)
    assert swapped.objective < best.objective - 1e-6
    stuck = polish(PartSolver(built), swapped, deadline=np.inf, seed=0, on_better=print)
    assert stuck.objective == pytest.approx(swapped.objective)
    seen = polish(PartSolver(built), swapped, deadline=np.inf, seed=0, on_better=print,
                  **{way: True})
    assert seen.objective == pytest.approx(best.objective)
    assert keeps_every_rule(built, seen.values)


def test_a_part_proven_optimal_is_not_solved_again_while_the_plan_is_the_same():
    # one region of four services: every cut at twelve services is the one part
    org = swap_org()
    built = build_model(org)
    best = solve(built, SolveLimits(20, 0))
    solver = PartSolver(built)
    kept = polish(solver, best, deadline=np.inf, seed=0, on_better=print)
    assert kept.objective == pytest.approx(best.objective)
    assert solver.parts == 1  # the three cuts are the same part, proven at the first
