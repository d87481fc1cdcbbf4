"""Scenarios of a large organisation are planned as `planner plan` plans it.

A plan of a large organisation (or one too large for its time limit) is made block by
block, and puts the second core to work (`Strategy.uses_second_core`). Scenarios,
insights and comparisons plan through `analyses.workers`; a variant without edits must
take that same path, and, unless the caller chose `jobs`, have both cores as `plan` does.
A 60-PSW organisation given half a second is "too large for its time limit" (about 700
placements against 500 a second allows), so it stands in for a large one here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.analyses.workers import Variant, Workers, plan_many
from planner.cli import cli
from planner.core.domain import Org
from planner.solve.large.child import usable_cores
from planner.solve.planning import limits_for
from planner.solve.strategy import choose_strategy
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook

SHORT = 0.5  # seconds: the block path for the 60-PSW org


def large() -> Org:
    return generate_org(psws=60, services=14, regions=2, seed=1)


def small() -> Org:
    return generate_org(psws=10, services=3, regions=1, seed=1)


def test_scenarios_of_a_large_org_are_planned_block_by_block() -> None:
    org = large()
    poorer = replace(org, policy=replace(org.policy, budget=(org.policy.budget or 1e6) * 0.8))
    plans = plan_many({"today": org, "poorer": poorer}, time_limit=SHORT)
    assert [p.model_stats.get("blocks", 0) >= 2 for p in plans.values()] == [True, True]
    assert all(p.kpis is not None and p.assignments for p in plans.values())


def test_compare_from_the_cli_plans_a_large_org_block_by_block(tmp_path: Path) -> None:
    org = large()
    write_workbook(tmp_path / "today.xlsx", org, force=True)
    fewer = replace(org, psws=org.psws[:50])
    write_workbook(tmp_path / "fewer.xlsx", fewer, force=True)
    result = CliRunner().invoke(cli, ["compare", str(tmp_path / "today.xlsx"),
                                      str(tmp_path / "fewer.xlsx"), "-o", str(tmp_path / "out"),
                                      "--time-limit", str(SHORT)])
    assert result.exit_code == 0, result.output
    for slug in ("today", "fewer"):
        stats = json.loads((tmp_path / "out" / slug / "plan.json").read_text())["model_stats"]
        assert stats["blocks"] >= 2


def uses_second_core(org: Org, time_limit: float) -> bool:
    return choose_strategy(org, limits_for(org, time_limit=time_limit)).uses_second_core


@pytest.mark.skipif(usable_cores() < 2, reason="a plan uses a second core only with two")
def test_large_plans_take_both_cores_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    in_parallel: list[list[str]] = []

    def recorded(self: Workers, work, tasks):  # as Workers.map, but in this process
        in_parallel.append(list(tasks))
        return {name: work(task) for name, task in tasks.items()}

    monkeypatch.setattr(Workers, "map", recorded)
    orgs = {"large": large(), "small": small(), "large again": large()}
    assert uses_second_core(large(), SHORT)
    assert not uses_second_core(small(), SHORT)
    plans = plan_many(orgs, time_limit=SHORT)
    assert in_parallel == [["small"]]
    assert list(plans) == ["large", "small", "large again"]
    assert plans["large"].model_stats["blocks"] >= 2
    plan_many(orgs, time_limit=SHORT, jobs=2)  # the caller's choice of jobs holds
    assert in_parallel[-1] == ["large", "small", "large again"]
    with Workers() as workers:  # insights and the frontier: many plans, side by side
        workers.plan({name: Variant(org, time_limit=SHORT) for name, org in orgs.items()})
    assert in_parallel[-1] == ["large", "small", "large again"]
