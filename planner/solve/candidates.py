"""Candidate placements: every (person, role, service) that the single-placement rules allow.

Rules are checked on people x roles, roles x services and people x services apart, so the
work grows with the number of allowed triples, not with every triple.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from planner.core import eligibility
from planner.core.domain import PSW, Org, Role, Service
from planner.core.scoring import (
    PlacementScore,
    Scorer,
    is_current,
    preference_rank,
    saliency_tier,
    score_placement,
)


@dataclass(frozen=True)
class Candidate:
    """One allowed placement, with its size, cost and score worked out once."""

    psw: PSW
    role: Role
    service: Service
    fte: float
    cost: float
    score: PlacementScore
    stretch: bool
    stays: bool  # it is the person's current placement
    locked: bool
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.psw.psw_id, self.role.role_id, self.service.service_id)

    @property
    def preference_rank(self) -> int | None:
        return preference_rank(self.psw, self.role)


def placement_fte(psw: PSW, role: Role) -> float:
    """A placement is the role's standard size, or less when the person works less."""
    return round(min(psw.available_fte, role.fte), 2)


def make_candidate(psw: PSW, role: Role, service: Service, warnings: tuple[str, ...] = (),
                   scorer: Scorer | None = None) -> Candidate:
    return _PersonRole(psw, role).candidate(service, scorer, warnings)


class _PersonRole:
    """What a placement's person and role alone decide (its size, cost and whether it is a
    stretch), worked out once for all the services the pair may go to."""

    def __init__(self, psw: PSW, role: Role) -> None:
        self.psw, self.role = psw, role
        self.fte = placement_fte(psw, role)
        self.cost = round(self.fte * role.cost_per_fte, 2)
        self.stretch = eligibility.is_stretch(psw, role)

    def candidate(self, service: Service, scorer: Scorer | None = None,
                  warnings: tuple[str, ...] = ()) -> Candidate:
        psw, role = self.psw, self.role
        current = is_current(psw, role, service)
        return Candidate(
            psw=psw, role=role, service=service, fte=self.fte, cost=self.cost,
            score=(scorer.score if scorer else score_placement)(psw, role, service),
            stretch=self.stretch, stays=current, locked=psw.lock and current,
            warnings=warnings)


def enumerate_candidates(org: Org) -> list[Candidate]:
    """All allowed placements in a canonical order (by ids), plus every locked placement.

    A locked placement is kept even when it breaks a rule: the planner said so. The broken
    rule is carried as a warning on the placement.
    """
    with gc_paused():
        return [cand for own in candidates_by_person(org) for cand in own]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while millions of placements are made: they hold no
    cycles, and its passes over them took a quarter of enumerating 1.6 million."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def candidates_by_person(org: Org) -> Iterator[list[Candidate]]:
    """The allowed placements of one person at a time (people in id order), so a caller
    that only needs a summary of each need not hold every placement at once."""
    services_for_role = _services_for_role_by_region(org)
    scorer = Scorer()
    roles = sorted(org.roles, key=lambda r: r.role_id)
    for psw in sorted(org.psws, key=lambda p: p.psw_id):
        own = [
            pair.candidate(service, scorer)
            for pair in (_PersonRole(psw, role) for role in roles
                         if eligibility.person_role_block(psw, role) is None)
            for service in _reachable(psw, services_for_role[pair.role.role_id])
            if eligibility.exclusion(psw, service) is None
        ]
        if psw.lock and not any(c.locked for c in own):
            own.append(_locked_candidate(org, psw))
        yield own


def drop_dominated(
    candidates: list[Candidate], value: Callable[[Candidate], float]
) -> list[Candidate]:
    """The candidates no other one dominates, in their order.

    In the same service, a placement of the same person dominates another when it has the
    same FTE (demand, availability), the same saliency tier and supervisor flag (the tier
    menu, supervision), a topic track if the other has one, no more cost (budget) and no
    less objective value. Swapping the dominated one for it keeps every rule and never
    lowers the objective, so an optimum never needs it. Locked placements always stay.
    """
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for cand in candidates:
        groups[_dominance_group(cand)].append(cand)
    dropped: set[int] = set()
    for group in groups.values():
        ranked = sorted(group, key=lambda c: (-value(c), c.cost, not c.role.topics,
                                              c.role.role_id))
        for i, weaker in enumerate(ranked):
            if not weaker.locked and any(_dominates(s, weaker, value) for s in ranked[:i]):
                dropped.add(id(weaker))
    return [c for c in candidates if id(c) not in dropped]


def dominating(weak: Candidate, among: Iterable[Candidate],
               value: Callable[[Candidate], float]) -> Candidate | None:
    """One of `among` that dominates `weak` (as `drop_dominated` has it), None if none does:
    a plan holding `weak` keeps every rule, and scores no less, with it in its place."""
    group = _dominance_group(weak)
    return next((c for c in among
                 if _dominance_group(c) == group and _dominates(c, weak, value)), None)


def _dominance_group(cand: Candidate) -> tuple:
    return (cand.psw.psw_id, cand.service.service_id, cand.fte, cand.role.supervisor,
            saliency_tier(cand.role.saliency))


def _dominates(strong: Candidate, weak: Candidate, value: Callable[[Candidate], float]) -> bool:
    return (strong.cost <= weak.cost and value(strong) >= value(weak)
            and (bool(strong.role.topics) or not weak.role.topics))


def _locked_candidate(org: Org, psw: PSW) -> Candidate:
    role = org.roles_by_id[psw.current_role or ""]
    service = org.services_by_id[psw.current_service or ""]
    blocked = eligibility.placement_block(psw, role, service)
    warnings = (f"locked although {blocked.reason} (rule: {blocked.rule})",) if blocked else ()
    return make_candidate(psw, role, service, warnings)


def _services_for_role_by_region(org: Org) -> dict[str, dict[str | None, list[Service]]]:
    """role_id -> region -> services (sorted by id) where the role may be deployed."""
    table: dict[str, dict[str | None, list[Service]]] = {}
    services = sorted(org.services, key=lambda s: s.service_id)
    for role in org.roles:
        by_region: dict[str | None, list[Service]] = defaultdict(list)
        for service in services:
            if eligibility.role_service_block(role, service) is None:
                by_region[service.region or None].append(service)
        table[role.role_id] = by_region
    return table


def _reachable(psw: PSW, by_region: dict[str | None, list[Service]]) -> list[Service]:
    """Services the person can reach. All services of a group share a region, so the
    region rule is asked once per group."""
    reachable = [
        service
        for group in by_region.values()
        if group and eligibility.region(psw, group[0]) is None
        for service in group
    ]
    return sorted(reachable, key=lambda s: s.service_id)
