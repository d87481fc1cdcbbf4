"""The package face: what a notebook imports, and the checks an organisation built in
code goes through before it is planned."""

from __future__ import annotations

import doctest
import time
from dataclasses import replace
from pathlib import Path

import pytest

import planner
from planner import api, plan, read_org
from planner.cli import process_began
from planner.core.errors import ValidationError

ROOT = Path(__file__).resolve().parent.parent
COMMUNITY = ROOT / "sample_orgs" / "community_agency.xlsx"


def test_the_docstring_example_of_the_package_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    failed, tried = doctest.testmod(planner, raise_on_error=False)
    assert tried >= 3 and failed == 0


def test_read_org_and_plan_come_from_the_package_itself():
    result = plan(read_org(COMMUNITY), time_limit=10)
    assert result.kpis is not None and result.assignments
    assert result.strategy["path"] == "whole model"


def test_an_org_edited_in_code_is_checked_as_a_workbook_is():
    org = read_org(COMMUNITY)
    hot = replace(org, services=(replace(org.services[0], climate=6), *org.services[1:]))
    long_hours = replace(org, psws=(replace(org.psws[0], available_fte=1.2), *org.psws[1:]))
    with pytest.raises(ValidationError, match=r"Services!\w+\d: climate .* got 6") as hot_error:
        plan(hot)
    with pytest.raises(ValidationError, match=r"PSWs!\w+\d: available_fte .* got 1\.2"):
        plan(long_hours)
    assert len(hot_error.value.issues) == 1
    assert str(hot_error.value).startswith("1 error(s) in the organisation:")


# -- the time limit is the whole run ------------------------------------------------------


def test_the_solver_gets_what_the_whole_run_leaves_it():
    org = read_org(COMMUNITY)
    now = time.perf_counter()
    writing = api.OUTPUT_SECONDS + api.OUTPUT_SECONDS_PER_1000_PSWS * len(org.psws) / 1000
    given = api.solve_seconds(org, 30, began=now - 4)  # 4 s gone already
    assert given == pytest.approx(30 - 4 - api.FINISH_SECONDS - writing, abs=0.05)
    # the Policy's limit when none is given, and never less than the solver's least
    assert api.solve_seconds(org, None, now) < org.policy.time_limit
    assert api.solve_seconds(org, 30, now - 100) == api.MIN_SOLVE_SECONDS


def test_a_quick_start_leaves_the_solver_the_same_seconds_every_run():
    # the solver's work schedule, and so its plan, follows from its seconds: a start a
    # little quicker or slower than the last must not change them
    org = read_org(COMMUNITY)
    now = time.perf_counter()
    seconds = {api.solve_seconds(org, 30, began=now - gone) for gone in (0.2, 0.9, 1.5)}
    writing = api.OUTPUT_SECONDS + api.OUTPUT_SECONDS_PER_1000_PSWS * len(org.psws) / 1000
    assert seconds == {30 - api.startup_seconds(org) - api.FINISH_SECONDS - writing}


def test_plan_workbook_hands_the_planner_the_time_left(monkeypatch, tmp_path):
    seen: list[float] = []
    planned = api.planning.plan

    def spy(org, **kwargs):
        seen.append(kwargs["time_limit"])
        return planned(org, **kwargs)

    monkeypatch.setattr(api.planning, "plan", spy)
    api.plan_workbook(COMMUNITY, tmp_path, time_limit=20, began=time.perf_counter() - 5)
    assert seen and seen[0] < 15  # 5 s were gone when it began, writing is still to come


def test_the_run_is_counted_from_the_process_start():
    began = process_began()
    assert 0 < time.perf_counter() - began < 24 * 3600  # Python's start, imports, tests
