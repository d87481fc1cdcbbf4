"""A part of a model solved as a model of its own (`submodel`, `polish`),
and edited variants too large for the time planned from a start, part by part
(`solve.edits`). Timing is not tested here (see bench/)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from conftest import psw, role, service, tiny_org
from plan_checks import assert_plan_keeps_the_rules
from test_frontier import best_per_person, torn_org

from planner.analyses.frontier import (
    AUTONOMY,
    FIT,
    FrontierObjective,
    frontier_sentences,
    trace_frontier,
)
from planner.analyses.insights import AtLeastPositions
from planner.analyses.workers import Variant, plan_variant
from planner.core.results import Status
from planner.solve import edits, strategy
from planner.solve.edits import StartFrom
from planner.solve.greedy import greedy_start
from planner.solve.large.polish import PartSolver, parts, polished_start
from planner.solve.large.submodel import LinearRows, NotLinear
from planner.solve.model import SCALE, build_model, canonical
from planner.solve.solver import SolveLimits, keeps_every_rule, solve, solver_for
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org


def _org():
    """Two regions, a supervisor role, a binding budget, lone peers discouraged."""
    return canonical(generate_org(psws=40, services=10, regions=2, seed=3))


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
    built = build_model(_org())
    start = greedy_start(built)
    solver = PartSolver(built)
    for free in parts(built, "regions") + parts(built, "paired"):
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
    built = build_model(_org())
    rows = LinearRows.of(built.model)
    best = solve(build_model(_org()), SolveLimits(30, 0))
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


@pytest.fixture
def too_large(monkeypatch):
    """Every edited variant counts as too large for CP-SAT's whole model in its time."""
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(edited_per_second=0))


def test_an_edited_variant_too_large_for_the_time_is_polished_from_a_start(too_large):
    org = torn_org()
    for score in (FIT, AUTONOMY):
        planned = plan_variant(Variant(org, (FrontierObjective(score),), time_limit=10))
        # the polish proves nothing, so the plan is feasible, not optimal, without a bound
        assert planned.status is Status.FEASIBLE and planned.bound is None
        reached = sum(a.fte * getattr(a, score) for a in planned.assignments)
        assert reached == pytest.approx(best_per_person(score), abs=0.01)
        assert_plan_keeps_the_rules(org, planned)


def test_a_start_that_breaks_an_added_rule_is_not_polished(too_large):
    # Both people ask for R1 and fill the demand there; the added rule asks for an R2
    # position, so the greedy plan breaks it and the whole model is solved instead.
    people = [psw("A", preferred_roles=("R1",)), psw("B", preferred_roles=("R1",))]
    org = tiny_org(psws=people, roles=[role("R1"), role("R2")])
    added = AtLeastPositions("R2", 1)
    built = build_model(org)
    added.apply(built)
    start = greedy_start(edits._valued_as_maximised(built))
    assert sorted(key[1] for key in start.placements) == ["R1", "R1"]
    assert polished_start(built, start, deadline=np.inf, seed=0) is None
    planned = plan_variant(Variant(org, (added,), time_limit=10))
    assert planned.status is Status.OPTIMAL
    assert sorted(a.role_id for a in planned.assignments) == ["R1", "R2"]


def test_a_hint_that_breaks_an_added_rule_is_not_swapped_for_the_greedy_plan(too_large):
    # The caller's hint (nobody placed) breaks the added rule; the greedy plan would keep
    # it but is not the caller's start, so the whole model is solved.
    org = tiny_org()
    added = AtLeastPositions("R1", 1)
    planned = plan_variant(Variant(org, (StartFrom(PlanValues()), added), time_limit=10))
    assert planned.status is Status.OPTIMAL and len(planned.assignments) == 2


def test_a_frontier_without_plans_says_whether_time_or_rules_stopped_it():
    from planner.analyses.frontier import Frontier
    timed_out = Frontier((), None, 7.5, 6)
    assert frontier_sentences(timed_out) == [
        "No plan was found in the 7.5 s given to each point, so there is no trade-off to "
        "show yet: allow more time per point (--time-limit)."]
    ruled_out = Frontier((), None, 7.5, 6, infeasible=True)
    assert frontier_sentences(ruled_out) == [
        "No plan satisfies the rules, so there is no trade-off to show."]


def test_a_frontier_planned_part_by_part_says_its_gap_is_unknown(too_large):
    frontier = trace_frontier(torn_org(), levels=1, jobs=1, time_limit=5)
    assert [p.status for p in frontier.points] == ["feasible"] * 3
    assert all(p.gap is None for p in frontier.points)
    assert frontier_sentences(frontier)[-1] == (
        "Points 1, 2 and 3 stopped at the time limit (gap unknown: too large to search "
        "whole in the time, planned part by part), so the true frontier may lie further out.")


@dataclass(frozen=True)
class _NotLinearRule:
    """An edit whose rule is not a linear row (an implication between two placements)."""

    def apply(self, built) -> None:
        first, second = built.x[0], built.x[1]
        built.model.add_implication(first, second)


def test_an_edit_that_is_not_a_linear_row_is_solved_whole(too_large):
    with pytest.raises(NotLinear):
        LinearRows.of(_edited(tiny_org(), _NotLinearRule()).model)
    planned = plan_variant(Variant(tiny_org(), (_NotLinearRule(),), time_limit=10))
    assert planned.status is Status.OPTIMAL


def _edited(org, edit):
    built = build_model(org)
    edit.apply(built)
    return built
