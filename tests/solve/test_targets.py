"""Disclosure targets: each rule on a tiny hand-made organisation of two or three people.

A role discloses to service users, staff or leadership (`Role.targets`, with a saliency per
target); a person has a readiness per target. Every test fails if its rule is removed.
"""

from __future__ import annotations

from planner.core.eligibility import readiness, readiness_gap
from planner.core.scoring import score_placement
from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org
from tests.helpers.plan_checks import assert_plan_keeps_the_rules

TRAINER = role("TRAINER", saliency=3, targets=("staff",))
LEAD = role("LEAD", saliency=4, targets=("leadership", "staff"), saliency_staff=3)


def placed(org) -> set[tuple[str, str, str]]:
    result = plan(org)
    assert_plan_keeps_the_rules(org, result)
    return {(a.psw_id, a.role_id, a.service_id) for a in result.assignments}


def test_readiness_with_staff_decides_a_staff_role():
    # A discloses freely to service users (4) but holds back with staff (2); B is ready
    # for staff at 3. Judged on readiness to service users alone, A would also fit.
    org = tiny_org(psws=[psw("A", readiness=4, readiness_staff=2),
                         psw("B", readiness=3, readiness_staff=3)], roles=[TRAINER])
    assert placed(org) == {("B", "TRAINER", "S1")}


def test_every_target_of_a_role_must_be_reached():
    # LEAD asks 4 with leaders and 3 with staff: A is ready with staff (4) but not with
    # leaders (3); B reaches both.
    org = tiny_org(psws=[psw("A", readiness=5, readiness_staff=4, readiness_leadership=3),
                         psw("B", readiness=4, readiness_staff=3, readiness_leadership=4)],
                   roles=[LEAD])
    assert placed(org) == {("B", "LEAD", "S1")}


def test_a_blank_target_saliency_is_the_roles_saliency():
    # TRAINER gives no saliency_staff: it asks its saliency, 3, with staff.
    assert TRAINER.asks == {"staff": 3}
    org = tiny_org(psws=[psw("A", readiness=5, readiness_staff=2)], roles=[TRAINER])
    assert placed(org) == set()


def test_a_blank_target_readiness_is_the_persons_readiness():
    org = tiny_org(psws=[psw("A", readiness=3)], roles=[TRAINER])
    assert placed(org) == {("A", "TRAINER", "S1")}


def test_stretch_covers_one_level_for_one_target_only():
    # Both stretch. A is one level short with staff and with leaders: two targets, refused.
    # B is one level short with leaders only: a stretch placement.
    org = tiny_org(psws=[psw("A", readiness=5, readiness_staff=2, readiness_leadership=3,
                             stretch=True),
                         psw("B", readiness=5, readiness_staff=3, readiness_leadership=3,
                             stretch=True)],
                   roles=[LEAD])
    result = plan(org)
    assert [(a.psw_id, a.stretch) for a in result.assignments] == [("B", True)]
    assert result.kpis.stretch_placements == 1


def test_stretch_does_not_cover_two_levels_with_one_target():
    org = tiny_org(psws=[psw("A", readiness=5, readiness_staff=1, stretch=True)],
                   roles=[TRAINER])
    assert placed(org) == set()


def test_fit_takes_the_tightest_target():
    # A is ready at 4 with service users and 3 with staff. NAV asks 3 of service users
    # (one level to spare: underuse), TRAINER asks 3 of staff (exactly A's readiness with
    # staff): the readiness term prefers TRAINER, and the plan takes it.
    nav = role("NAV", saliency=3)
    person = psw("A", readiness=4, readiness_staff=3)
    s1 = service("S1")
    assert score_placement(person, nav, s1).components["readiness_match"] == 32.0
    assert score_placement(person, TRAINER, s1).components["readiness_match"] == 40.0
    org = tiny_org(psws=[person], roles=[nav, TRAINER], services=[service("S1", demand_fte=1)])
    assert placed(org) == {("A", "TRAINER", "S1")}


def test_fit_of_a_two_target_role_is_its_tightest_gap():
    person = psw("A", readiness=5, readiness_staff=4, readiness_leadership=4)
    assert readiness_gap(person, LEAD) == 0  # leaders 4 of 4; staff 3 of 4 has room
    assert score_placement(person, LEAD, service("S1")).components["readiness_match"] == 40.0


def test_the_reason_names_the_target():
    person = psw("A", readiness=4, readiness_staff=2)
    assert readiness(person, TRAINER) == (
        "ready to disclose to service users at 4, to staff at 2; Role TRAINER asks 3 with staff")
    result = plan(tiny_org(psws=[person], roles=[TRAINER]))
    (unplaced,) = result.unassigned
    assert any("to staff at 2" in reason for reason in unplaced.reasons)


def test_a_role_without_targets_is_judged_as_before():
    person = psw("A", readiness=2, readiness_staff=5, readiness_leadership=5)
    ward = role("WARD", saliency=4)
    assert readiness(person, ward) == "readiness 2 is below the role's saliency 4"


def test_a_position_to_recruit_asks_the_readiness_of_each_target():
    org = tiny_org(psws=[psw("A", readiness=1)], roles=[LEAD], allow_vacancies=True)
    result = plan(org)
    (vacancy,) = result.vacancies
    assert vacancy.profile["min_readiness"] is None  # LEAD does not disclose to service users
    assert vacancy.profile["min_readiness_by_target"] == {"leadership": 4, "staff": 3}


def test_the_story_of_a_placement_names_its_targets():
    from planner.reports.story import story

    org = tiny_org(psws=[psw("A", readiness=5, readiness_staff=3, readiness_leadership=4)],
                   roles=[LEAD])
    assert ("  discloses mainly to leaders (leaders: asks 4, ready at 4; staff: asks 3, "
            "ready at 3).") in story(plan(org), "A").splitlines()
