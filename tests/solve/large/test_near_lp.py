"""The joined block plan searched again near the LP's solution (`near_lp`): the model holds
the plan, the LP's support and each person's best placements by the LP's prices, and holds
the placements the plan and the LP agree on; a plan found there keeps every rule of the
whole model and scores there what it scores here; the block path takes it before its
polish; the whole model's plan is searched near the LP too, in widening neighbourhoods, in
the last tenth of its time. Timing is not tested here (see bench/)."""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pytest

from planner.core.results import Status
from planner.reports.narrative import proof_sentence
from planner.solve import planning, strategy
from planner.solve import whole as whole_path
from planner.solve.greedy import greedy_start
from planner.solve.large import blocks, near_lp
from planner.solve.large.lp_bound import lp_bound, reduced_costs
from planner.solve.large.near_lp import (
    BEST_PER_PERSON,
    FOUND,
    HIGHS_MIN_SECONDS,
    WHOLE_SHARE,
    WHOLE_WIDTHS,
    highs_near_the_lp,
    near_the_lp,
    near_the_lp_of_the_whole,
    placements_near,
    positions_near,
    settled,
    width_for,
)
from planner.solve.large.side_bound import NoSideBound, adopt
from planner.solve.large.work import WorkBudget
from planner.solve.model import build_model, canonical, objective_points, vacancy_options
from planner.solve.planning import plan
from planner.solve.solver import (
    SolveLimits,
    SolveResult,
    against_bound,
    keeps_every_rule,
    solve,
)
from planner.workbook.generate import generate_org
from tests.helpers.large import poor_plan
from tests.helpers.orgs import two_region_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


def _setting():
    org = canonical(two_region_org())
    relaxation = lp_bound(org).relaxation
    assert relaxation is not None
    whole = build_model(org, prune=True)
    return org, relaxation, whole, {c.key: c for c in whole.candidates}


def test_the_model_near_the_lp_holds_the_plan_the_lp_support_and_each_best_placement():
    org, relaxation, whole, known = _setting()
    start = poor_plan(whole, chosen=[0])  # one placement of the whole model's
    near = {c.key for c in placements_near(org, relaxation, start, known)}
    keys = relaxation.cols.keys(org)
    support = {keys[i] for i in relaxation.placements[relaxation.values > 1e-6].tolist()}
    reduced = reduced_costs(relaxation.rows, relaxation.cols, relaxation.duals)
    of_person: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        of_person.setdefault(key[0], []).append(i)
    best = {keys[i] for columns in of_person.values()  # highest first, on a tie the first
            for i in sorted(columns, key=lambda i: (-reduced[i], i))[:BEST_PER_PERSON]}
    assert BEST_PER_PERSON == 2 and len(best) > len(of_person)
    assert start.values.placements <= near
    assert support and support <= near
    assert best <= near
    assert len(near) < len(whole.candidates)  # not the whole model
    # only the plan's and those the LP points to: a placement of neither is left out
    assert near == start.values.placements | support | best


def test_the_wider_the_organisation_the_fewer_placements_a_person_near_the_lp():
    # each person's best up to eight, as many as keep the model to about 12,000
    assert [width_for(n) for n in (160, 1_000, 2_000, 3_000, 5_000, 10_000)] \
        == [8, 8, 6, 4, 2, 2]


def test_only_the_allowed_placements_are_added_when_the_plan_must_stay_a_whole_models():
    org, relaxation, whole, known = _setting()
    start = poor_plan(whole)
    allowed = dict(list(known.items())[::2])
    near = {c.key for c in placements_near(org, relaxation, start, known, allowed)}
    assert near and near <= allowed.keys()


