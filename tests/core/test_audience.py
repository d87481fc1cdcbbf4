"""The director view: pseudonyms, no personal profile, neutral reasons, small groups hidden."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pytest

from planner.core.audience import (
    FILLED_BY_OTHERS,
    NO_FITTING_ROLE,
    Audience,
    people_count,
    privacy_k,
    pseudonym,
    view_for,
)
from planner.core.results import Plan, Vacancy, to_json
from planner.solve.planning import plan
from tests.helpers.orgs import psw, service, tiny_org
from tests.helpers.paths import SAMPLES

SHA_A = "a" * 64
SHA_B = "b" * 64


def _with_hash(org, sha: str = SHA_A):
    return replace(org, input_sha256=sha)


@pytest.fixture(scope="module")
def crowded_plan() -> Plan:
    """Four people for two positions: one crowded out, one (B) not ready for any role."""
    org = tiny_org(
        psws=[psw("A"), psw("B", readiness=1, topics=("trauma",)), psw("C"), psw("D")],
        services=[service("S1", demand_fte=2.0)],
    )
    return plan(_with_hash(org))


def _director_text(p: Plan) -> str:
    return to_json(view_for(p, Audience.DIRECTOR))


def test_hr_view_is_the_plan_itself(crowded_plan: Plan) -> None:
    assert view_for(crowded_plan, Audience.HR) is crowded_plan


def test_director_view_names_no_psw_id_or_name(crowded_plan: Plan) -> None:
    text = _director_text(crowded_plan)
    for person in crowded_plan.people:
        assert f'"{person.psw_id}"' not in text
        assert person.name not in text
    assert "trauma" not in text  # B's lived-experience topic
    assert "readiness 1" not in text


def test_director_view_keeps_positions_and_drops_profile(crowded_plan: Plan) -> None:
    view = view_for(crowded_plan, Audience.DIRECTOR)
    assert view.people == ()
    for hr, director in zip(crowded_plan.assignments, view.assignments, strict=True):
        assert (director.role_id, director.service_id, director.fte) == (
            hr.role_id, hr.service_id, hr.fte)
        assert (director.fit, director.autonomy, director.score) == (hr.fit, hr.autonomy, hr.score)
        assert director.components == {}
        assert director.preference_rank is None
        assert not director.stretch and director.warnings == ()
        assert director.psw_id == pseudonym(hr.psw_id, SHA_A)
    assert view.services == crowded_plan.services
    assert view.kpis == crowded_plan.kpis


def test_director_unassigned_reasons_are_neutral(crowded_plan: Plan) -> None:
    view = view_for(crowded_plan, Audience.DIRECTOR)
    reasons = {u.psw_id: u.reasons for u in view.unassigned}
    assert reasons[pseudonym("B", SHA_A)] == (NO_FITTING_ROLE,)
    (crowded_out,) = {u.psw_id for u in crowded_plan.unassigned} - {"B"}
    assert reasons[pseudonym(crowded_out, SHA_A)] == (FILLED_BY_OTHERS, "limited by: demand")


def test_pseudonyms_are_stable_and_keyed_by_input() -> None:
    first = pseudonym("P0001", SHA_A)
    assert first == pseudonym("P0001", SHA_A)
    assert first.startswith("Peer-") and len(first) == len("Peer-") + 8
    assert first != pseudonym("P0001", SHA_B)
    assert first != pseudonym("P0002", SHA_A)


def test_two_views_of_one_plan_agree(crowded_plan: Plan) -> None:
    assert _director_text(crowded_plan) == _director_text(crowded_plan)


def test_director_view_does_not_publish_the_pseudonym_key(crowded_plan: Plan) -> None:
    view = view_for(crowded_plan, Audience.DIRECTOR)
    assert SHA_A not in to_json(view)
    assert SHA_A.startswith(view.input_sha256)


def test_locked_person_in_a_conflict_is_pseudonymised() -> None:
    org = tiny_org(
        psws=[psw("A", lock=True, current_service="S1", current_role="R1"), psw("C")],
        budget=10_000,
    )
    infeasible = plan(_with_hash(org))
    assert any("lock: A " in c for c in infeasible.conflicts)
    conflicts = view_for(infeasible, Audience.DIRECTOR).conflicts
    assert f"lock: {pseudonym('A', SHA_A)} is locked into R1 at S1" in conflicts
    assert not any(" A " in c for c in conflicts)


def test_vacancy_reasons_hide_small_counts_of_staff() -> None:
    reasons = (
        "demand of S1 is not covered; 9 of the staff could take R1 there, 2 of them are "
        "placed where they add more",
        "demand of S1 is not covered and nobody on the staff may take R1 there: "
        "readiness (3), topics (12)",
    )
    vacancies = tuple(Vacancy("R1", "S1", 1, 1.0, 30_000.0, {}, r) for r in reasons)
    hr = Plan("0", SHA_A, "x.xlsx", "optimal", 0, 0, 0, 0.0, {"k": 5}, None,
              vacancies=vacancies)
    shown = [v.reason for v in view_for(hr, Audience.DIRECTOR).vacancies]
    assert shown[0].endswith("9 of the staff could take R1 there, <5 of them are placed "
                             "where they add more")
    assert shown[1].endswith("readiness (<5), topics (12)")


def test_sample_director_view_leaks_no_person() -> None:
    from planner.workbook.read import read_org

    org = read_org(SAMPLES / "community_agency.xlsx")
    hr = plan(org)
    text = json.dumps(asdict(view_for(hr, Audience.DIRECTOR)), default=str)
    for person in org.psws:
        assert f'"{person.psw_id}"' not in text
        assert person.name not in text


@pytest.mark.parametrize(
    ("n", "audience", "shown"),
    [
        (0, Audience.DIRECTOR, 0),
        (1, Audience.DIRECTOR, "<5"),
        (4, Audience.DIRECTOR, "<5"),
        (5, Audience.DIRECTOR, 5),
        (3, Audience.HR, 3),
    ],
)
def test_people_count_suppresses_small_groups(n: int, audience: Audience, shown) -> None:
    assert people_count(n, 5, audience) == shown


def test_privacy_k_comes_from_policy(crowded_plan: Plan) -> None:
    assert privacy_k(crowded_plan) == 5
    assert privacy_k(replace(crowded_plan, policy={"k": 3})) == 3


def test_audience_may_be_given_as_text(crowded_plan: Plan) -> None:
    assert view_for(crowded_plan, "hr") is crowded_plan  # type: ignore[arg-type]
    assert view_for(crowded_plan, "director").people == ()  # type: ignore[arg-type]
    assert people_count(2, 5, "director") == "<5"  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        view_for(crowded_plan, "board")  # type: ignore[arg-type]
