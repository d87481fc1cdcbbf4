"""Why: the rules named when no plan exists, and why a person is left unassigned."""

from __future__ import annotations

from planner.core.results import Status
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org


def test_lone_peer_forbid_with_a_single_locked_person_is_infeasible():
    org = tiny_org(psws=[psw("A", current_service="S1", current_role="R1", lock=True)],
                   lone_peer="forbid")
    result = plan(org)
    assert result.status is Status.INFEASIBLE
    assert len(result.conflicts) == 2
    assert any(c.startswith("lock: A is locked into R1 at S1") for c in result.conflicts)
    assert any(c.startswith("lone_peer: S1") for c in result.conflicts)


def test_budget_below_locked_placements_is_infeasible():
    people = [psw(x, current_service="S1", current_role="R1", lock=True) for x in "AB"]
    result = plan(tiny_org(psws=people, budget=40_000))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0] == "budget: the plan must cost at most 40,000"
    assert sum(c.startswith("lock:") for c in result.conflicts) == 2


def test_unassigned_person_is_told_which_rule_stops_each_role():
    org = tiny_org(psws=[psw("A", readiness=1, topics=("trauma",))],
                   roles=[role("WARD", saliency=5), role("IPS", saliency=1,
                                                         topics=("vocational",))])
    (u,) = plan(org).unassigned
    assert u.reasons[0] == "no role they can take in any service:"
    assert "IPS: topics — shares none of the role's topics (vocational)" in u.reasons
    assert "WARD: readiness — readiness 1 is below the role's saliency 5" in u.reasons


def test_unassigned_person_is_told_the_binding_limit():
    org = tiny_org(psws=[psw("A", experience=5), psw("B", experience=0)],
                   services=[service("S1", demand_fte=1)])
    (u,) = plan(org).unassigned
    assert u.psw_id == "B"
    assert u.reasons[1].startswith("R1 at S1: demand: the 1 FTE of S1 are taken (by A)")
