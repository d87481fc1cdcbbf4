"""A quick feasible start for the solver: the best placements first, within every limit.

CP-SAT spends its first seconds on presolve and the root LP; a good plan handed over as a
hint means a large organisation has a sound plan from the first solution on. The hint only
guides the search: the solver still proves (or bounds) the optimum of the full model.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.core.domain import LonePeer
from planner.solve.model import (
    BuiltModel,
    budget_limit,
    budget_units,
    hundredths,
    region_budget_limits,
    vacancy_points,
)
from planner.solve.values import PlanValues

MAX_REPAIRS = 5


class _Limits:
    """What is left of each limit as the greedy fills the plan."""

    def __init__(self, built: BuiltModel):
        org = built.org
        self.demand = {s.service_id: hundredths(s.demand_fte) for s in org.services}
        self.fte = {p.psw_id: hundredths(p.available_fte) for p in org.psws}
        self.positions: Counter[str] = Counter()
        self.most = org.policy.max_positions_per_psw
        limit = budget_limit(org.policy)
        self.budget = float("inf") if limit is None else limit
        self.region = {s.service_id: s.region or "" for s in org.services}
        self.region_budget: dict[str, float] = dict(region_budget_limits(org))

    def fits(self, psw_id: str, service_id: str, fte: int, cost: float,
             frontline: bool = True) -> bool:
        """Whether the person, the service's demand (frontline only) and the budgets have
        room for a placement."""
        return (self.positions[psw_id] < self.most and self.fte[psw_id] >= fte
                and (not frontline or self.demand[service_id] >= fte)
                and self.affords(service_id, cost))

    def affords(self, service_id: str, cost: float) -> bool:
        """Whether the budget and the service's region's budget have `cost` left."""
        region = self.region[service_id]
        return self.budget >= cost and self.region_budget.get(region, cost) >= cost

    def take(self, psw_id: str | None, service_id: str, fte: int, cost: float,
             frontline: bool = True) -> None:
        if psw_id is not None:
            self.positions[psw_id] += 1
            self.fte[psw_id] -= fte
        if frontline:
            self.demand[service_id] -= fte
        self.budget -= cost
        if self.region[service_id] in self.region_budget:
            self.region_budget[self.region[service_id]] -= cost


def greedy_start(built: BuiltModel) -> PlanValues:
    """The most valuable placements first within every limit, then vacancies."""
    limits = _Limits(built)
    chosen: set[int] = set()
    locked = [i for i, c in enumerate(built.candidates) if c.locked]
    by_value = sorted(range(len(built.candidates)),
                      key=lambda i: -built.points[i])
    for i in locked + [i for i in by_value if built.points[i] > 0]:
        c = built.candidates[i]
        fte, frontline = hundredths(c.fte), not c.role.supervisor
        if i in chosen or not (c.locked or limits.fits(c.psw.psw_id, c.service.service_id,
                                                      fte, budget_units(c.cost), frontline)):
            continue
        chosen.add(i)
        limits.take(c.psw.psw_id, c.service.service_id, fte, budget_units(c.cost), frontline)
    for _ in range(MAX_REPAIRS):  # each drop may leave another rule to mend
        mended = _drop_surplus_supervisors(built, _drop_unsupervised(
            built, _drop_short_teams(built, set(chosen))))  # the drops change their set
        if mended == chosen:
            break
        chosen = mended
    return PlanValues.of_model(built, sorted(chosen), _fill_vacancies(built, chosen))


def _drop_short_teams(built: BuiltModel, chosen: set[int]) -> set[int]:
    """With lone_peer = forbid, a team below its minimum is left empty (unless locked)."""
    if built.org.policy.lone_peer is not LonePeer.FORBID:
        return chosen
    team: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        team[built.candidates[i].service.service_id].append(i)
    for sid, members in team.items():
        need = built.org.min_peers(built.org.services_by_id[sid])
        if len(members) < need:
            chosen -= {i for i in members if not built.candidates[i].locked}
    return chosen


def _drop_unsupervised(built: BuiltModel, chosen: set[int]) -> set[int]:
    """Keep at most `supervisor_span` staff per supervisor in each region, the best first."""
    if not any(r.supervisor for r in built.org.roles):
        return chosen
    span = built.org.policy.supervisor_span
    sups: Counter[str] = Counter()
    staff: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        c = built.candidates[i]
        region = c.service.region or ""
        if c.role.supervisor:
            sups[region] += 1
        else:
            staff[region].append(i)
    for region, members in staff.items():
        members.sort(key=lambda i: (built.candidates[i].locked,
                                    built.points[i]))
        excess = len(members) - span * sups[region]
        chosen -= {i for i in members[:max(0, excess)] if not built.candidates[i].locked}
    return chosen


def _drop_surplus_supervisors(built: BuiltModel, chosen: set[int]) -> set[int]:
    """Keep no more supervisors in a region than its staff need (besides locked ones),
    the best first (`model.Builder.add_supervision`)."""
    span = built.org.policy.supervisor_span
    sups: dict[str, list[int]] = defaultdict(list)
    staff: Counter[str] = Counter()
    for i in chosen:
        c = built.candidates[i]
        region = c.service.region or ""
        if c.role.supervisor:
            sups[region].append(i)
        else:
            staff[region] += 1
    for region, members in sups.items():
        free = sorted((i for i in members if not built.candidates[i].locked),
                      key=lambda i: built.points[i])
        need = -(-staff[region] // span)  # locked supervisors come on top of it
        chosen = chosen - set(free[:max(0, len(free) - need)])
    return chosen


def _fill_vacancies(built: BuiltModel, chosen: set[int]) -> tuple[int, ...]:
    """Open the most valuable vacancies in the demand and budget the placements left."""
    limits = _Limits(built)
    for i in chosen:
        c = built.candidates[i]
        limits.take(None, c.service.service_id, hundredths(c.fte), budget_units(c.cost),
                    not c.role.supervisor)
    counts = [0] * len(built.vacancies)
    order = sorted(range(len(built.vacancies)),
                   key=lambda j: -vacancy_points(built.vacancies[j], built.org))
    for j in order:
        slot = built.vacancies[j]
        if vacancy_points(slot, built.org) <= 0 or slot.role.supervisor:
            continue
        fte, cost = hundredths(slot.role.fte), budget_units(slot.booked_cost)
        while counts[j] < slot.max_positions and limits.demand[slot.service.service_id] >= fte \
                and limits.affords(slot.service.service_id, cost):
            counts[j] += 1
            limits.take(None, slot.service.service_id, fte, cost)
    return tuple(counts)
