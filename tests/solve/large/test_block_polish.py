"""The joined block plan polished on the whole model (`block_polish`): it keeps every
rule, never scores less than the joined plan, finds more where the blocks held people and
budget apart, spends only its share of the work, and gives the same plan every run.
Timing is not tested here (see bench/)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from planner.core.results import Status
from planner.reports.narrative import proof_sentence
from planner.solve import planning, strategy
from planner.solve.large import blocks
from planner.solve.large import polish as polish_module
from planner.solve.large.block_polish import (
    IMPROVED,
    POLISHED,
    Joined,
    PolishOn,
    polished_on_whole,
)
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.near_lp import FOUND
from planner.solve.large.work import WorkBudget
from planner.solve.model import BuiltModel, build_model, canonical, objective_of
from planner.solve.planning import limits_for, plan
from planner.solve.solver import SolveLimits, SolveResult, keeps_every_rule, solve
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from tests.helpers.busy import as_if_slower
from tests.helpers.large import SWAPPED, plan_of_placements, spy_on_the_polish, swap_org
from tests.helpers.orgs import psw, role, tiny_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


@pytest.fixture
def in_blocks_polished(monkeypatch):
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(large=0))


@pytest.fixture
def joined_and_polished(monkeypatch):
    """Each call of `polished`: the joined plan's objective and the polished one's."""
    return spy_on_the_polish(monkeypatch)


def _org(seed: int = 7):
    return generate_org(psws=160, services=32, regions=3, seed=seed)


def test_a_polished_block_plan_keeps_every_rule_and_finds_what_the_blocks_held_apart(
        in_blocks_polished, joined_and_polished):
    """People and budget held in one block each: re-solved on the whole model, parts
    move them. (Fails if the polish is left out: the plan would be the joined one.)"""
    org = _org()
    result = plan(org, time_limit=20)
    assert result.strategy["polish"] == "whole model"
    assert result.model_stats[POLISHED] > 0 and result.model_stats["blocks"] >= 3
    # the whole model's placements, not only those inside a block
    assert result.model_stats["candidates"] == len(build_model(org, prune=True).candidates)
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.bound >= result.objective
    assert_plan_keeps_the_rules(org, result)
    [(joined, polished)] = joined_and_polished
    assert polished > joined + 1.0
    assert result.objective == pytest.approx(polished)
    assert "then improved a few services at a time" in proof_sentence(result)


def test_without_the_polish_the_block_plan_is_the_blocks_view():
    org = canonical(_org())
    built = blocks.plan_in_blocks(org, limits_for(org, time_limit=5), polish=None).built
    assert POLISHED not in built.stats
    assert built.stats["candidates"] > len(built.candidates)  # the blocks' placements only


def test_a_reproducible_polished_block_plan_is_the_same_every_run(in_blocks_polished, monkeypatch):
    as_if_slower(monkeypatch)  # no search cut, whatever the runner's load
    org = _org(seed=8)
    first, second = (plan(org, time_limit=10, reproducible=True) for _ in range(2))
    assert first.model_stats[POLISHED] > 0
    assert first.objective == second.objective, (first.model_stats, second.model_stats,
                                                 first.solve_seconds, second.solve_seconds)
    assert first.assignments == second.assignments
    assert first.vacancies == second.vacancies


@pytest.mark.parametrize("reproducible", [True, False])
def test_the_polish_spends_its_share_of_the_work_when_reproducible_else_the_time_left(
        monkeypatch, reproducible):
    """Given no work, a reproducible plan's polish solves no part, however much time is
    left; a plan on the clock polishes in the time the steps before it left. (The second
    fails if the polish keeps to its work on the clock too.)"""
    org = canonical(_org())
    monkeypatch.setitem(blocks.SHARE, PolishOn.WHOLE_MODEL, 0.0)
    monkeypatch.setattr(blocks, "NEAR_LP_SHARE", 0.0)  # nor what the search near the LP leaves
    monkeypatch.setattr(blocks, "_merge_neighbours",
                        lambda org, parts, limits, left, report, work, width=1:
                        (setattr(work, "left", 0.0), parts)[1])
    limits = limits_for(org, time_limit=30, reproducible=reproducible)
    planned = blocks.plan_in_blocks(org, limits, polish=PolishOn.WHOLE_MODEL)
    built, result = planned.built, planned.result
    assert result.objective is not None
    if reproducible:
        assert built.stats[POLISHED] == 0  # the whole model, no part solved
    else:
        assert built.stats[POLISHED] > 0


def test_the_polish_goes_on_to_its_own_deadline_past_the_blocks_time_limit(monkeypatch):
    """Beside a child seeking plans the blocks keep time to build the whole model for a
    check; polished on the whole model, that time is the polish's (`polish_until`)."""
    org = canonical(_org())
    deadlines: list[float] = []
    original = blocks.polished

    def spy(joined, work, deadline, *args):
        deadlines.append(deadline)
        return original(joined, work, time.perf_counter(), *args)  # no part: a quick test

    monkeypatch.setattr(blocks, "polished", spy)
    limits = limits_for(org, time_limit=5)
    began = time.perf_counter()
    blocks.plan_in_blocks(org, limits, polish=PolishOn.WHOLE_MODEL, polish_until=began + 99)
    blocks.plan_in_blocks(org, limits, polish=PolishOn.WHOLE_MODEL)
    assert deadlines[0] == began + 99
    assert deadlines[1] < began + 99 - 50  # the blocks' own time limit


