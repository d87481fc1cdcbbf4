"""The roadmap's rules, each on a tiny hand-made organisation, and its figures."""

from __future__ import annotations

from collections import Counter

import pytest

from planner.analyses.roadmap import plan_roadmap
from planner.core.errors import UsageError
from planner.workbook.generate import generate_org
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules

SUP = role("SUP", saliency=2, supervisor=True, min_experience=3, career_track="Supervision")
MID = role("MID", saliency=4, career_track="Peer")
HIGH = role("HIGH", saliency=5, career_track="Peer")
NAV = role("NAV", saliency=2, career_track="Peer")
# weights that let a step up pay for leaving one's post (a bonus of 20 for staying)
CAREER = {"weight_move": 0.0, "weight_progression": 60.0, "attrition_rate": 0.0}


def career_org(with_supervisor: bool = True, **policy):
    """A, ready at 3, accepts stretch and wants the high-saliency roles; S can supervise."""
    people = [psw("A", readiness=3, stretch=True, experience=3, region="R",
                  preferred_roles=("HIGH", "MID")),
              psw("S", readiness=2, experience=5, region="R", preferred_roles=("SUP",))]
    roles = [NAV, MID, HIGH, *([SUP] if with_supervisor else [])]
    return tiny_org(psws=people, roles=roles,
                    services=[service("S1", demand_fte=1.0, region="R", climate=5)],
                    **{**CAREER, **policy})


def posts(roadmap, person: str) -> list[str | None]:
    return [next((a.role_id for a in p.assignments if a.psw_id == person), None)
            for p in roadmap.plans]


def readiness(roadmap, person: str) -> list[int]:
    return [s.readiness for s in roadmap.pathways if s.psw_id == person]


def test_a_supported_stretch_makes_a_higher_role_reachable_the_next_year():
    roadmap = plan_roadmap(career_org(), years=2)
    # HIGH asks 5: beyond A's reach in year 1 even with stretch (3 + 1); a supported
    # stretch in MID (4) raises A to 4, and HIGH is a stretch within reach in year 2
    assert posts(roadmap, "A") == ["MID", "HIGH"]
    assert readiness(roadmap, "A") == [3, 4]
    assert [a.stretch for p in roadmap.plans for a in p.assignments if a.psw_id == "A"] == [
        True, True]
    assert "steps up to Role HIGH at S1 (career track Peer)" in next(
        s.reason for s in roadmap.pathways if s.psw_id == "A" and s.year == 2)


def test_without_a_peer_supervisor_there_is_no_stretch_and_no_growth():
    roadmap = plan_roadmap(career_org(with_supervisor=False), years=2)
    assert "HIGH" not in posts(roadmap, "A") and "MID" not in posts(roadmap, "A")
    assert readiness(roadmap, "A") == [3, 3]
    assert all(not a.stretch for p in roadmap.plans for a in p.assignments)


def test_readiness_never_rises_without_a_supported_stretch():
    org = career_org()
    roadmap = plan_roadmap(org, years=3)
    assert readiness(roadmap, "S") == [2, 2, 2]  # never in stretch (no stretch = yes)
    stretched = {(s.psw_id, s.year) for s in roadmap.pathways if s.stretch}
    for person in ("A", "S"):
        levels = readiness(roadmap, person)
        for year in (2, 3):
            if levels[year - 1] > levels[year - 2]:
                assert (person, year - 1) in stretched


def test_stretch_months_beyond_a_year_take_two_years_of_stretch():
    roadmap = plan_roadmap(career_org(stretch_months=24), years=3)
    assert readiness(roadmap, "A") == [3, 3, 4]


def test_attrition_lowers_cover_and_the_roadmap_recruits_ahead_by_the_lead_time():
    relief = role("RELIEF", saliency=2, fte=0.2, cost_per_fte=30_000.0)
    org = tiny_org(psws=[psw("A", readiness=2)], roles=[NAV, relief],
                   services=[service("S1", demand_fte=1.0)], allow_vacancies=True,
                   attrition_rate=0.2, recruit_months=4)
    roadmap = plan_roadmap(org, years=2)
    first, second = roadmap.years
    assert (first.filled_fte, second.filled_fte) == (1.0, 0.8)  # 1 FTE less 20 %
    assert second.lost_fte == 0.2
    assert first.to_recruit_fte == 0.0 and second.to_recruit_fte == 0.2
    (hire,) = roadmap.hires
    assert (hire.year_needed, hire.role_id, hire.start_month) == (2, "RELIEF", 8)


def test_a_new_hire_joins_in_the_post_recruited_for():
    org = tiny_org(psws=[psw("A", readiness=1)], roles=[NAV],
                   services=[service("S1", demand_fte=1.0)], allow_vacancies=True,
                   attrition_rate=0.0, hire_readiness=3, hire_experience=2)
    roadmap = plan_roadmap(org, years=2)
    assert [h.year_needed for h in roadmap.hires] == [1]
    (joined,) = [s for s in roadmap.pathways if s.year == 2 and s.psw_id.startswith("H1-")]
    assert (joined.role_id, joined.readiness, joined.experience) == ("NAV", 3, 2)
    assert joined.reason.startswith("joins as a new hire")
    assert roadmap.years[1].hires_in_post == 1 and roadmap.years[1].to_recruit_fte == 0


def test_positions_are_recruited_only_for_roles_a_new_hire_may_take():
    org = tiny_org(psws=[psw("A", readiness=1)], roles=[HIGH],
                   services=[service("S1", demand_fte=1.0)], allow_vacancies=True,
                   hire_readiness=4)
    assert plan_roadmap(org, years=1).hires == ()
    ready = tiny_org(psws=[psw("A", readiness=1)], roles=[HIGH],
                     services=[service("S1", demand_fte=1.0)], allow_vacancies=True,
                     hire_readiness=5)
    assert [h.role_id for h in plan_roadmap(ready, years=1).hires] == ["HIGH"]


