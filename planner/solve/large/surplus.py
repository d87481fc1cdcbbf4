"""Supervision of a plan joined from blocks: no more supervisors than a region needs.

Each block keeps the supervision rule within its own part of a region (`model`: at least
and at most the need of the PSWs placed there). Joined, a region cut into parts may hold
more supervisor positions than the need of all its PSWs (each part rounds its need up).
The surplus goes: positions to recruit first, then the placements worth least, never a
locked one, nor one whose team would then break `lone_peer = forbid`. Every other rule
holds as before: a supervisor takes no demand, and fewer of them cost less.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from planner.core.domain import LonePeer
from planner.solve.model import BuiltModel, vacancy_points
from planner.solve.values import PlanValues


class SurplusKept(Exception):
    """A region's surplus supervisors cannot all go without breaking another rule."""


def without_surplus_supervisors(built: BuiltModel, plan: PlanValues) -> PlanValues:
    """`plan` with each region's supervisor positions cut to its need (locked ones on
    top); raises SurplusKept when a surplus placement cannot go."""
    org = built.org
    if not any(r.supervisor for r in org.roles):
        return plan
    chosen = [built.candidates[i] for i in plan.chosen(built)]
    staff = Counter(c.service.region or "" for c in chosen if not c.role.supervisor)
    team = Counter(c.service.service_id for c in chosen)
    supervisors: dict[str, list] = defaultdict(list)
    for cand in chosen:
        if cand.role.supervisor:
            supervisors[cand.service.region or ""].append(cand)
    recruited: dict[str, list] = defaultdict(list)
    for slot in built.vacancies:
        if slot.role.supervisor and plan.positions.get(slot.key):
            recruited[slot.service.region or ""].append(slot)
    placements, positions = set(plan.placements), dict(plan.positions)
    for region in set(supervisors) | set(recruited):
        placed = supervisors[region]
        allowed = math.ceil(staff[region] / org.policy.supervisor_span)
        allowed += sum(c.locked for c in placed)
        surplus = len(placed) + sum(positions[s.key] for s in recruited[region]) - allowed
        for slot in sorted(recruited[region], key=lambda s: (vacancy_points(s, org), s.key)):
            cut = min(surplus, positions[slot.key]) if surplus > 0 else 0
            positions[slot.key] -= cut
            surplus -= cut
        for cand in sorted((c for c in placed if not c.locked),
                           key=lambda c: (built.points[built.candidate_index[c.key]], c.key)):
            if surplus <= 0:
                break
            if _team_too_small(org, cand.service, team[cand.service.service_id] - 1):
                continue
            placements.discard(cand.key)
            team[cand.service.service_id] -= 1
            surplus -= 1
        if surplus > 0:
            raise SurplusKept(f"region {region or '(none)'}: {surplus} supervisor(s) beyond "
                              "the need")
    return PlanValues(frozenset(placements), positions)


def _team_too_small(org, service, left: int) -> bool:
    """Whether a team of `left` PSWs would break `lone_peer = forbid`."""
    return (org.policy.lone_peer is LonePeer.FORBID
            and 0 < left < org.min_peers(service))
