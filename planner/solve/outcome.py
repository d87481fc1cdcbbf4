"""Turn a solution into the Plan's tables: services, role mix, people and KPIs."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from statistics import fmean

from planner.core.domain import Org, Policy, Service
from planner.core.results import (
    Kpis,
    Person,
    RegionCost,
    RoleInfo,
    RoleMixCell,
    ServiceOutcome,
    Unassigned,
    Vacancy,
)
from planner.core.scoring import saliency_tier
from planner.core.wisn import derived_steps
from planner.solve.candidates import Candidate
from planner.solve.model import BuiltModel
from planner.solve.solver import SolveResult


def chosen_candidates(built: BuiltModel, result: SolveResult) -> list[Candidate]:
    return [built.candidates[i] for i in result.values.chosen(built)]


def service_outcomes(
    org: Org, chosen: list[Candidate], vacancies: tuple[Vacancy, ...]
) -> tuple[ServiceOutcome, ...]:
    """Each service's demand against its frontline cover: filled, to recruit and unmet
    (peer supervisors are counted apart: they are not frontline cover)."""
    supervisor = {r.role_id for r in org.roles if r.supervisor}
    filled: dict[str, float] = defaultdict(float)
    supervision: dict[str, float] = defaultdict(float)
    peers: Counter[str] = Counter()
    for cand in chosen:
        (supervision if cand.role.supervisor else filled)[cand.service.service_id] += cand.fte
        peers[cand.service.service_id] += 1
    vacant: dict[str, float] = defaultdict(float)
    for vac in vacancies:
        (supervision if vac.role_id in supervisor else vacant)[vac.service_id] += vac.fte
    return tuple(
        replace(_service_outcome(s, org.policy, filled[s.service_id], vacant[s.service_id],
                                 peers[s.service_id]),
                supervisor_fte=round(supervision[s.service_id], 2))
        for s in sorted(org.services, key=lambda s: s.service_id)
    )


def _service_outcome(service: Service, policy: Policy, filled: float, vacant: float,
                     peers: int) -> ServiceOutcome:
    demand = service.demand_fte
    steps = derived_steps(service, policy)
    return ServiceOutcome(
        service_id=service.service_id,
        name=service.name,
        demand_fte=demand,
        filled_fte=round(filled, 2),
        vacant_fte=round(vacant, 2),
        unmet_fte=round(max(0.0, demand - filled - vacant), 2),
        peers=peers,
        climate=service.climate,
        setting=service.setting,
        region=service.region,
        lone_peer=peers == 1,
        wisn_ratio=round(filled / demand, 2) if steps and demand else None,
        wisn=steps,
        workforce_problem=round(demand - filled, 2) if steps else None,
    )


def region_costs(org: Org, chosen: list[Candidate],
                 vacancies: tuple[Vacancy, ...]) -> tuple[RegionCost, ...]:
    """Each region with a budget of its own: the cost of its services' positions, filled
    and to recruit (as booked against the budget), by region name."""
    cost: dict[str | None, float] = defaultdict(float)
    for cand in chosen:
        cost[cand.service.region] += cand.cost
    for vac in vacancies:
        cost[org.services_by_id[vac.service_id].region] += vac.cost
    return tuple(RegionCost(region, budget, round(cost[region], 2))
                 for region, budget in sorted(org.region_budgets.items()))


def role_mix(chosen: list[Candidate], vacancies: tuple[Vacancy, ...]) -> tuple[RoleMixCell, ...]:
    """Positions per (service, role): the role mix the plan proposes."""
    cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for cand in chosen:
        cell = cells[(cand.service.service_id, cand.role.role_id)]
        cell[0] += 1
        cell[2] += cand.fte
    for vac in vacancies:
        cell = cells[(vac.service_id, vac.role_id)]
        cell[1] += vac.positions
        cell[3] += vac.fte
    return tuple(
        RoleMixCell(s, r, int(c[0]), int(c[1]), round(c[2], 2), round(c[3], 2))
        for (s, r), c in sorted(cells.items())
    )


def role_infos(org: Org) -> tuple[RoleInfo, ...]:
    return tuple(
        RoleInfo(
            role_id=r.role_id,
            title=r.title,
            saliency=r.saliency,
            tier=saliency_tier(r.saliency),
            topics=r.topics,
            career_track=r.career_track,
            supervisor=r.supervisor,
            fte=r.fte,
            cost_per_fte=r.cost_per_fte,
            settings=r.settings,
            min_climate=r.min_climate,
            targets=r.disclosure_targets,
            asks=r.asks,
        )
        for r in sorted(org.roles, key=lambda r: r.role_id)
    )


def people_outcomes(org: Org, chosen: list[Candidate]) -> tuple[Person, ...]:
    by_psw: dict[str, list[Candidate]] = defaultdict(list)
    for cand in chosen:
        by_psw[cand.psw.psw_id].append(cand)
    people = sorted(org.psws, key=lambda p: p.psw_id)
    return tuple(_person(p, by_psw.get(p.psw_id, [])) for p in people)


def _person(psw, placements: list[Candidate]) -> Person:
    ranks = [c.preference_rank for c in placements if c.preference_rank is not None]
    return Person(
        psw_id=psw.psw_id,
        name=psw.name,
        readiness=psw.readiness,
        topics=psw.topics,
        available_fte=psw.available_fte,
        region=psw.region,
        preferred_roles=psw.preferred_roles,
        preferred_settings=psw.preferred_settings,
        placed_fte=round(sum(c.fte for c in placements), 2),
        preference_rank=min(ranks) if ranks else None,
        moved=_moved(psw, placements),
        current_service=psw.current_service,
        current_role=psw.current_role,
        readiness_staff=psw.readiness_staff,
        readiness_leadership=psw.readiness_leadership,
    )


def _moved(psw, placements: list[Candidate]) -> bool:
    """A person with a current placement who does not keep it."""
    if not psw.current_service or not psw.current_role:
        return False
    return not any(c.stays for c in placements)


def compute_kpis(
    org: Org,
    chosen: list[Candidate],
    vacancies: tuple[Vacancy, ...],
    unassigned: tuple[Unassigned, ...],
    services: tuple[ServiceOutcome, ...],
    people: tuple[Person, ...],
) -> Kpis:
    demand = sum(s.demand_fte for s in services)
    filled = sum(s.filled_fte for s in services)  # frontline: supervisors are apart
    vacant = sum(s.vacant_fte for s in services)
    with_prefs = [c for c in chosen if c.psw.preferred_roles]
    offered = {c.role for c in chosen} | {org.roles_by_id[v.role_id] for v in vacancies}
    return Kpis(
        coverage=_share(filled, demand),
        planned_coverage=_share(filled + vacant, demand),
        mean_fit=round(fmean(c.score.fit for c in chosen), 2) if chosen else 0.0,
        mean_autonomy=round(fmean(c.score.autonomy for c in chosen), 2) if chosen else 0.0,
        top_choice_share=_share(sum(c.preference_rank == 1 for c in with_prefs), len(with_prefs)),
        cost=round(sum(c.cost for c in chosen) + sum(v.cost for v in vacancies), 2),
        budget=org.policy.budget,
        demand_fte=round(demand, 2),
        filled_fte=round(filled, 2),
        vacant_fte=round(vacant, 2),
        placed=len({c.psw.psw_id for c in chosen}),
        unassigned=len(unassigned),
        vacancies=sum(v.positions for v in vacancies),
        lone_peers=sum(s.lone_peer for s in services),
        stretch_placements=sum(c.stretch for c in chosen),
        moves=sum(p.moved for p in people),
        saliency_levels_offered=len({r.saliency for r in offered}),
        saliency_tiers_offered=len({saliency_tier(r.saliency) for r in offered}),
        supervisors=sum(c.role.supervisor for c in chosen),
    )


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0