def test_the_positions_near_the_lp_are_the_plans_and_those_the_lp_recruits_for():
    org, relaxation, whole, _ = _setting()
    start = poor_plan(whole, vacancies=[1] + [0] * (len(whole.vacancies) - 1))
    near = positions_near(org, relaxation, start)
    options = [(role.role_id, service.service_id) for role, service, _ in vacancy_options(org)]
    recruited = {options[i] for i in np.flatnonzero(relaxation.vacancies > 1e-6)}
    assert recruited and set(start.values.positions) - recruited
    assert near == recruited | set(start.values.positions)
    assert len(near) < len(whole.vacancies)


def test_a_plan_found_near_the_lp_keeps_every_rule_and_scores_the_same_on_the_whole_model():
    """(Fails if a rule is missing from the model near the LP, or its objective differs.)"""
    org, relaxation, whole, known = _setting()
    start = poor_plan(whole)  # places nobody
    work = WorkBudget(5.0)
    near = near_the_lp(org, relaxation, start, known, work, time.perf_counter() + 30, 0)
    found = near.result
    assert found.objective > start.objective + 1.0
    assert work.left < 5.0  # its work is taken off the budget
    unpruned = build_model(org)
    assert keeps_every_rule(unpruned, found.values)
    assert objective_points(unpruned.objective_terms, found.values.variables(unpruned)) \
        == pytest.approx(found.objective)
    assert found.bound == start.bound  # the LP's bound: nothing is proven here


def test_the_placements_the_plan_and_the_lp_agree_on_are_held():
    """(Fails if they are left free in the search.)"""
    org, relaxation, whole, known = _setting()
    first = near_the_lp(org, relaxation, poor_plan(whole), known, WorkBudget(5.0),
                        time.perf_counter() + 30, 0).result
    held = settled(org, relaxation, first)
    keys = relaxation.cols.keys(org)
    lp_whole = {keys[i] for i in relaxation.placements[relaxation.values > 1 - 1e-6]}
    assert held and held == lp_whole & first.values.placements
    again = near_the_lp(org, relaxation, first, known, WorkBudget(5.0),
                        time.perf_counter() + 30, 0)
    assert again.built is not None
    fixed = {(tuple(ct.linear.vars), tuple(ct.linear.domain))
             for ct in again.built.model.proto.constraints if ct.has_linear()}
    for key in held:
        var = again.built.x[again.built.candidate_index[key]].index
        assert ((var,), (1, 1)) in fixed
    assert held <= again.result.values.placements


def test_highs_near_the_lp_finds_a_better_plan_of_the_whole_model_that_keeps_every_rule():
    """(Fails if a rule is missing from the model near the LP, or its objective differs.)"""
    org, relaxation, whole, _ = _setting()
    start = poor_plan(whole)  # places nobody
    found = highs_near_the_lp(org, relaxation, whole, start, time.perf_counter() + 30, 0)
    assert found.objective > start.objective + 1.0
    assert found.values.fits(whole) and keeps_every_rule(whole, found.values)
    unpruned = build_model(org)
    assert objective_points(unpruned.objective_terms, found.values.variables(unpruned)) \
        == pytest.approx(found.objective)
    assert found.bound == start.bound  # nothing is proven here
    # from the best plan there is nothing better to find: the plan itself comes back
    assert highs_near_the_lp(org, relaxation, whole, found, time.perf_counter() + 30,
                             0) is found
    # nor is it started with less time than its first plans take
    assert highs_near_the_lp(org, relaxation, whole, start,
                             time.perf_counter() + HIGHS_MIN_SECONDS - 1, 0) is start


def test_with_no_time_or_no_work_left_the_plan_is_kept_as_it_is():
    org, relaxation, whole, known = _setting()
    start = poor_plan(whole)
    for work, seconds in ((5.0, 0.0), (0.0, 30.0)):
        near = near_the_lp(org, relaxation, start, known, WorkBudget(work),
                           time.perf_counter() + seconds, 0)
        assert near.result is start and near.built is None


