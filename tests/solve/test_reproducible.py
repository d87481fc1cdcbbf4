"""A reproducible plan (`planner plan --reproducible`): every search stops at a set amount
of CP-SAT's work, so the same organisation and seed give the same plan; the searches the
clock cuts are counted, and the report says the plan repeats only when none was."""

from __future__ import annotations

import json
import math
import threading
from dataclasses import replace

import pytest
from click.testing import CliRunner

from planner.cli import cli
from planner.core.results import CUT_BY_THE_CLOCK, Status
from planner.reports.narrative import proof_sentence
from planner.solve import edits, planning, strategy
from planner.solve.edits import StayNear
from planner.solve.large import side_bound, work
from planner.solve.large.side_bound import Converged, Finished, SideBound, SideWork
from planner.solve.model import build_model, canonical
from planner.solve.planning import plan
from planner.solve.solver import CLOCK_CUTS, SolveLimits, SolveResult, relative_gap, solve
from planner.solve.strategy import SolvePath, choose_strategy
from planner.solve.values import PlanValues
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook
from tests.helpers.busy import as_if_slower
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


@pytest.fixture(autouse=True)
def _busy_machine(monkeypatch):
    """Every plan here is sized as for a machine at 60 % of the measured work rates:
    the tests assert that no search was cut, whatever the runner's load."""
    as_if_slower(monkeypatch)


def _org():
    """Large enough that CP-SAT proves nothing in a few seconds (3,400 placements)."""
    return generate_org(psws=120, services=30, regions=2, seed=3)


def _placements(result):
    return sorted((a.psw_id, a.role_id, a.service_id) for a in result.assignments)


def test_a_search_stopped_by_the_clock_is_counted_and_one_stopped_by_its_work_is_not():
    built = build_model(canonical(_org()), prune=True)
    before = CLOCK_CUTS.count
    on_work = solve(built, SolveLimits(time_limit=30, work_limit=0.3))
    assert on_work.status is Status.FEASIBLE and not on_work.on_the_clock
    assert CLOCK_CUTS.count == before
    on_clock = solve(build_model(canonical(_org()), prune=True), SolveLimits(time_limit=0.5))
    assert on_clock.status is Status.FEASIBLE and on_clock.on_the_clock
    assert CLOCK_CUTS.count == before + 1


def test_a_reproducible_plan_stops_every_search_on_its_work_and_repeats():
    """(Fails if a step of the whole model's path keeps the clock: CP-SAT's search, the
    searches near the LP or the polish would be counted as cut.)"""
    org = _org()
    first = plan(org, time_limit=6, reproducible=True)
    second = plan(org, time_limit=6, reproducible=True)
    assert first.status is Status.FEASIBLE  # not proven: the searches stopped on work
    assert first.strategy["path"] == "whole model" and first.strategy["reproducible"]
    assert first.model_stats[CUT_BY_THE_CLOCK] == 0
    assert first.model_stats["polished_parts"] > 0
    assert first.objective == second.objective
    assert _placements(first) == _placements(second)
    assert first.vacancies == second.vacancies
    assert_plan_keeps_the_rules(org, first)
    assert "give this plan again on this machine" in proof_sentence(first)


def test_a_plan_on_the_clock_is_not_said_to_repeat(monkeypatch):
    """A reproducible plan whose machine fell behind (here: the work of far more seconds
    than the limit leaves) counts its cuts and makes no claim to repeat."""
    monkeypatch.setattr(planning, "PLAN_WORK_PER_SECOND", 50.0)
    monkeypatch.setattr(work, "PLAN_WORK_AT_PACE", math.inf)
    result = plan(_org(), time_limit=4, reproducible=True)
    assert result.model_stats[CUT_BY_THE_CLOCK] > 0
    assert "again" not in proof_sentence(result)
    assert "stopped at its time limit" in proof_sentence(result)
    default = plan(_org(), time_limit=4)
    assert CUT_BY_THE_CLOCK not in default.model_stats and not default.strategy["reproducible"]


