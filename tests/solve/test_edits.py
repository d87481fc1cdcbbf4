"""Plans of a model with edits (`edits`): an edited variant too large for the time is planned
from a start, part by part, unless the start or an edit does not allow it. The edits are
the ones the analyses add. Timing is not tested here (see bench/)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pytest

from planner.analyses.frontier import AUTONOMY, FIT, FrontierObjective
from planner.analyses.insights import AtLeastPositions
from planner.analyses.workers import Variant, plan_variant
from planner.core.results import Status
from planner.solve import edits, strategy
from planner.solve.edits import StartFrom
from planner.solve.greedy import greedy_start
from planner.solve.large import work
from planner.solve.large.polish import polished_start
from planner.solve.large.submodel import LinearRows, NotLinear
from planner.solve.model import build_model
from planner.solve.solver import SolveLimits
from planner.solve.values import PlanValues
from tests.helpers.orgs import best_per_person, psw, role, tiny_org, torn_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


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


def test_a_search_without_a_plan_in_the_time_keeps_a_start_that_keeps_every_rule(monkeypatch):
    from planner.solve import edits as edits_module
    from planner.solve.edits import StartFrom
    from planner.solve.planning import plan
    from planner.solve.values import PlanValues
    from tests.helpers.orgs import psw, role, tiny_org

    org = tiny_org(psws=[psw("A")], roles=[role("R")])
    start = StartFrom(PlanValues(frozenset({("A", "R", "S1")})))
    real = edits_module.solve_whole

    def no_plan(org, built, limits):  # as when the time runs out before a first plan
        found = real(org, built, limits)
        return replace(found, status=Status.UNKNOWN, kpis=None, objective=None,
                       assignments=(), vacancies=(), solve_seconds=7.5)

    monkeypatch.setattr(edits_module, "solve_whole", no_plan)
    found = plan(org, edits=(start,))
    assert found.status is Status.FEASIBLE
    assert [(a.psw_id, a.role_id) for a in found.assignments] == [("A", "R")]
    assert "the start given" in found.strategy["reason"]
    assert found.solve_seconds >= 7.5  # the search's seconds, not only the check's


def test_an_edited_models_reproducible_search_keeps_to_the_work_it_does_at_pace():
    """At 0.4 a second over a minute's counted seconds (22 units) a scenario's search near
    its baseline was cut by the clock on S02's shape and on the bundled 600-PSW sample
    (2026-12-08): fails if the cap is lifted. Short searches keep their seconds' work."""
    minute = edits._on_its_work(SolveLimits(60, reproducible=True), 55.0)
    assert minute.work_limit == work.PLAN_WORK_AT_PACE <= 8.5
    short = edits._on_its_work(SolveLimits(10, reproducible=True), 8.0)
    assert short.work_limit == pytest.approx(8.0 * work.WHOLE_WORK_PER_SECOND)
