"""A quick feasible start for the solver: the best placements first, within every limit.

CP-SAT spends its first seconds on presolve and the root LP; a good plan handed over as a
hint means a large organisation has a sound plan from the first solution on. The hint only
guides the search: the solver still proves (or bounds) the optimum of the full model.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.core.domain import LonePeer
from planner.solve.candidates import Candidate
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

    def has_room(self, psw_id: str) -> bool:
        """Whether the person may take one more position (a quick first check)."""
        return self.positions[psw_id] < self.most

    def fits_candidate(self, c: Candidate) -> bool:
        return self.fits(c.psw.psw_id, c.service.service_id, hundredths(c.fte),
                         budget_units(c.cost), not c.role.supervisor)

    def take_candidate(self, c: Candidate) -> None:
        self.take(c.psw.psw_id, c.service.service_id, hundredths(c.fte), budget_units(c.cost),
                  not c.role.supervisor)

    def give_back(self, c: Candidate) -> None:
        """What `take_candidate(c)` took."""
        fte, cost, service_id = hundredths(c.fte), budget_units(c.cost), c.service.service_id
        self.positions[c.psw.psw_id] -= 1
        self.fte[c.psw.psw_id] += fte
        if not c.role.supervisor:
            self.demand[service_id] += fte
        self.budget += cost
        if self.region[service_id] in self.region_budget:
            self.region_budget[self.region[service_id]] += cost

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
    """The most valuable placements first within every limit, then the supervisors their
    staff need (`_supervise`), the repairs of the other rules, then vacancies."""
    limits = _Limits(built)
    chosen: set[int] = set()
    locked = [i for i, c in enumerate(built.candidates) if c.locked]
    by_value = sorted(range(len(built.candidates)),
                      key=lambda i: -built.points[i])
    for i in locked + [i for i in by_value if built.points[i] > 0]:
        c = built.candidates[i]
        if i not in chosen and (c.locked or limits.fits_candidate(c)):
            chosen.add(i)
            limits.take_candidate(c)
    recruited = _supervise(built, chosen, limits, by_value)
    for _ in range(MAX_REPAIRS):  # each drop may leave another rule to mend
        mended = _drop_unsupervised(built, _drop_short_teams(built, set(chosen)), recruited)
        mended, recruited = _drop_surplus_supervisors(built, mended, recruited)
        if mended == chosen:
            break
        chosen = mended
    return PlanValues.of_model(built, sorted(chosen),
                               _fill_vacancies(built, chosen, recruited))


def _supervise(built: BuiltModel, chosen: set[int], limits: _Limits,
               by_value: list[int]) -> Counter[int]:
    """Supervisors for the staff placed, region by region (`model.Builder.add_supervision`):
    the best supervisor placement the limits allow, else a position to recruit for that
    the budget allows, else a supervisor placement of someone placed as staff, in their
    stead, else the staff placement of least value (not locked) gives way. Positions
    recruited for are returned by vacancy slot."""
    recruited: Counter[int] = Counter()
    if not any(r.supervisor for r in built.org.roles):
        return recruited
    span = built.org.policy.supervisor_span
    staff, sups = _staff_and_supervisors(built, chosen, recruited)
    supervisors: dict[str, list[int]] = defaultdict(list)  # by region, the best first
    for i in by_value:
        if built.candidates[i].role.supervisor:
            supervisors[built.candidates[i].service.region or ""].append(i)
    slots = sorted((j for j, slot in enumerate(built.vacancies) if slot.role.supervisor),
                   key=lambda j: -vacancy_points(built.vacancies[j], built.org))
    for region in sorted(staff):
        givers = sorted((i for i in chosen if _in(built.candidates[i], region)
                         and not built.candidates[i].role.supervisor
                         and not built.candidates[i].locked),
                        key=lambda i: (-built.points[i], i))  # the least valued last
        while -(-staff[region] // span) > sups[region]:
            if _place_supervisor(built, chosen, limits, supervisors[region]) \
                    or _recruit_supervisor(built, recruited, limits, slots, region):
                sups[region] += 1
                continue
            gone = _supervisor_instead(built, chosen, limits, supervisors[region])
            if gone:
                sups[region] += 1
            else:
                while givers and givers[-1] not in chosen:
                    givers.pop()
                if not givers:
                    break
                gone = [givers.pop()]
                _drop(chosen, limits, built.candidates, gone)
            for i in gone:
                staff[built.candidates[i].service.region or ""] -= 1
    return recruited


def _in(c: Candidate, region: str) -> bool:
    return (c.service.region or "") == region


def _place_supervisor(built: BuiltModel, chosen: set[int], limits: _Limits,
                      supervisors: list[int]) -> bool:
    for i in supervisors:
        c = built.candidates[i]
        if i not in chosen and limits.has_room(c.psw.psw_id) and limits.fits_candidate(c):
            chosen.add(i)
            limits.take_candidate(c)
            return True
    return False


def _supervisor_instead(built: BuiltModel, chosen: set[int], limits: _Limits,
                        supervisors: list[int]) -> list[int]:
    """The best of `supervisors` (placements in one region) of someone whose staff
    placements (not locked) give way to it; the placements that gave way (none: no such
    swap)."""
    held: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        c = built.candidates[i]
        if not c.role.supervisor and not c.locked:
            held[c.psw.psw_id].append(i)
    for i in supervisors:
        c = built.candidates[i]
        own = held.get(c.psw.psw_id)
        if not own or i in chosen:
            continue
        _drop(chosen, limits, built.candidates, own)
        if limits.fits_candidate(c):
            chosen.add(i)
            limits.take_candidate(c)
            return own
        for k in own:  # no room even so: as it was
            chosen.add(k)
            limits.take_candidate(built.candidates[k])
    return []


def _drop(chosen: set[int], limits: _Limits, candidates: list[Candidate],
          gone: list[int]) -> None:
    for i in gone:
        chosen.discard(i)
        limits.give_back(candidates[i])


def _recruit_supervisor(built: BuiltModel, recruited: Counter[int], limits: _Limits,
                        slots: list[int], region: str) -> bool:
    for j in slots:
        slot = built.vacancies[j]
        cost = budget_units(slot.booked_cost)
        if (slot.service.region or "") == region and recruited[j] < slot.max_positions \
                and limits.affords(slot.service.service_id, cost):
            recruited[j] += 1
            limits.take(None, slot.service.service_id, 0, cost, frontline=False)
            return True
    return False


def _staff_and_supervisors(built: BuiltModel, chosen: set[int],
                           recruited: Counter[int]) -> tuple[Counter[str], Counter[str]]:
    """Per region, the staff placed, and the supervisors placed or recruited."""
    staff: Counter[str] = Counter()
    sups: Counter[str] = Counter()
    for i in chosen:
        c = built.candidates[i]
        (sups if c.role.supervisor else staff)[c.service.region or ""] += 1
    for j, n in recruited.items():
        sups[built.vacancies[j].service.region or ""] += n
    return staff, sups


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


def _drop_unsupervised(built: BuiltModel, chosen: set[int],
                       recruited: Counter[int]) -> set[int]:
    """Keep at most `supervisor_span` staff per supervisor (placed or recruited) in each
    region, the best first."""
    if not any(r.supervisor for r in built.org.roles):
        return chosen
    span = built.org.policy.supervisor_span
    _, sups = _staff_and_supervisors(built, chosen, recruited)
    staff: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        c = built.candidates[i]
        if not c.role.supervisor:
            staff[c.service.region or ""].append(i)
    for region, members in staff.items():
        members.sort(key=lambda i: (built.candidates[i].locked,
                                    built.points[i]))
        excess = len(members) - span * sups[region]
        chosen -= {i for i in members[:max(0, excess)] if not built.candidates[i].locked}
    return chosen


def _drop_surplus_supervisors(built: BuiltModel, chosen: set[int], recruited: Counter[int]
                              ) -> tuple[set[int], Counter[int]]:
    """Keep no more supervisors in a region than its staff need (besides locked ones):
    positions to recruit for go first, then the placements of least value
    (`model.Builder.add_supervision`)."""
    span = built.org.policy.supervisor_span
    staff, placed = _staff_and_supervisors(built, chosen, Counter())
    need = Counter({region: -(-n // span) for region, n in staff.items()})
    kept: Counter[int] = Counter()
    for j in sorted(recruited):  # positions for what the placed ones leave of the need
        region = built.vacancies[j].service.region or ""
        kept[j] = max(0, min(recruited[j], need[region] - placed[region]
                             - _in_region(built, kept, region)))
    free: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        c = built.candidates[i]
        if c.role.supervisor and not c.locked:
            free[c.service.region or ""].append(i)
    for region, members in free.items():
        members.sort(key=lambda i: built.points[i])
        most = max(0, need[region] - _in_region(built, kept, region))
        chosen = chosen - set(members[:max(0, len(members) - most)])
    return chosen, +kept


def _in_region(built: BuiltModel, recruited: Counter[int], region: str) -> int:
    return sum(n for j, n in recruited.items()
               if (built.vacancies[j].service.region or "") == region)


def _fill_vacancies(built: BuiltModel, chosen: set[int],
                    recruited: Counter[int]) -> tuple[int, ...]:
    """Open the most valuable vacancies in the demand and budget the placements and the
    supervisors recruited for left."""
    limits = _Limits(built)
    for i in chosen:
        c = built.candidates[i]
        limits.take(None, c.service.service_id, hundredths(c.fte), budget_units(c.cost),
                    not c.role.supervisor)
    counts = [recruited[j] for j in range(len(built.vacancies))]
    for j, n in recruited.items():
        slot = built.vacancies[j]
        limits.take(None, slot.service.service_id, 0, n * budget_units(slot.booked_cost),
                    frontline=False)
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
