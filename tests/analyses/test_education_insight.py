"""Staff education, connected: where a climate holds roles back, the insights re-plan one
more position of a role that discloses to staff (a peer trainer) in that region."""

from __future__ import annotations

from dataclasses import replace

from planner.analyses.insights import EDUCATION, _not_evaluated, analyse
from planner.api import plan
from planner.core.results import Status
from tests.helpers.orgs import psw, role, service, tiny_org

TRAINER = role("TRAINER", saliency=4, targets=("staff",), fte=0.5, cost_per_fte=40_000.0)
WARD = role("WARD", saliency=4, min_climate=3)
NAV = role("NAV", saliency=2)


def cold_ward_org(**policy):
    """A ward in North whose climate (2) keeps the ward peer role out; A can only navigate,
    T is ready with staff at 4. The budget pays for A's post alone."""
    people = [psw("A", readiness=2, readiness_staff=1, region="North"),
              psw("T", readiness=4, readiness_staff=4, region="North")]
    services = [service("S1", setting="inpatient", climate=2, region="North", demand_fte=2.0)]
    policy.setdefault("budget", 30_000.0)
    return tiny_org(psws=people, roles=[NAV, WARD, TRAINER], services=services, **policy)


def test_a_peer_trainer_position_is_re_planned_where_the_climate_holds_roles_back():
    report = analyse(cold_ward_org(), jobs=1)
    (insight,) = [i for i in report.insights if i.kind == EDUCATION]
    assert insight.title == "A Role TRAINER position in North"
    assert "puts it in Service S1 (filled from the staff)" in insight.detail
    assert "<5 people on the staff could take it" in insight.detail  # a count, for directors
    assert insight.cost_change == 20_000.0  # the position: 0.5 FTE × 40,000
    assert insight.placed_change == 1
    assert "Service S1, the same demand covered" in insight.detail  # the warmer re-plan


def test_no_staff_education_insight_where_no_climate_holds_roles_back():
    warm = cold_ward_org()
    warm = warm.__class__(**{**warm.__dict__, "services": tuple(
        s.__class__(**{**s.__dict__, "climate": 5}) for s in warm.services)})
    assert [i for i in analyse(warm, jobs=1).insights if i.kind == EDUCATION] == []


def test_an_education_re_plan_with_no_plan_is_named_in_a_note():
    """A re-plan that found no plan in its time is a note, and names the position."""
    org = cold_ward_org()
    found = plan(org, time_limit=2)
    none = replace(found, status=Status.UNKNOWN, kpis=None)
    assert _not_evaluated(org, EDUCATION, "TRAINER@North", none) == (
        "A Role TRAINER position in North: the time limit passed before a plan was found.")