def test_a_reproducible_plans_child_gives_only_its_converged_bound(monkeypatch):
    """The child's plans arrive when its clock lets them; its Lagrangian bound, once
    converged, is the same on every run."""
    monkeypatch.setattr(strategy, "spare_core", lambda limits: True)
    small = generate_org(psws=300, services=60, regions=3, seed=5)  # 14,000 placements
    assert choose_strategy(small, SolveLimits(60)).side_work is SideWork.HIGHS
    assert choose_strategy(small, SolveLimits(60, reproducible=True)).side_work is None
    larger = generate_org(psws=400, services=80, regions=3, seed=5)  # 24,000
    assert choose_strategy(larger, SolveLimits(60)).side_work is SideWork.LAGRANGE_THEN_HIGHS
    chosen = choose_strategy(larger, SolveLimits(60, reproducible=True))
    assert chosen.side_work is SideWork.CONVERGED_BOUND and chosen.reproducible
    assert not chosen.seeks_side_plans
    blocks = choose_strategy(larger, SolveLimits(20))  # beside blocks: plans from the bound
    assert blocks.path is SolvePath.BLOCKS and blocks.side_work is SideWork.LAGRANGE
    chosen = choose_strategy(larger, SolveLimits(20, reproducible=True))
    assert chosen.side_work is SideWork.CONVERGED_PLAN and chosen.seeks_side_plans
    assert chosen.polish is not None  # the block plan polished on its work meanwhile


def _child_that_heard(work: SideWork, *messages) -> SideBound:
    """A SideBound as its reader thread leaves it after `messages` (no child started)."""
    child = SideBound.__new__(SideBound)
    child.best, child.converged, child.plan, child.work = math.inf, math.inf, None, work
    child.last_word = None
    child.proven, child._lock = threading.Event(), threading.Lock()
    for message in messages:
        child._heard(message)
    return child


def test_only_the_converged_bound_tightens_a_reproducible_plan():
    """(Fails if a reproducible plan takes the child's bound of the moment, which depends
    on how far its rounds got by then.)"""
    result = SolveResult(Status.FEASIBLE, 90.0, 110.0, relative_gap(90.0, 110.0), 1.0)
    heard = (104.0, 100.0, Converged(103.0))
    assert _child_that_heard(SideWork.LAGRANGE, *heard).tighten(result).bound == 100.0
    converged = _child_that_heard(SideWork.CONVERGED_BOUND, *heard)
    assert converged.tighten(result).bound == 103.0
    before = CLOCK_CUTS.count
    converged.settle(0.0)
    assert CLOCK_CUTS.count == before
    unconverged = _child_that_heard(SideWork.CONVERGED_BOUND, 104.0, 100.0)
    assert unconverged.tighten(result).bound == 110.0
    unconverged.settle(0.0)  # its bound is not the one a faster run would have had
    assert CLOCK_CUTS.count == before + 1


def test_a_reproducible_childs_plan_is_taken_once_finished_with_its_cuts():
    """Beside a reproducible block plan the child sends one plan, at its end, with the
    searches its clock cut; the parent counts those, or one when no plan came."""
    result = SolveResult(Status.FEASIBLE, 90.0, 110.0, relative_gap(90.0, 110.0), 1.0)
    side = SolveResult(Status.FEASIBLE, 95.0, None, None, 1.0)
    before = CLOCK_CUTS.count
    finished = _child_that_heard(SideWork.CONVERGED_PLAN, Converged(103.0), Finished(side, 0))
    assert finished.offers_more_than(result) and finished.plan is side
    finished.settle(0.0)
    assert CLOCK_CUTS.count == before
    _child_that_heard(SideWork.CONVERGED_PLAN, Converged(103.0), Finished(side, 2)).settle(0.0)
    assert CLOCK_CUTS.count == before + 2
    silent = _child_that_heard(SideWork.CONVERGED_PLAN, Converged(103.0))
    assert not silent.offers_more_than(result)
    silent.settle(0.0)  # the plan a faster run would have had did not come
    assert CLOCK_CUTS.count == before + 3


def test_a_reproducible_block_plan_beside_the_childs_plan_repeats(monkeypatch):
    """Beside blocks the child finds a plan from the converged bound's master, every step
    on its work: here it scores more than the block plan and is taken (a plan of the
    whole model, no blocks in its stats), the same plan and bound on every run. (The
    blocks are chosen from 500 placements a second, to plan them in 30 s, and the child's
    polish has a quarter of its work, so that a busy machine still ends on it.)"""
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(blocks_per_second=500))
    monkeypatch.setattr(side_bound, "SIDE_POLISH_SHARE", 0.05)
    org = generate_org(psws=400, services=80, regions=3, seed=5)
    first = plan(org, time_limit=30, reproducible=True)
    if first.strategy["side_work"] is None:  # no spare core (a one-CPU machine)
        assert first.model_stats[CUT_BY_THE_CLOCK] == 0
        return
    second = plan(org, time_limit=30, reproducible=True)
    assert first.strategy["side_work"] == "converged bound and plan"
    assert first.model_stats[CUT_BY_THE_CLOCK] == 0 == second.model_stats[CUT_BY_THE_CLOCK]
    assert "blocks" not in first.model_stats  # the child's plan
    assert (first.objective, first.bound) == (second.objective, second.bound)
    assert _placements(first) == _placements(second)
    assert_plan_keeps_the_rules(org, first)


