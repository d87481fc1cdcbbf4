"""The plan as plan.json holds it."""

from __future__ import annotations

from planner.core.results import from_json, to_json
from planner.solve.planning import plan
from tests.helpers.orgs import service, tiny_org


def test_plan_json_round_trip():
    org = tiny_org(allow_vacancies=True, services=[service("S1", demand_fte=3)])
    result = plan(org)
    assert from_json(to_json(result)) == result
