"""A part of a model solved as a model of its own (`submodel`, through `polish.PartSolver`):
the rest held moves each row's bounds and counts in the objective as a constant.
Timing is not tested here (see bench/)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.core.results import Status
from planner.solve.greedy import greedy_start
from planner.solve.large.polish import PartSolver, parts
from planner.solve.large.submodel import LinearRows
from planner.solve.model import SCALE, build_model
from planner.solve.solver import SolveLimits, keeps_every_rule, solve, solver_for
from planner.solve.values import PlanValues
from tests.helpers.orgs import psw, role, service, tiny_org, two_region_org


def _fixed_optimum(built, held: np.ndarray, value: np.ndarray) -> float:
    """The old way: the whole model copied, the held variables fixed, solved to optimality."""
    model = built.model.clone()
    model.clear_hints()
    for index, fixed in zip(held.tolist(), value.tolist(), strict=True):
        domain = model.proto.variables[index].domain
        domain[0] = domain[1] = fixed
    solver = solver_for(SolveLimits(30, 0))
    assert solver.solve(model) == 4  # OPTIMAL
    return solver.objective_value / SCALE


def test_a_part_has_the_optimum_of_the_whole_model_with_the_rest_held():
    # The held terms move each row's bounds and count in the objective as a constant:
    # wrong shifts or a lost constant give another optimum than fixing the whole model.
    built = build_model(two_region_org())
    start = greedy_start(built)
    solver = PartSolver(built)
    for free in parts(built.org, "regions") + parts(built.org, "paired"):
        held, value = solver.held(start, free)
        found = solver.solve(start, free, 30, 30, 0)
        assert found is not None and found.status is Status.OPTIMAL
        assert found.objective == pytest.approx(_fixed_optimum(built, held, value))
        assert keeps_every_rule(built, found.values)


def test_the_budget_the_held_part_spends_is_left_for_the_free_part():
    # Budget for two people; A is held in S1, so S2 may take one of B and C, not both.
    org = tiny_org(psws=[psw("A"), psw("B"), psw("C")],
                   services=[service("S1", demand_fte=1.0), service("S2", demand_fte=2.0)],
                   roles=[role("R1", cost_per_fte=30_000.0)], budget=60_000.0)
    built = build_model(org)
    a_in_s1 = PlanValues(frozenset({("A", "R1", "S1")}))
    found = PartSolver(built).solve(a_in_s1, {"S2"}, 10, 10, 0)
    assert found is not None
    placed = sorted(found.values.placements)
    assert len(placed) == 2 and placed[0] == ("A", "R1", "S1")
    assert placed[1][2] == "S2"
    assert keeps_every_rule(built, found.values)


def test_held_values_that_break_a_row_leave_the_part_without_a_plan():
    # Two people held in S1, whose demand is one FTE: that row has no free term left.
    org = tiny_org(services=[service("S1", demand_fte=1.0), service("S2")])
    built = build_model(org)
    in_s1 = frozenset(c.key for c in built.candidates if c.service.service_id == "S1")
    assert len(in_s1) == 2
    assert PartSolver(built).solve(PlanValues(in_s1), {"S2"}, 10, 10, 0) is None


def test_rows_keep_and_score_a_plan_as_cp_sat_does():
    built = build_model(two_region_org())
    rows = LinearRows.of(built.model)
    best = solve(build_model(two_region_org()), SolveLimits(30, 0))
    greedy = greedy_start(built)
    everyone = PlanValues(frozenset(c.key for c in built.candidates))  # two places each
    kept = []
    for values in (best.values, greedy, everyone):
        kept.append(rows.keeps(values.array(built)))
        assert kept[-1] == keeps_every_rule(built, values)
        variables = values.variables(built)
        objective = sum(coef * variables[var.index] for var, coef in built.objective_terms)
        assert rows.objective(values.array(built)) == objective
    assert kept == [True, True, False]


# -- edited variants too large for the time ----------------------------------------------