def test_the_child_s_plan_is_checked_on_the_whole_model_the_block_plan_was_polished_on(
        monkeypatch):
    """No second build of the whole model for the check (its time went to the polish)."""
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(
        large=0, side_bound_from=0, side_plan_below=0, lagrange_below=10**9))
    monkeypatch.setattr(strategy, "spare_core", lambda limits: True)
    checked: list[BuiltModel | None] = []
    original = planning._block_or_side_plan

    def spy(org, built, result, side, whole=None):
        checked.append(whole)
        return original(org, built, result, side, whole)

    monkeypatch.setattr(planning, "_block_or_side_plan", spy)
    made = plan(_org(), time_limit=10)
    assert made.strategy["side_work"] == "lagrange" and made.strategy["polish"] == "whole model"
    assert checked and checked[0] is not None and not checked[0].is_view
    assert made.model_stats[POLISHED] > 0


def test_a_block_plan_holding_a_pruned_placement_is_still_polished_on_the_whole_model():
    """The search near the LP may choose a placement the whole model prunes (a tie): the
    plan is swapped onto the one that dominates it, and polished. (Fails without the
    swap: the plan is not one of the whole model, and the joined view comes back.)"""
    org = canonical(tiny_org(psws=[psw("A"), psw("B")],
                             roles=[role("GOOD", saliency=3),
                                    role("DEAR", saliency=3, cost_per_fte=40_000)]))
    plain, whole = build_model(org), build_model(org, prune=True)
    values = PlanValues(frozenset({("A", "DEAR", "S1")}))  # B placed nowhere
    placed = [plain.candidates[i] for i in values.chosen(plain)]
    objective = objective_of(org, placed, [])
    joined = Joined(plain, SolveResult(Status.FEASIBLE, objective, 10 * objective, None, 0.0,
                                       values), blocks=1, after_merging=1)
    built, polished = polished_on_whole(joined, whole, None, time.perf_counter() + 30, 0,
                                        lambda result: None)
    assert built is whole
    assert polished.objective > objective  # B placed by the polish
    assert keeps_every_rule(whole, polished.values)


@pytest.mark.parametrize("on_the_clock", [True, False])
def test_on_the_clock_highs_searches_near_the_lp_before_the_parts(monkeypatch, on_the_clock):
    """The swapped plan is a local optimum of parts of one service; HiGHS's search near the
    LP, first on the clock, swaps the two back, and the report's claims follow what found
    the plan. (Fails without the search.) On its work (reproducible) there is no search:
    HiGHS stopped by the clock would not repeat."""
    monkeypatch.setattr(polish_module, "POLISH_SERVICES", 1)
    org = swap_org()
    whole = build_model(org, prune=True)
    best = solve(whole, SolveLimits(20, 0))
    swapped = plan_of_placements(whole, SWAPPED)
    assert swapped.objective < best.objective - 1e-6
    joined = Joined(build_model(org), replace(swapped, bound=2 * best.objective), blocks=1,
                    after_merging=1, relaxation=lp_bound(org).relaxation)
    built, polished = polished_on_whole(joined, whole, None if on_the_clock else WorkBudget(5.0),
                                        time.perf_counter() + 30, 0, lambda result: None)
    assert built is whole and keeps_every_rule(whole, polished.values)
    assert built.stats[POLISHED] > 0  # the parts ran after it
    if on_the_clock:
        assert polished.objective == pytest.approx(best.objective)
        assert built.stats[FOUND] == 1 and IMPROVED not in built.stats  # HiGHS's, not theirs
    else:
        assert polished.objective == pytest.approx(swapped.objective)
        assert built.stats[FOUND] == 0
