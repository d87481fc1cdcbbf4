"""End to end: every sample organisation planned, checked against the hard rules."""

from __future__ import annotations

import pytest

from planner.core.results import Status
from planner.solve.planning import plan
from planner.workbook.read import read_org
from tests.helpers.paths import SAMPLES
from tests.helpers.plan_checks import assert_plan_keeps_the_rules


@pytest.mark.parametrize(
    ("name", "limit", "statuses"),
    [
        ("community_agency.xlsx", 30, {Status.OPTIMAL}),
        ("regional_service.xlsx", 60, {Status.OPTIMAL}),
        ("large_system.xlsx", 15, {Status.OPTIMAL, Status.FEASIBLE}),
    ],
)
def test_sample_organisation_plans_within_the_rules(name, limit, statuses):
    org = read_org(SAMPLES / name)
    result = plan(org, time_limit=limit)
    assert result.status in statuses
    assert result.bound >= result.objective - 1e-6
    assert result.gap is not None and result.gap >= 0
    assert result.kpis.placed > 0.6 * len(org.psws)
    assert_plan_keeps_the_rules(org, result)
    for u in result.unassigned:
        assert u.reasons, u.psw_id
    for v in result.vacancies:
        assert v.reason and v.profile["setting"]
