"""The path choice (`strategy`): which path solves an organisation, and whether a child
process works on the side. Only the choice is tested here; each path has its own tests."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from planner.solve import strategy
from planner.solve.large import child as cores
from planner.solve.model import build_model, canonical
from planner.solve.planning import limits_for
from planner.solve.strategy import THRESHOLDS
from planner.workbook.generate import generate_org
from tests.helpers.large import between_edited_thresholds
from tests.helpers.orgs import random_org


def test_mid_sized_organisations_stay_on_the_whole_model_given_time():
    org = generate_org(psws=200, services=40, regions=3, seed=2)
    count = strategy.estimated_candidates(org)
    assert count == pytest.approx(len(build_model(org).candidates), rel=0.05)
    whole = strategy.choose_strategy(org, limits_for(org, time_limit=60))
    assert whole.path is strategy.SolvePath.WHOLE and whole.candidates == count
    short = count / strategy.THRESHOLDS.blocks_per_second / 2
    assert strategy.choose_strategy(org, limits_for(org, time_limit=short)).path is (
        strategy.SolvePath.BLOCKS)


def test_a_reproducible_edited_model_goes_part_by_part_sooner():
    """Its search has less work a second than the clock gives it, so a model with edits
    is large for its time at fewer placements a second: between the two thresholds it
    is solved whole on the clock and improved part by part when reproducible."""
    org = generate_org(psws=200, services=40, regions=3, seed=2)
    on_the_clock = limits_for(org, time_limit=between_edited_thresholds(org))
    assert strategy.choose_strategy(org, on_the_clock, edited=True).path is (
        strategy.SolvePath.WHOLE)
    reproducible = strategy.choose_strategy(org, replace(on_the_clock, reproducible=True),
                                            edited=True)
    assert reproducible.path is strategy.SolvePath.PART_BY_PART
    assert f"more than {THRESHOLDS.edited_reproducible_per_second:,} per second" in (
        reproducible.reason)


def test_no_side_process_for_small_or_huge_models_or_several_workers(monkeypatch):
    org = canonical(random_org(1, people=12))
    limits = limits_for(org)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    monkeypatch.setattr(cores, "_cores_taken", False)
    linux = sys.platform.startswith("linux")
    for placements, seconds, wanted in (
        (100, 1e6, None),  # CP-SAT proves it at once
        (THRESHOLDS.highs_from, 1e6, strategy.SideWork.HIGHS),  # beside the whole model
        (THRESHOLDS.side_bound_from, 1e6, strategy.SideWork.LAGRANGE_THEN_HIGHS),
        (50_000, 1e6, strategy.SideWork.LAGRANGE_THEN_HIGHS),
        (50_000, 10, strategy.SideWork.LAGRANGE),  # blocks, for the short time
        (THRESHOLDS.side_bound_from - 1, 10, None),  # blocks too small to need it
        (THRESHOLDS.large, 1e6, strategy.SideWork.LAGRANGE),  # blocks: it still converges
        (THRESHOLDS.lagrange_below, 1e6, None),  # blocks two at a time instead
    ):
        monkeypatch.setattr(strategy, "estimated_candidates", lambda _org, n=placements: n)
        chosen = strategy.choose_strategy(org, replace(limits, time_limit=seconds))
        assert chosen.side_work is (wanted if linux else None)
        assert chosen.side_bound is (chosen.side_work is not None)
    parallel = replace(limits, time_limit=1e6, deterministic=False)  # CP-SAT takes both
    assert not strategy.choose_strategy(org, parallel).side_bound
    cores.no_spare_core()  # as in each worker of `analyses.workers.Workers`
    assert not strategy.choose_strategy(org, replace(limits, time_limit=1e6)).side_bound


def test_block_plans_are_polished_on_the_whole_model_while_it_builds_in_time(monkeypatch):
    org = canonical(random_org(1, people=12))
    limits = replace(limits_for(org), time_limit=60)
    monkeypatch.setattr(cores, "usable_cores", lambda: 1)  # no side bound anywhere
    on_whole = THRESHOLDS.polish_per_second * 60
    for placements, wanted in (
        (THRESHOLDS.large, strategy.PolishOn.WHOLE_MODEL),
        (on_whole, strategy.PolishOn.WHOLE_MODEL),
        (on_whole + 1, strategy.PolishOn.NEIGHBOURHOODS),  # too large to build in time
        (100, None),  # the whole model: nothing to polish
    ):
        monkeypatch.setattr(strategy, "estimated_candidates", lambda _org, n=placements: n)
        chosen = strategy.choose_strategy(org, limits)
        assert chosen.polish is wanted
        assert chosen.as_json()["polish"] == (None if wanted is None else wanted.value)


def test_beside_blocks_the_lagrangian_bound_goes_with_the_polish_where_it_converges_late(
        monkeypatch):
    """Below `side_plan_below` the child's plan from the bound takes the polish's place;
    from there to `lagrange_below` the bound converges too late for a plan, and the block
    plan is polished beside it; above, the second core solves blocks two at a time."""
    org = canonical(random_org(1, people=12))
    limits = replace(limits_for(org), time_limit=60)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    monkeypatch.setattr(cores, "_cores_taken", False)
    if not sys.platform.startswith("linux"):
        pytest.skip("a side child is forked: Linux only")
    assert THRESHOLDS.side_bound_from < THRESHOLDS.side_plan_below < THRESHOLDS.lagrange_below
    lagrange, whole = strategy.SideWork.LAGRANGE, strategy.PolishOn.WHOLE_MODEL
    for placements, work, polish, two_at_a_time in (
        (THRESHOLDS.side_plan_below - 1, lagrange, None, False),
        (THRESHOLDS.side_plan_below, lagrange, whole, False),
        (THRESHOLDS.lagrange_below - 1, lagrange, whole, False),
        (THRESHOLDS.lagrange_below, None, whole, True),
    ):
        monkeypatch.setattr(strategy, "estimated_candidates", lambda _org, n=placements: n)
        chosen = strategy.choose_strategy(org, limits)
        assert chosen.path is strategy.SolvePath.BLOCKS
        assert (chosen.side_work, chosen.polish, chosen.side_by_side) == (
            work, polish, two_at_a_time), placements
