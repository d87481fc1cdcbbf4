"""Each optimisation rule alone, on a tiny hand-made organisation of two or three people.

Every test fails if its rule is removed from the model.
"""

from __future__ import annotations

from planner.solve.planning import plan
from tests.helpers.orgs import psw, role, service, tiny_org


def placed(org) -> set[tuple[str, str, str]]:
    return {(a.psw_id, a.role_id, a.service_id) for a in plan(org).assignments}


# -- single-placement rules (planner/core/eligibility.py) ------------------------------


def test_readiness_below_saliency_is_not_placed():
    org = tiny_org(psws=[psw("A", readiness=2)], roles=[role("WARD", saliency=4)])
    assert plan(org).assignments == ()


def test_stretch_allows_one_level_with_support():
    org = tiny_org(psws=[psw("A", readiness=3, stretch=True)], roles=[role("WARD", saliency=4)])
    (a,) = plan(org).assignments
    assert a.stretch
    assert plan(org).kpis.stretch_placements == 1


def test_stretch_does_not_allow_two_levels():
    org = tiny_org(psws=[psw("A", readiness=3, stretch=True)], roles=[role("WARD", saliency=5)])
    assert plan(org).assignments == ()


def test_experience_below_role_minimum_is_not_placed():
    org = tiny_org(
        psws=[psw("A", experience=1), psw("B", experience=3)],
        roles=[role("SENIOR", min_experience=3)],
    )
    assert placed(org) == {("B", "SENIOR", "S1")}


def test_role_is_only_deployed_in_its_settings():
    roles = [role("WARD", settings=("inpatient",))]
    assert placed(tiny_org(roles=roles, services=[service("S1", setting="community")])) == set()
    assert len(placed(tiny_org(roles=roles, services=[service("S1", setting="inpatient")]))) == 2


def test_topic_role_needs_a_shared_topic():
    org = tiny_org(
        psws=[psw("A", topics=("wellness",)), psw("B", topics=("vocational", "trauma"))],
        roles=[role("IPS", topics=("vocational",))],
    )
    assert placed(org) == {("B", "IPS", "S1")}


def test_service_climate_below_role_minimum_blocks_it():
    roles = [role("WARD", saliency=3, min_climate=4)]
    assert placed(tiny_org(roles=roles, services=[service("S1", climate=3)])) == set()
    assert len(placed(tiny_org(roles=roles, services=[service("S1", climate=4)]))) == 2


def test_excluded_service_is_never_used():
    org = tiny_org(psws=[psw("A", exclude_services=("S1",))])
    assert plan(org).assignments == ()


def test_region_needs_travel():
    org = tiny_org(
        psws=[psw("A", region="North"), psw("B", region="North", travel=True)],
        services=[service("S1", region="South")],
    )
    assert placed(org) == {("B", "R1", "S1")}


# -- rules across placements (planner/solve/model.py) ----------------------------------


def test_service_demand_caps_fte_placed():
    org = tiny_org(services=[service("S1", demand_fte=1.0)])
    assert len(plan(org).assignments) == 1


def test_placement_fte_is_min_of_availability_and_role_size():
    org = tiny_org(psws=[psw("A", available_fte=0.6)], roles=[role("R1", fte=0.8)])
    (a,) = plan(org).assignments
    assert a.fte == 0.6


def test_one_position_per_person():
    org = tiny_org(psws=[psw("A")], services=[service("S1"), service("S2")])
    assert len(plan(org).assignments) == 1


def test_several_positions_add_up_to_availability():
    org = tiny_org(
        psws=[psw("A", available_fte=1.0)],
        roles=[role("HALF", fte=0.5)],
        services=[service("S1"), service("S2"), service("S3")],
        max_positions_per_psw=3,
    )
    result = plan(org)
    assert len(result.assignments) == 2
    assert sum(a.fte for a in result.assignments) == 1.0


