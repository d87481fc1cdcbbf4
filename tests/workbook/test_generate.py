"""The synthetic organisation generator: reproducible, the sizes asked for, realistic."""

from __future__ import annotations

from collections import Counter
from statistics import mean

import pytest

from planner.core.domain import SETTINGS, Org
from planner.core.eligibility import placement_block
from planner.core.errors import UsageError
from planner.workbook.generate import band_cost, generate_org, role_catalogue


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org(1000, 150, regions=4, seed=7)


def test_same_seed_same_org_other_seed_other_org() -> None:
    assert generate_org(80, 12, regions=2, seed=3) == generate_org(80, 12, regions=2, seed=3)
    assert generate_org(80, 12, regions=2, seed=3) != generate_org(80, 12, regions=2, seed=4)


@pytest.mark.parametrize(("psws", "services", "regions"), [(1, 1, 1), (10, 4, 1), (60, 14, 3),
                                                           (200, 30, 9), (30, 5, 12)])
def test_sizes_are_as_asked(psws: int, services: int, regions: int) -> None:
    org = generate_org(psws, services, regions=regions, seed=1)
    assert (len(org.psws), len(org.services), len(org.roles)) == (psws, services, 14)
    assert len(org.psws_by_id) == psws and len(org.services_by_id) == services
    assert len({s.region for s in org.services}) == min(regions, -(-services // 4))


def test_rejects_empty_organisations() -> None:
    with pytest.raises(UsageError):
        generate_org(0, 10)


def test_role_catalogue_follows_the_design() -> None:
    roles = {r.role_id: r for r in role_catalogue()}
    assert roles["WARD"].saliency == 5 and roles["WARD"].min_climate == 3
    assert roles["HOUSING"].saliency == 1
    supervisor = roles["SUPERVISOR"]
    assert supervisor.supervisor and supervisor.min_experience == 3 and supervisor.saliency == 3
    assert {r.saliency for r in roles.values()} == {1, 2, 3, 4, 5}
    assert roles["NAVIGATOR"].generic
    assert band_cost(3) == 32_210.0  # AfC 2025/26 band 3 midpoint 25,768 + 25% on-costs
    assert {r.cost_per_fte for r in roles.values()} == {band_cost(b) for b in (3, 4, 5)}
    assert all(set(r.settings) <= set(SETTINGS) for r in roles.values())


def test_part_time_share_and_sizes(org: Org) -> None:
    part_time = [p for p in org.psws if p.available_fte < 1]
    assert 0.35 <= len(part_time) / len(org.psws) <= 0.55
    assert all(0.4 <= p.available_fte <= 0.8 for p in part_time)


def test_readiness_centred_on_the_middle(org: Org) -> None:
    readiness = Counter(p.readiness for p in org.psws)
    assert 3.0 <= mean(p.readiness for p in org.psws) <= 3.5
    assert readiness.most_common(1)[0][0] == 3
    assert set(readiness) == {1, 2, 3, 4, 5}


def test_people_traits_in_plausible_shares(org: Org) -> None:
    n = len(org.psws)
    assert 0.15 <= sum(p.travel for p in org.psws) / n <= 0.25
    assert 0.10 <= sum(p.stretch for p in org.psws) / n <= 0.20
    assert 0.05 <= sum(bool(p.exclude_services) for p in org.psws) / n <= 0.15
    assert 0.55 <= sum(p.current_service is not None for p in org.psws) / n <= 0.65
    assert 0.02 <= sum(p.lock for p in org.psws) / n <= 0.04
    assert all(1 <= len(p.topics) <= 3 for p in org.psws)
    assert all(len(p.preferred_roles) <= 3 and len(p.preferred_settings) <= 2
               for p in org.psws)


def test_demand_exceeds_supply_and_budget_follows(org: Org) -> None:
    supply = sum(p.available_fte for p in org.psws)
    demand = sum(s.demand_fte for s in org.services)
    assert 1.1 <= demand / supply <= 1.3 + 0.01
    assert all(s.demand_fte >= 0.5 for s in org.services)
    assert org.policy.budget is not None
    assert 0.8 * 30_000 * demand <= org.policy.budget <= 0.95 * 40_000 * demand


def test_demand_stays_within_half_to_four_fte_when_teams_are_many() -> None:
    org = generate_org(200, 120, regions=3, seed=2)
    assert all(0.5 <= s.demand_fte <= 4.0 for s in org.services)


def test_climates_cover_the_scale_and_centre_on_three(org: Org) -> None:
    climates = Counter(s.climate for s in org.services)
    assert set(climates) == {1, 2, 3, 4, 5}
    assert climates.most_common(1)[0][0] == 3


def test_every_current_placement_keeps_the_rules(org: Org) -> None:
    """Readiness at least the saliency (no stretch today), same region, and every hard rule
    of `planner.core.eligibility`; no service filled beyond its demand."""
    filled: Counter[str] = Counter()
    for p in org.psws:
        if p.current_service is None:
            assert p.current_role is None and not p.lock
            continue
        service = org.services_by_id[p.current_service]
        role = org.roles_by_id[str(p.current_role)]
        assert role.saliency <= p.readiness
        assert service.region == p.region
        assert placement_block(p, role, service) is None
        filled[service.service_id] += p.available_fte
    assert all(fte <= org.services_by_id[sid].demand_fte + 1e-9 for sid, fte in filled.items())


def test_locked_people_share_a_topic_with_their_service(org: Org) -> None:
    for p in org.psws:
        if p.lock:
            assert set(p.topics) & set(org.services_by_id[str(p.current_service)].topics)


def test_references_point_to_existing_rows(org: Org) -> None:
    for p in org.psws:
        assert set(p.preferred_roles) <= set(org.roles_by_id)
        assert set(p.exclude_services) <= set(org.services_by_id)
        assert p.current_service not in p.exclude_services
        assert set(p.preferred_settings) <= set(SETTINGS)
    for s in org.services:
        assert s.setting in SETTINGS and set(s.topics) <= set(org.topics)


def test_names_are_synthetic_and_ids_readable(org: Org) -> None:
    assert org.psws[0].psw_id == "P0001" and org.services[0].service_id == "S001"
    assert len({s.name for s in org.services}) == len(org.services)
    assert all(p.name.count(" ") == 1 for p in org.psws)
