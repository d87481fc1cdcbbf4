"""Planning a large organisation block by block (`blocks`): the joined plan keeps every
rule and lies under the LP bound of the whole model, blocks run side by side in a child,
and the path gives way to the whole model when it cannot plan.

Timing is not tested here (see bench/).
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from planner.core.results import Status
from planner.solve import strategy
from planner.solve.greedy import greedy_start
from planner.solve.large import blocks, work
from planner.solve.large.lp_bound import lp_bound
from planner.solve.large.work import WorkBudget
from planner.solve.model import canonical
from planner.solve.planning import limits_for, plan
from planner.solve.solver import solver_for
from planner.workbook.generate import generate_org
from tests.helpers.orgs import psw, role, tiny_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


@pytest.fixture
def always_in_blocks(monkeypatch):
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(large=0))


def _generated(psws: int = 160, services: int = 32, regions: int = 3, seed: int = 2):
    return generate_org(psws=psws, services=services, regions=regions, seed=seed)


def test_a_plan_in_blocks_keeps_every_rule_and_is_bounded(always_in_blocks):
    org = _generated()
    result = plan(org, time_limit=20)
    assert result.model_stats["blocks"] >= 3  # one per region at least
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.bound >= result.objective
    assert_plan_keeps_the_rules(org, result)
    assert any(p.lock for p in org.psws)  # locked people are placed (checked above)


def test_blocks_cut_a_large_region_and_keep_the_budget(always_in_blocks):
    org = canonical(_generated(psws=240, services=48, regions=1))
    made = blocks.make_blocks(org, lp_bound(org))
    assert len(made) == 3  # 80 people's worth of services each
    assert sorted(s for b in made for s in b.services) == [s.service_id for s in org.services]
    placed = [p for b in made for p in b.psws]
    assert len(placed) == len(set(placed))
    assert sum(b.budget for b in made) <= org.policy.budget


def test_blocks_bracket_the_whole_models_optimum(always_in_blocks, monkeypatch):
    org = _generated(psws=60, services=14, regions=2, seed=5)
    in_blocks = plan(org, time_limit=20)
    monkeypatch.setattr(strategy, "THRESHOLDS", strategy.Thresholds(large=10**9))
    whole = plan(org, time_limit=60)
    assert whole.status is Status.OPTIMAL
    assert in_blocks.objective <= whole.objective + 1e-6 <= in_blocks.bound + 2e-6


def test_the_same_organisation_gives_the_same_plan_in_blocks(always_in_blocks):
    org = _generated(psws=80, services=16, regions=2, seed=3)
    first, second = plan(org, time_limit=20), plan(org, time_limit=20)
    assert first.objective == second.objective
    assert first.assignments == second.assignments


def test_an_impossible_lock_falls_back_to_the_whole_model_and_names_the_conflict(
        always_in_blocks):
    org = tiny_org(psws=[psw("A", current_service="S1", current_role="R", lock=True)],
                   roles=[role("R")], budget=1_000)
    result = plan(org)
    assert result.status is Status.INFEASIBLE
    assert any("budget" in c for c in result.conflicts)


def test_progress_in_blocks_reports_the_joined_plan_against_the_bound(always_in_blocks):
    org = _generated(psws=120, services=24, regions=2, seed=4)
    seen = []
    result = plan(org, time_limit=20, progress=seen.append)
    assert seen, "at least the joined block plans are reported"
    assert all(p.objective <= p.bound + 1e-6 for p in seen)
    assert seen[-1].objective <= result.objective + 1e-6  # merging never loses


def test_planner_plan_from_the_command_line_in_blocks(always_in_blocks, tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from planner.cli import cli
    from planner.core.results import read_plan_json
    from planner.workbook.template import write_workbook

    org = _generated(psws=100, services=20, regions=2, seed=6)
    path = tmp_path / "org.xlsx"
    write_workbook(path, org)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["plan", str(path), "-o", str(out), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    written = read_plan_json(out / "plan.json")
    assert written.model_stats["blocks"] >= 2
    assert written.gap is not None and written.bound >= written.objective
    assert_plan_keeps_the_rules(org, written)
    rows = list(load_workbook(out / "plan.xlsx", read_only=True)["Placements"]
                .iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Person") + 1
    placed = sorted((r[0], r[2], r[4]) for r in rows[start:] if r[0])
    assert placed == sorted((a.psw_id, a.role_id, a.service_id) for a in written.assignments)
    report = (out / "report.html").read_text(encoding="utf-8")
    blocks_said = f"planned in {written.model_stats['blocks']} blocks of services"
    assert blocks_said in report and "stopped at its time limit" not in report


class _CountedChild(blocks.Forked):
    started = 0

    def __init__(self, *args):
        type(self).started += 1
        super().__init__(*args)


class _SilentChild(_CountedChild):
    def result(self, timeout: float):
        self.stop()
        return None


@pytest.mark.parametrize("child", [_CountedChild, _SilentChild])
def test_blocks_side_by_side_give_the_plan_blocks_one_by_one_give(child, monkeypatch):
    # Blocks small enough to be proven optimal: solved two at a time (one in a forked
    # child), or with a child that gives nothing back (solved here instead), the joined
    # plan is the one solving them one by one gives.
    org = canonical(_generated(psws=80, services=16, regions=2, seed=3))
    limits = limits_for(org, time_limit=30)
    alone = blocks.plan_in_blocks(org, limits).result
    monkeypatch.setattr(blocks, "Forked", child)
    child.started = 0
    planned = blocks.plan_in_blocks(org, limits, side_by_side=True)
    built, together = planned.built, planned.result
    assert child.started >= 1
    assert together.objective == pytest.approx(alone.objective)
    assert built.stats["blocks"] >= 2


def test_merges_solved_at_once_share_what_is_left_of_the_budget(monkeypatch):
    # Four blocks, merged two pairs at a time: the budget the two merges may spend is
    # what their blocks spent plus what is left unspent, shared, never the whole of it
    # twice.
    org = canonical(_generated(psws=320, services=64, regions=1, seed=6))
    made = blocks.make_blocks(org, lp_bound(org))
    limits = limits_for(org, time_limit=1)
    parts = [part for block in made
             for part in blocks._solve_blocks(org, [blocks._Job(block)], limits)]
    assert len(parts) == 4
    assert sum(p.spend for p in parts) < org.policy.budget - 1  # something is left
    batches = []
    solve_blocks = blocks._solve_blocks

    def recorded(org, jobs, limits):
        batches.append([job.block.budget for job in jobs])
        return solve_blocks(org, jobs, limits)

    monkeypatch.setattr(blocks, "_solve_blocks", recorded)
    merged = blocks._merge_neighbours(org, parts, limits, lambda: 2.0, lambda _: None,
                                      WorkBudget(1.0), width=2)
    assert len(batches[0]) == 2
    assert sum(batches[0]) <= org.policy.budget
    assert sum(p.spend for p in merged) <= org.policy.budget


class _NoProcess(blocks.Forked):
    def __init__(self, *args):
        raise OSError("no process to be had")


def test_blocks_are_solved_one_after_the_other_when_no_child_can_start(monkeypatch):
    org = canonical(_generated(psws=80, services=16, regions=2, seed=3))
    limits = limits_for(org, time_limit=30)
    alone = blocks.plan_in_blocks(org, limits).result
    monkeypatch.setattr(blocks, "Forked", _NoProcess)
    together = blocks.plan_in_blocks(org, limits, side_by_side=True).result
    assert together.objective == pytest.approx(alone.objective)


def test_blocks_and_merges_are_solved_without_presolve(monkeypatch):
    """Blocks are small models: CP-SAT searches them without its presolve (see
    `SolveLimits.presolve`); the whole model keeps it."""
    seen = []
    real = blocks.solve

    def spy(built, limits, *args, **kwargs):
        seen.append(limits.presolve)
        return real(built, limits, *args, **kwargs)

    monkeypatch.setattr(blocks, "solve", spy)
    org = canonical(generate_org(psws=60, services=14, regions=2, seed=1))
    blocks.plan_in_blocks(org, limits_for(org, time_limit=4.0))  # 1 s of it kept back
    assert len(seen) >= 3 and not any(seen)  # several blocks, then merges
    assert limits_for(org).presolve
    assert not solver_for(replace(limits_for(org), presolve=False)).parameters.cp_model_presolve
    assert solver_for(limits_for(org)).parameters.cp_model_presolve


def test_every_block_starts_from_a_complete_hint(monkeypatch):
    """A block is searched from its greedy plan (a merge from the plans it joins): every
    variable of its model is hinted, at the greedy plan's value."""
    hinted = []
    real = blocks.solve

    def spy(built, limits, *args, **kwargs):
        hints = dict(zip(built.model.proto.solution_hint.vars,
                         built.model.proto.solution_hint.values, strict=True))
        hinted.append((hints, built))
        return real(built, limits, *args, **kwargs)

    monkeypatch.setattr(blocks, "solve", spy)
    org = canonical(generate_org(psws=60, services=14, regions=2, seed=1))
    made = blocks.plan_in_blocks(org, limits_for(org, time_limit=4.0)).built.stats["blocks"]
    assert len(hinted) > made
    for hints, built in hinted[:made]:
        assert hints == greedy_start(built).variables(built)
        assert any(hints[x.index] for x in built.x)  # the greedy places someone
    for hints, built in hinted[made:]:
        assert len(hints) == len(built.model.proto.variables)