@pytest.fixture
def searched_near_the_lp(monkeypatch):
    """Every plan on the block path; each search near the LP: the joined plan's objective
    and the plan it gives."""
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(large=0))
    seen: list[tuple[float, float]] = []
    original = blocks.near_the_lp

    def spy(org, relaxation, result, known, work, deadline, seed, allowed, most):
        assert most == width_for(len(org.psws))
        near = original(org, relaxation, result, known, work, deadline, seed, allowed, most)
        seen.append((result.objective, near.result.objective))
        return near

    monkeypatch.setattr(blocks, "near_the_lp", spy)
    return seen


def test_the_block_path_takes_the_better_plan_near_the_lp_and_keeps_every_rule(
        searched_near_the_lp):
    """(Fails if the search near the LP is left out: its plan would not be taken.)"""
    org = generate_org(psws=160, services=32, regions=3, seed=7)
    result = plan(org, time_limit=20)
    assert result.strategy["path"] == "blocks"
    [(joined, near)] = searched_near_the_lp
    assert near > joined + 1.0
    assert result.objective >= near - 1e-6  # the polish after it only adds
    assert result.model_stats[FOUND] == 1
    assert "then re-planned as a whole over each person's most promising placements" \
        in proof_sentence(result)
    assert result.bound >= result.objective
    assert math.isfinite(result.bound)
    assert_plan_keeps_the_rules(org, result)


def test_the_whole_models_plan_is_searched_in_widening_neighbourhoods_each_from_the_best(
        monkeypatch):
    """(Fails if the searches are not widened, or if the second does not start from the
    plan the first found.)"""
    org, _, whole, _ = _setting()
    start = poor_plan(whole)  # places nobody
    seen: list[tuple[int, float, float]] = []
    original = near_lp.near_the_lp

    def spy(org, relaxation, plan, known, work, deadline, seed, allowed, most):
        near = original(org, relaxation, plan, known, work, deadline, seed, allowed, most)
        seen.append((most, plan.objective, near.result.objective))
        return near

    monkeypatch.setattr(near_lp, "near_the_lp", spy)
    found = near_the_lp_of_the_whole(org, whole, start, time.perf_counter() + 30, 0)
    assert [most for most, _, _ in seen] == list(WHOLE_WIDTHS) and WHOLE_WIDTHS[0] < WHOLE_WIDTHS[1]
    (_, first_from, first), (_, second_from, second) = seen
    assert first_from == start.objective and first > start.objective + 1.0
    assert second_from == first and found.objective == max(first, second)
    unpruned = build_model(org)
    assert keeps_every_rule(unpruned, found.values)
    assert found.bound == start.bound  # its own bound: the LP's is weaker


def test_a_proven_plan_of_the_whole_model_is_not_searched_again():
    org, _, whole, _ = _setting()
    proven = replace(poor_plan(whole), status=Status.OPTIMAL)
    assert near_the_lp_of_the_whole(org, whole, proven, time.perf_counter() + 30, 0) is proven


@pytest.fixture
def cut_short(monkeypatch):
    """CP-SAT on the whole model stops with a plan that places nobody; the limits it
    was given."""
    given = []

    def poor(built, limits, progress=None, stop=None):
        given.append(limits)
        return poor_plan(built)

    monkeypatch.setattr(whole_path, "solve", poor)
    return given


def test_the_whole_models_search_leaves_its_last_tenth_to_the_search_near_the_lp(cut_short):
    """(Fails if the whole model's path leaves the search out: the plan would place nobody.)"""
    result = plan(two_region_org(), time_limit=20)
    assert result.strategy["path"] == "whole model"
    [limits] = cut_short
    assert limits.time_limit <= 20 * (1 - WHOLE_SHARE) + 1e-9
    assert result.assignments and result.model_stats[FOUND] == 1
    assert_plan_keeps_the_rules(two_region_org(), result)
    assert "re-planned over each person's most promising placements" in proof_sentence(result)


