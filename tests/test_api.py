"""The package face: what a notebook imports, and the checks an organisation built in
code goes through before it is planned."""

from __future__ import annotations

import doctest
from dataclasses import replace
from pathlib import Path

import pytest

import planner
from planner import plan, read_org
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