class _OffClock:
    """`time` as the blocks read it, with every reading after the first `offset` seconds
    off: as if the LP bound had taken that much more (or less) time on a busier (or
    idler) machine."""

    def __init__(self, offset: float) -> None:
        self.offset = offset
        self.readings = 0

    def perf_counter(self) -> float:
        self.readings += 1
        return time.perf_counter() + (0.0 if self.readings == 1 else self.offset)


def test_blocks_and_merges_share_work_fixed_before_the_first_so_another_clock_changes_nothing(
        monkeypatch):
    # at half the work a second the run ends on its work after about 4 of its 12 s on the
    # bench machine, so a clock 3 s late still leaves it time to end there on a slower
    # machine (at the full rate and 5 s late it did not: the clock rightly cut the last
    # merge)
    monkeypatch.setattr(work, "WORK_PER_SECOND", work.WORK_PER_SECOND / 2)
    org = canonical(_generated(psws=160, services=32, regions=3, seed=4))
    limits = limits_for(org, time_limit=12)
    solve_blocks = blocks._solve_blocks

    def run() -> tuple[list[float | None], blocks.SolveResult]:
        shares: list[float | None] = []

        def recorded(org, jobs, limits):
            shares.append(limits.work_limit)
            return solve_blocks(org, jobs, limits)

        monkeypatch.setattr(blocks, "_solve_blocks", recorded)
        return shares, blocks.plan_in_blocks(org, limits).result

    shares, on_time = run()
    assert len(shares) >= 3 and None not in shares  # blocks, then at least one merge
    for offset in (-4.0, 3.0):
        monkeypatch.setattr(blocks, "time", _OffClock(offset))
        other_shares, other = run()
        assert other_shares == shares, offset
        assert other.values == on_time.values and other.objective == on_time.objective