def test_budget_caps_cost():
    org = tiny_org(budget=45_000)
    result = plan(org)
    assert len(result.assignments) == 1
    assert result.kpis.cost <= 45_000


def test_lone_peer_forbid_leaves_a_single_person_unplaced():
    org = tiny_org(psws=[psw("A")], lone_peer="forbid")
    result = plan(org)
    assert result.assignments == ()
    assert any("lone_peer" in r for r in result.unassigned[0].reasons)


def test_lone_peer_forbid_places_a_pair_together():
    org = tiny_org(lone_peer="forbid", services=[service("S1"), service("S2")])
    assert len({s for _, _, s in placed(org)}) == 1


def test_lone_peer_discourage_puts_two_people_in_one_team():
    # Each prefers a different setting (20 points); two lone peers cost 2 x 60.
    org = tiny_org(
        psws=[psw("A", preferred_settings=("community",)),
              psw("B", preferred_settings=("outpatient",))],
        services=[service("S1", setting="community"), service("S2", setting="outpatient")],
        lone_peer="discourage",
    )
    result = plan(org)
    assert len({a.service_id for a in result.assignments}) == 1
    assert result.kpis.lone_peers == 0


def test_lone_peer_allow_lets_preferences_split_the_pair():
    org = tiny_org(
        psws=[psw("A", preferred_settings=("community",)),
              psw("B", preferred_settings=("outpatient",))],
        services=[service("S1", setting="community"), service("S2", setting="outpatient")],
        lone_peer="allow",
    )
    assert plan(org).kpis.lone_peers == 2


def test_supervision_needs_a_supervisor_per_span():
    org = tiny_org(
        psws=[psw("A", experience=0), psw("B", experience=0), psw("C", experience=4)],
        roles=[role("PEER", saliency=3), role("SUP", saliency=3, supervisor=True,
                                                 min_experience=3)],
        services=[service("S1", demand_fte=5)],
        supervisor_span=1,
    )
    result = plan(org)
    roles = sorted(a.role_id for a in result.assignments)
    assert roles.count("SUP") == 1
    assert roles.count("PEER") == 1


def test_supervision_is_counted_per_region():
    org = tiny_org(
        psws=[psw("A", region="N", experience=0), psw("B", region="S", experience=0),
              psw("C", region="S", experience=4)],
        roles=[role("PEER"), role("SUP", supervisor=True, min_experience=3)],
        services=[service("S1", region="N"), service("S2", region="S")],
        supervisor_span=5,
    )
    # C supervises B in S; A in N has no supervisor in reach, so A cannot be placed.
    assert placed(org) == {("B", "PEER", "S2"), ("C", "SUP", "S2")}


def test_a_supervisor_takes_no_frontline_demand():
    # S1 needs 1 FTE of frontline peer support: A fills it, and C supervises A on top.
    org = tiny_org(psws=[psw("A", experience=0), psw("C", experience=4)],
                   roles=[role("PEER"), role("SUP", supervisor=True, min_experience=3)],
                   services=[service("S1", demand_fte=1.0)], supervisor_span=5)
    result = plan(org)
    assert {(a.psw_id, a.role_id) for a in result.assignments} == {("A", "PEER"), ("C", "SUP")}
    (s1,) = result.services
    assert (s1.filled_fte, s1.supervisor_fte, s1.unmet_fte) == (1.0, 1.0, 0.0)
    assert result.kpis.coverage == 1.0  # the frontline alone covers the demand


def test_no_more_supervisors_than_the_staff_need():
    # Two staff need one supervisor (span 5): D, who could supervise too, is not placed
    # as a second one, though a supervisor placement would score.
    people = [psw("A", experience=0), psw("B", experience=0), psw("C", experience=4),
              psw("D", experience=4, readiness=4)]
    org = tiny_org(psws=people, roles=[role("PEER", saliency=2),
                                       role("SUP", supervisor=True, min_experience=3)],
                   services=[service("S1", demand_fte=2.0)], supervisor_span=5)
    result = plan(org)
    assert sum(a.role_id == "SUP" for a in result.assignments) == 1
    assert len(result.assignments) == 3
    (left,) = result.unassigned
    assert left.reason.startswith(("Their region already has the peer supervisors",
                                   "The positions open to them are taken"))