def test_budget_growth_opens_a_position_in_year_three_and_not_before():
    nav = role("NAV", saliency=2, cost_per_fte=10_000.0)
    org = tiny_org(psws=[psw("A", readiness=1)], roles=[nav],
                   services=[service("S1", demand_fte=3.0)], allow_vacancies=True,
                   budget=10_000.0, budget_growth_pct=50.0, attrition_rate=0.0)
    roadmap = plan_roadmap(org, years=3)
    assert [y.budget for y in roadmap.years] == [10_000.0, 15_000.0, 22_500.0]
    assert Counter(h.year_needed for h in roadmap.hires) == {1: 1, 3: 1}
    assert [y.cost for y in roadmap.years] == [10_000.0, 10_000.0, 20_000.0]


def test_a_locked_person_stays_in_year_one():
    org = tiny_org(psws=[psw("L", readiness=4, current_service="S1", current_role="NAV",
                             lock=True, preferred_roles=("MID",)),
                         psw("B", readiness=4)],
                   roles=[NAV, MID], services=[service("S1", demand_fte=1.0)])
    first = plan_roadmap(org, years=2).plans[0]
    assert [(a.psw_id, a.role_id, a.locked) for a in first.assignments] == [
        ("L", "NAV", True)]


def test_every_year_keeps_every_rule_of_plan():
    org = generate_org(40, 8, regions=2, seed=21)
    roadmap = plan_roadmap(org, years=3, time_limit=10)
    assert len(roadmap.plans) == len(roadmap.orgs) == 3
    for year_org, year_plan in zip(roadmap.orgs, roadmap.plans, strict=True):
        assert_plan_keeps_the_rules(year_org, year_plan)
        roles = year_org.roles_by_id
        services = year_org.services_by_id
        regions = Counter(services[a.service_id].region for a in year_plan.assignments
                          if roles[a.role_id].supervisor)
        stretched = Counter(services[a.service_id].region for a in year_plan.assignments
                            if a.stretch)
        per = year_org.policy.stretch_per_supervisor
        assert all(n <= per * regions[r] for r, n in stretched.items())


def test_the_cover_range_is_reproducible_with_its_seed():
    org = generate_org(40, 8, regions=2, seed=22)
    one = plan_roadmap(org, years=1, time_limit=5, seed=3)
    again = plan_roadmap(org, years=1, time_limit=5, seed=3)
    other = plan_roadmap(org, years=1, time_limit=5, seed=4)
    low, mid, high = one.years[0].cover_range
    assert low <= mid <= high <= one.years[0].planned_coverage
    assert one.years[0].cover_range == again.years[0].cover_range
    assert [p.assignments for p in one.plans] == [p.assignments for p in again.plans]
    assert one.years[0].cover_range != other.years[0].cover_range


def test_years_out_of_range_are_refused():
    with pytest.raises(UsageError):
        plan_roadmap(career_org(), years=0)


def trainer_org(with_trainer: bool):
    """A cold ward (climate 2) keeps the ward peer role (needs 3) out; T is ready to
    educate its staff, W is ready for the ward role."""
    trainer = role("TRAINER", saliency=3, targets=("staff",), fte=0.5)
    ward = role("WARD", saliency=4, min_climate=3)
    nav = role("NAV", saliency=2, topics=("crisis",))  # W's lived experience, not T's
    people = [psw("W", readiness=5, topics=("crisis",), preferred_roles=("WARD",)),
              psw("T", readiness=3, preferred_roles=("TRAINER",))]
    roles = [ward, nav, *([trainer] if with_trainer else [])]
    return tiny_org(psws=people, roles=roles, attrition_rate=0.0, weight_move=0.0,
                    services=[service("S1", setting="inpatient", climate=2, demand_fte=3.0)])


def test_a_peer_trainer_in_post_for_a_year_warms_the_service_by_a_step():
    roadmap = plan_roadmap(trainer_org(with_trainer=True), years=2)
    assert posts(roadmap, "T") == ["TRAINER", "TRAINER"]
    assert [o.services_by_id["S1"].climate for o in roadmap.orgs] == [2, 3]
    assert roadmap.years[1].climates_raised == ("S1",)
    assert posts(roadmap, "W") == ["NAV", "WARD"]  # the warmer ward lets the role in


def test_without_staff_education_the_climate_stays():
    roadmap = plan_roadmap(trainer_org(with_trainer=False), years=2)
    assert [o.services_by_id["S1"].climate for o in roadmap.orgs] == [2, 2]
    assert "WARD" not in posts(roadmap, "W")


def test_a_year_that_no_plan_can_keep_is_infeasible_with_its_conflicts():
    from planner.core.errors import InfeasibleError

    locked = psw("L", readiness=4, current_service="S1", current_role="NAV", lock=True)
    org = tiny_org(psws=[locked], roles=[NAV], services=[service("S1", demand_fte=1.0)],
                   budget=1_000.0)  # the locked post alone costs 30,000
    with pytest.raises(InfeasibleError) as raised:
        plan_roadmap(org, years=2)
    conflicts = raised.value.conflicts
    assert conflicts and all(c.startswith("year 1: ") for c in conflicts)
    assert any("budget" in c for c in conflicts) and any("lock" in c for c in conflicts)
    assert str(raised.value).startswith("year 1 of the roadmap: no plan satisfies")