def test_the_whole_models_plan_is_then_polished_in_its_last_share_of_the_time(
        cut_short, monkeypatch):
    """(Fails if the whole model's path leaves the polish out: the plan would be the
    greedy one the searches near the LP are made to return here.)"""
    org = two_region_org()
    whole = build_model(org, prune=True)
    greedy = greedy_start(whole)
    points = objective_points(whole.objective_terms, greedy.variables(whole))
    monkeypatch.setattr(planning.near_lp, "near_the_lp_of_the_whole",
                        lambda org, built, plan, deadline, seed, seconds=None: against_bound(
                            points, plan.bound, plan.seconds, greedy))
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    assert points < best.objective - 1
    result = plan(org, time_limit=20)
    [limits] = cut_short
    assert limits.time_limit <= 20 * (1 - WHOLE_SHARE - planning.WHOLE_POLISH_SHARE) + 1e-9
    assert result.objective == pytest.approx(best.objective)
    assert result.model_stats["polished_parts"] > 0
    assert result.model_stats["improved_by_the_polish"] == 1
    assert "then re-planned over each person's most promising placements and improved a few " \
        "services at a time" in proof_sentence(result)
    assert_plan_keeps_the_rules(org, result)


def test_a_polish_that_finds_nothing_better_is_not_said_to_have_improved_the_plan(
        cut_short, monkeypatch):
    """The polish re-solves parts of a plan that is already the best: the report says
    nothing of an improvement. (Fails if the sentence follows the parts solved, not a
    better plan found.)"""
    org = two_region_org()
    best = solve(build_model(org, prune=True), SolveLimits(20, 0))
    assert best.status is Status.OPTIMAL
    monkeypatch.setattr(planning.near_lp, "near_the_lp_of_the_whole",
                        lambda org, built, plan, deadline, seed, seconds=None: against_bound(
                            best.objective, best.objective + 10.0, plan.seconds, best.values))
    result = plan(org, time_limit=20)
    assert result.objective == pytest.approx(best.objective)
    assert result.model_stats["polished_parts"] > 0
    assert "improved_by_the_polish" not in result.model_stats
    assert "improved" not in proof_sentence(result)


class _LateChild(NoSideBound):
    """A side child with no plan when CP-SAT's search ends (`improve`, inherited, keeps
    CP-SAT's) whose better plan (`late`) arrives while the search near the LP runs
    (HiGHS beside the whole model sends plans to the last second)."""

    def __init__(self, late: SolveResult):
        super().__init__()
        self.late, self.asked = late, 0

    def plan_for(self, built, result):
        self.asked += 1
        if (result.objective or 0.0) >= (self.late.objective or 0.0):
            return None
        return adopt(built, result, self.late)


def test_a_plan_the_child_sends_during_the_search_near_the_lp_is_taken(cut_short, monkeypatch):
    """(Fails if the whole model's path reads the child's plans only before its search near
    the LP: the plan would be the search's, short of the child's.)"""
    org = canonical(two_region_org())
    whole = build_model(org, prune=True)
    best = solve(whole, SolveLimits(time_limit=10))
    assert best.status is Status.OPTIMAL
    child = _LateChild(best)
    monkeypatch.setattr(planning, "NoSideBound", lambda: child)
    # the search near the LP finds something, short of the child's plan
    monkeypatch.setattr(near_lp, "near_the_lp_of_the_whole",
                        lambda org, built, plan, deadline, seed, seconds=None:
                        poor_plan(built, chosen=[0]))
    result = plan(two_region_org(), time_limit=20)
    assert child.asked == 1
    assert result.objective == pytest.approx(best.objective)
    assert result.objective > poor_plan(whole, chosen=[0]).objective + 1.0
    assert FOUND not in result.model_stats  # the plan is the child's, not the search's
    assert "re-planned" not in (proof_sentence(result) or "")
    assert_plan_keeps_the_rules(two_region_org(), result)