def test_the_proof_sentence_of_a_reproducible_block_plan():
    result = plan(_org(), time_limit=6, reproducible=True)
    blocks = replace(result, model_stats={**result.model_stats, "blocks": 4,
                                          CUT_BY_THE_CLOCK: 0})  # as on a machine not busy
    assert proof_sentence(blocks).endswith(
        "Every search stopped at a set amount of work. The same workbook and seed give this "
        "plan again on this machine.")


def test_the_cli_plans_reproducibly_and_refuses_fast_with_it(tmp_path):
    path = tmp_path / "org.xlsx"
    write_workbook(path, _org())
    runner = CliRunner()
    done = runner.invoke(cli, ["plan", str(path), "-o", str(tmp_path / "a"), "--quiet",
                               "--time-limit", "12", "--reproducible"])
    assert done.exit_code == 0, done.output
    planned = json.loads((tmp_path / "a" / "plan.json").read_text())
    assert planned["strategy"]["reproducible"] is True
    assert planned["model_stats"][CUT_BY_THE_CLOCK] == 0
    refused = runner.invoke(cli, ["plan", str(path), "-o", str(tmp_path / "b"),
                                  "--reproducible", "--fast"])
    assert refused.exit_code != 0
    assert "reproducible plan needs one search worker" in refused.output
    assert not (tmp_path / "b" / "plan.json").exists()


def test_an_edited_models_reproducible_plan_stops_on_its_work_and_repeats(monkeypatch):
    """A scenario planned near its baseline (`StayNear`, as `planner compare` plans it):
    fails if the edited whole model's search keeps the clock. (Its work is counted at a
    quarter of the rate, so that a busy machine still ends on it.)"""
    monkeypatch.setattr(edits, "WHOLE_WORK_PER_SECOND", 0.1)
    org = _org()
    near = (StayNear(PlanValues.of_plan(plan(org, time_limit=2))),)
    first, second = (plan(org, time_limit=4, reproducible=True, edits=near) for _ in range(2))
    assert first.strategy["path"] == "whole model" and first.strategy["reproducible"]
    assert first.status is Status.FEASIBLE  # not proven: the search stopped on its work
    assert first.model_stats[CUT_BY_THE_CLOCK] == 0 == second.model_stats[CUT_BY_THE_CLOCK]
    assert (first.objective, _placements(first)) == (second.objective, _placements(second))
    assert first.repeats


def test_an_edited_model_improved_part_by_part_stops_on_its_work_and_repeats(monkeypatch):
    """The part-by-part path of an edited model too large to solve whole (here: the
    threshold lowered), from the greedy start: fails if its polish is not given the work
    of the counted seconds (with little of it, the plan stops short of the clock's)."""
    org = _org()
    near = (StayNear(PlanValues.of_plan(plan(org, time_limit=2))),)
    monkeypatch.setattr(strategy, "THRESHOLDS",
                        replace(strategy.THRESHOLDS, edited_reproducible_per_second=1))
    monkeypatch.setattr(work, "POLISH_WORK_PER_SECOND", 0.1)  # a busy machine ends on it
    first, second = (plan(org, time_limit=4, reproducible=True, edits=near) for _ in range(2))
    assert first.strategy["path"] == "part by part" and first.strategy["reproducible"]
    assert first.model_stats[CUT_BY_THE_CLOCK] == 0 == second.model_stats[CUT_BY_THE_CLOCK]
    assert (first.objective, _placements(first)) == (second.objective, _placements(second))
    on_the_clock = plan(org, time_limit=4, edits=near)
    assert CUT_BY_THE_CLOCK not in on_the_clock.model_stats and not on_the_clock.repeats
    monkeypatch.setattr(work, "POLISH_WORK_PER_SECOND", 0.005)
    short = plan(org, time_limit=4, reproducible=True, edits=near)
    assert short.model_stats[CUT_BY_THE_CLOCK] == 0
    assert short.objective < on_the_clock.objective
