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
    assert u.reason == ("No role in the catalogue is open to them: 1 role asks for more "
                        "readiness to disclose; 1 role asks for lived experience of a topic "
                        "they do not draw on.")


def test_unassigned_person_is_told_the_binding_limit():
    org = tiny_org(psws=[psw("A", experience=5), psw("B", experience=0)],
                   services=[service("S1", demand_fte=1)])
    (u,) = plan(org).unassigned
    assert u.psw_id == "B"
    assert u.reasons[1].startswith("R1 at S1: demand: 1 of the 1 FTE of S1 are taken (A)")
    assert u.reason == ("The positions open to them are taken by people who add more to the "
                        "plan (their best, Role R1 at Service S1, is full).")


def test_a_person_whose_roles_are_only_outside_their_region_is_told_so_in_one_sentence():
    org = tiny_org(psws=[psw("A", region="North"), psw("B", readiness=1, region="South")],
                   roles=[role("R1", saliency=3), role("LOW", saliency=1, settings=("housing",))],
                   services=[service("S1", region="South"),
                             service("H1", setting="housing", region="North")])
    (u,) = plan(org).unassigned
    assert u.psw_id == "B"
    assert u.reason == ("The roles open to them (Role LOW) are offered only outside their "
                        "region (South), and they do not travel.")


def test_a_spent_budget_is_the_reason_in_one_sentence():
    org = tiny_org(psws=[psw("A", experience=5), psw("B", experience=0)],
                   services=[service("S1", demand_fte=2)], budget=40_000.0)
    (u,) = plan(org).unassigned
    assert u.reason == ("The budget is spent: their best placement, Role R1 at Service S1, "
                        "would cost 30,000 a year and 10,000 is left.")


def test_each_cause_of_unmet_demand_is_one_sentence():
    # S1 (housing): no role is deployed there; S2 (ward, climate 2): the only role for its
    # setting needs climate 3; S3: nobody free and no recruiting
    roles = [role("COMM", settings=("community",)),
             role("WARD", saliency=3, settings=("inpatient",), min_climate=3)]
    services = [service("S1", setting="housing"), service("S2", setting="inpatient", climate=2),
                service("S3", demand_fte=3.0)]
    org = tiny_org(psws=[psw("A")], roles=roles, services=services)
    causes = {s.service_id: (s.shortfall_cause, s.shortfall) for s in plan(org).services}
    assert causes["S1"] == ("setting", "No role in the catalogue is deployed in a housing "
                                       "setting.")
    assert causes["S2"] == ("climate", "Its climate (2) is below the minimum of every role "
                                       "its setting allows (Role WARD needs 3).")
    assert causes["S3"] == ("no staff", "Nobody free on the staff may take a role here, and "
                                        "the Policy allows no positions to recruit.")
