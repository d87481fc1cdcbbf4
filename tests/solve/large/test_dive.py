"""The dive (`dive`): from the converged Lagrangian master, services fixed to one plan each,
re-priced, and again, so that the plans held together keep every rule. Timing is not
tested here (see bench/)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.solve.large.dive import dive
from planner.solve.model import build_model, canonical, objective_of
from planner.solve.planning import plan
from planner.solve.solver import keeps_every_rule
from planner.solve.values import PlanValues
from tests.helpers.large import converged
from tests.helpers.orgs import psw, role, service, tiny_org, two_region_org


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dive_fixes_services_to_plans_that_together_keep_every_rule(seed):
    org = two_region_org(seed)
    search, keys = converged(org)
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
    search, keys = converged(org)
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
    search, keys = converged(org)
    twice = [p for p in search.plans if len(p.placements) == 2]
    assert twice  # the relaxation's plans hold the person twice
    fixed = dive(search, deadline=np.inf, leave=0)
    placed = [keys[c] for c in fixed.placements().tolist()]
    assert len(placed) == 1
    assert placed == [(a.psw_id, a.role_id, a.service_id) for a in plan(org).assignments]


def test_the_dive_leaves_services_for_the_completion():
    org = two_region_org()
    search, _ = converged(org)
    fixed = dive(search, deadline=np.inf, leave=4)
    assert len(fixed.plans) <= len(org.services) - 4


def test_the_dive_never_uses_a_placement_left_out():
    org = two_region_org()
    search, keys = converged(org)
    left_out = np.zeros(len(keys), dtype=bool)
    left_out[::2] = True  # every other placement, as if pruned
    fixed = dive(search, deadline=np.inf, left_out=left_out, leave=0)
    assert not left_out[fixed.placements()].any()