def test_a_locked_supervisor_beyond_the_need_keeps_the_post():
    people = [psw("A", experience=0), psw("C", experience=4),
              psw("D", experience=4, current_service="S1", current_role="SUP", lock=True)]
    org = tiny_org(psws=people, roles=[role("PEER"), role("SUP", supervisor=True,
                                                          min_experience=3)],
                   services=[service("S1", demand_fte=1.0)], supervisor_span=5)
    assert sum(a.role_id == "SUP" for a in plan(org).assignments) == 2


def test_lock_keeps_the_current_placement():
    def person(lock: bool):
        return psw("A", current_service="S2", current_role="R1", lock=lock,
                   preferred_settings=("community",))

    services = [service("S1", setting="community"), service("S2", setting="outpatient")]
    # Without moving costs, the preferred setting (20 points) beats continuity (15).
    free = tiny_org(psws=[person(False)], services=services, weight_move=0)
    assert placed(free) == {("A", "R1", "S1")}
    locked = tiny_org(psws=[person(True)], services=services, weight_move=0)
    assert placed(locked) == {("A", "R1", "S2")}
    (a,) = plan(locked).assignments
    assert a.locked and a.stays


def test_moving_costs_points():
    people = [psw("A", current_service="S2", current_role="R1",
                  preferred_settings=("community",))]
    services = [service("S1", setting="community"), service("S2", setting="outpatient")]
    # Setting preference is worth 20 points; a move costs 20 + continuity 15.
    result = plan(tiny_org(psws=people, services=services, weight_move=20))
    assert {(a.service_id, a.stays) for a in result.assignments} == {("S2", True)}


def test_vacancies_cover_demand_nobody_on_staff_can():
    org = tiny_org(psws=[psw("A")], services=[service("S1", demand_fte=3)],
                   allow_vacancies=True)
    result = plan(org)
    (vac,) = result.vacancies
    assert (vac.positions, vac.fte) == (2, 2.0)
    assert vac.profile["min_readiness"] == 3
    assert result.services[0].unmet_fte == 0


def test_vacancies_respect_budget():
    org = tiny_org(psws=[psw("A")], services=[service("S1", demand_fte=3)],
                   allow_vacancies=True, budget=65_000)
    assert sum(v.positions for v in plan(org).vacancies) == 1


def test_stretch_penalty_prefers_a_fitting_role():
    # HIGH is the top choice (+40 autonomy) but strains (-20 fit): +20 without a penalty.
    people = [psw("A", readiness=3, stretch=True, preferred_roles=("HIGH",))]
    roles = [role("HIGH", saliency=4), role("MID", saliency=3)]
    assert placed(tiny_org(psws=people, roles=roles, penalty_stretch=0)) == {("A", "HIGH", "S1")}
    assert placed(tiny_org(psws=people, roles=roles, penalty_stretch=30)) == {("A", "MID", "S1")}


def test_saliency_tier_menu_opens_more_tracks():
    people = [psw(x, readiness=5) for x in "ABC"]
    roles = [role("LOW", saliency=1), role("MID", saliency=3), role("HIGH", saliency=5)]
    services = [service("S1", demand_fte=3, climate=5)]
    without = plan(tiny_org(psws=people, roles=roles, services=services))
    assert without.kpis.saliency_tiers_offered == 1
    menu = plan(tiny_org(psws=people, roles=roles, services=services,
                         min_saliency_tiers=3, weight_saliency_tier=60))
    assert menu.kpis.saliency_tiers_offered == 3
