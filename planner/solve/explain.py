"""Why: why a person is unassigned, why a position stays vacant, why no plan exists.

Reasons name the rule that decides, with the same names as the model's `add_*` rules and
the eligibility functions, so "blocked by budget" leads to `add_budget`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from planner.core import eligibility
from planner.core.domain import PSW, LonePeer, Org, Service
from planner.core.formatting import money
from planner.solve.candidates import Candidate
from planner.solve.model import (
    REGION_BUDGET,
    BuiltModel,
    VacancySlot,
    placement_points,
    vacancy_points,
)
from planner.solve.solver import SolveResult

MAX_LISTED = 3
UNMET_FTE = 0.005  # unmet demand below this (rounding) needs no reason


class SolutionState:
    """What the chosen plan uses of each limit, to name the one that binds."""

    def __init__(self, built: BuiltModel, result: SolveResult, chosen: list[Candidate]):
        self.org = built.org
        self.used: dict[str, float] = defaultdict(float)
        self.occupants: dict[str, list[str]] = defaultdict(list)  # psw ids per service
        self.cost = sum(c.cost for c in chosen)
        self.region_cost: Counter[str] = Counter()  # cost of the positions in each region
        self.staff: Counter[str] = Counter()  # placed frontline PSWs per region
        self.supervisors: Counter[str] = Counter()  # supervisor positions per region
        for cand in chosen:
            region = cand.service.region or ""
            self.region_cost[region] += cand.cost
            (self.supervisors if cand.role.supervisor else self.staff)[region] += 1
            if not cand.role.supervisor:  # supervisors take no frontline demand
                self.used[cand.service.service_id] += cand.fte
            self.occupants[cand.service.service_id].append(cand.psw.psw_id)
        self.recruited: dict[str, float] = defaultdict(float)  # FTE to recruit per service
        for slot, n in zip(built.vacancies, result.values.vacancies(built), strict=True):
            if slot.role.supervisor:
                self.supervisors[slot.service.region or ""] += n
            else:
                self.used[slot.service.service_id] += n * slot.role.fte
                self.recruited[slot.service.service_id] += n * slot.role.fte
            self.cost += n * slot.booked_cost
            self.region_cost[slot.service.region or ""] += n * slot.booked_cost

    def supervision_need(self, region: str) -> int:
        """Supervisor positions a region's placed PSWs need (one per span, rounded up)."""
        return -(-self.staff[region] // self.org.policy.supervisor_span)

    def takers(self, service_id: str) -> str:
        """Who takes a service's demand: 'P0031, P0060, P0062 and 2 more', and positions
        to recruit."""
        people = sorted(self.occupants[service_id])
        named = ", ".join(people[:MAX_LISTED])
        if len(people) > MAX_LISTED:
            named += f" and {len(people) - MAX_LISTED} more"
        recruited = self.recruited[service_id]
        parts = [named] if people else []
        if recruited:
            parts.append(f"{recruited:g} FTE to recruit")
        return "; ".join(parts) or "nobody"

    @property
    def budget_left(self) -> float | None:
        budget = self.org.policy.budget
        return None if budget is None else max(0.0, budget - self.cost)

    def region_budget_left(self, region: str | None) -> float | None:
        """What the plan leaves of the region's own budget (None: it has none)."""
        budget = self.org.region_budgets.get(region or "")
        return None if budget is None else max(0.0, budget - self.region_cost[region or ""])

    def binding_limit(self, cand: Candidate) -> str:
        policy, service = self.org.policy, cand.service
        sid = service.service_id
        region = service.region or ""
        if cand.role.supervisor and self.supervisors[region] >= self.supervision_need(region):
            return (f"supervision: the region's {self.supervisors[region]} peer supervisor "
                    f"position(s) meet what its placed PSWs need")
        if not cand.role.supervisor and self.used[sid] + cand.fte > service.demand_fte + 1e-6:
            return (f"demand: {self.used[sid]:g} of the {service.demand_fte:g} FTE of {sid} "
                    f"are taken ({self.takers(sid)}), who add more to the plan")
        if policy.budget is not None and self.cost + cand.cost > policy.budget + 0.5:
            left = max(0.0, policy.budget - self.cost)
            return f"budget: {money(left)} left, the placement would cost {money(cand.cost)}"
        left_here = self.region_budget_left(service.region)
        if left_here is not None and cand.cost > left_here + 0.5:
            return (f"{REGION_BUDGET}: {money(left_here)} of {service.region}'s budget left, "
                    f"the placement would cost {money(cand.cost)}")
        need = self.org.min_peers(service)
        if policy.lone_peer is LonePeer.FORBID and len(self.occupants[sid]) + 1 < need:
            return f"lone_peer: {sid} would have fewer than {need} PSWs (lone_peer = forbid)"
        points = placement_points(cand, self.org)
        return (f"value: it adds {points:.1f} points, less than the rules it would strain "
                "(supervision, lone peers, or a better use of the same budget)")


class Explainer:
    """Explains one solved plan: indexes candidates once, then answers per person/vacancy."""

    def __init__(self, built: BuiltModel, result: SolveResult, chosen: list[Candidate]):
        self.built, self.org = built, built.org
        self.state = SolutionState(built, result, chosen)
        self.placed = {c.psw.psw_id for c in chosen}
        self.by_psw: dict[str, list[Candidate]] = defaultdict(list)
        self.by_slot: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self.by_service: dict[str, list[Candidate]] = defaultdict(list)
        for cand in (*built.candidates, *built.dominated):
            self.by_psw[cand.psw.psw_id].append(cand)
            self.by_service[cand.service.service_id].append(cand)
            self.by_slot[(cand.role.role_id, cand.service.service_id)].append(cand)

    def unassigned(self, psw: PSW) -> list[str]:
        """Why a person has no placement: no role they can take (and which rule stops each),
        or positions they could take that the plan fills better, naming the binding limit."""
        own = self.by_psw.get(psw.psw_id, [])
        if not own:
            return no_position_reasons(psw, self.org)
        best = sorted(own, key=lambda c: -placement_points(c, self.org))[:MAX_LISTED]
        lines = [f"{len(own)} position(s) fit, but none is in the plan; the best of them:"]
        lines += [f"{c.role.role_id} at {c.service.service_id}: {self.state.binding_limit(c)}"
                  for c in best]
        return lines

    def unassigned_reason(self, psw: PSW) -> str:
        """The main reason a person has no placement, in one plain sentence."""
        own = self.by_psw.get(psw.psw_id, [])
        if not own:
            return no_role_sentence(psw, self.org)
        best = max(own, key=lambda c: placement_points(c, self.org))
        return self._limit_sentence(best)

    def _limit_sentence(self, best: Candidate) -> str:
        where = f"{best.role.title} at {best.service.name or best.service.service_id}"
        rule = self.state.binding_limit(best).split(":", 1)[0]
        if rule == "demand":
            return (f"The positions open to them are taken by people who add more to the plan "
                    f"(their best, {where}, is full).")
        if rule == "budget":
            return (f"The budget is spent: their best placement, {where}, would cost "
                    f"{money(best.cost)} a year and {money(self.state.budget_left or 0)} is "
                    "left.")
        if rule == REGION_BUDGET:
            left = self.state.region_budget_left(best.service.region) or 0
            return (f"{best.service.region}'s budget is spent: their best placement, {where}, "
                    f"would cost {money(best.cost)} a year and {money(left)} of it is left.")
        if rule == "supervision":
            return ("Their region already has the peer supervisors its placed PSWs need, and "
                    "a supervisor is not placed as frontline cover.")
        if rule == "lone_peer":
            return (f"A team that took them would have fewer than "
                    f"{self.org.min_peers(best.service)} PSWs, which the Policy forbids.")
        return (f"Placing them adds less to the plan than it costs: their best placement, "
                f"{where}, scores {placement_points(best, self.org):.1f} points, and the "
                "budget, supervision or team sizes are better used elsewhere.")

    def shortfall(self, service: Service, unmet: float) -> Shortfall | None:
        """Why part of a service's demand stays unmet, in one sentence, with its cause."""
        if unmet < UNMET_FTE:
            return None
        org = self.org
        allowed = [r for r in org.roles if eligibility.role_service_block(r, service) is None]
        if not allowed:
            return _closed_service(service, org)
        sizes = [r.fte for r in allowed] + [c.fte for c in self.by_service[service.service_id]]
        if unmet < min(sizes) - 1e-6:
            return Shortfall("position size", f"The {unmet:g} FTE left is less than the "
                             f"smallest position allowed here ({min(sizes):g} FTE).")
        slots = [s for s in self.built.vacancies if s.service.service_id == service.service_id
                 and s.role.fte <= unmet + 1e-6 and not s.role.supervisor]
        if not slots:
            free = any(c.psw.psw_id not in self.placed
                       for c in self.by_service[service.service_id])
            if free:
                return Shortfall("value", "The people free to take a role here add less to "
                                 "the plan than it would cost, and no position to recruit fits.")
            if not org.policy.allow_vacancies:
                return Shortfall("no staff", "Nobody free on the staff may take a role here, "
                                 "and the Policy allows no positions to recruit.")
            smallest = min(r.fte for r in allowed if not r.supervisor)
            return Shortfall("position size", f"No position to recruit fits the {unmet:g} FTE "
                             f"left (the smallest role allowed here is {smallest:g} FTE), and "
                             "nobody free on the staff may take one.")
        cheapest = min(slots, key=lambda s: (s.booked_cost, s.role.role_id))
        for cause, whose, left in (
                ("budget", "The budget", self.state.budget_left),
                (REGION_BUDGET, f"{service.region}'s budget",
                 self.state.region_budget_left(service.region))):
            if left is not None and cheapest.booked_cost > left + 0.5:
                return Shortfall(cause, (
                    f"{whose} binds: {money(left)} is left and the cheapest position that "
                    f"fits here ({cheapest.role.title}, {cheapest.role.fte:g} FTE) costs "
                    f"{money(cheapest.booked_cost)} a year; "
                    f"{money(cheapest.booked_cost - left)} a year more would allow one."))
        if vacancy_points(cheapest, org) <= 0:
            return Shortfall("value", "A position to recruit here costs more points than it "
                             "adds (Policy weight_cost against weight_vacancy).")
        return Shortfall("value", "The plan's people and budget add more elsewhere under the "
                         "Policy's weights.")

    def vacancy(self, slot: VacancySlot) -> str:
        """Why a position stays open to recruit for rather than filled from the staff."""
        role, service = slot.role, slot.service
        could = self.by_slot.get((role.role_id, service.service_id), [])
        if not could:
            counts = Counter(
                (eligibility.placement_block(p, role, service)
                 or eligibility.Blocked("?", "")).rule
                for p in self.org.psws
            )
            summary = ", ".join(f"{rule} ({n})" for rule, n in counts.most_common(3))
            return (f"demand of {service.service_id} is not covered and nobody on the staff "
                    f"may take {role.role_id} there: {summary}")
        busy = sum(c.psw.psw_id in self.placed for c in could)
        return (f"demand of {service.service_id} is not covered; {len(could)} of the staff "
                f"could take {role.role_id} there, {busy} of them are placed where they "
                "add more")


@dataclass(frozen=True)
class Shortfall:
    """Why a service's demand is not all met: the cause (budget, setting, climate, position
    size, no staff, value) and one plain sentence."""

    cause: str
    sentence: str


def _closed_service(service: Service, org: Org) -> Shortfall:
    """No role may be deployed in the service: by setting, or by climate."""
    cold = [r for r in org.roles if eligibility.setting(r, service) is None]
    if not cold:
        return Shortfall("setting", f"No role in the catalogue is deployed in a "
                         f"{service.setting.replace('_', ' ')} setting.")
    needs = [f"{r.title} needs {r.min_climate}" for r in sorted(cold, key=lambda r: r.role_id)]
    return Shortfall("climate", f"Its climate ({service.climate}) is below the minimum of "
                     f"every role its setting allows ({'; '.join(needs)}).")


def no_role_sentence(psw: PSW, org: Org) -> str:
    """Why nothing at all is open to a person, in one sentence: the rule that stops most."""
    open_roles = [r for r in org.roles if eligibility.person_role_block(psw, r) is None]
    if not open_roles:
        counts = Counter(b.rule for r in org.roles
                         if (b := eligibility.person_role_block(psw, r)) is not None)
        asks = {"readiness": "more readiness to disclose", "experience": "more experience",
                "topics": "lived experience of a topic they do not draw on"}
        parts = [f"{n} {'role asks' if n == 1 else 'roles ask'} for {asks[rule]}"
                 for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        return f"No role in the catalogue is open to them: {'; '.join(parts)}."
    titles = ", ".join(sorted(r.title for r in open_roles))
    deploying = [s for r in open_roles for s in org.services
                 if eligibility.role_service_block(r, s) is None]
    if not deploying:
        return (f"No service deploys the roles open to them ({titles}): the roles' settings "
                "or minimum climate rule every service out.")
    counts = Counter((eligibility.person_service_block(psw, s)
                      or eligibility.Blocked("none", "")).rule for s in deploying)
    if counts.most_common(1)[0][0] == "exclusion":
        return (f"The roles open to them ({titles}) are offered only in services they must "
                "not work in.")
    return (f"The roles open to them ({titles}) are offered only outside their region "
            f"({psw.region}), and they do not travel.")


def no_position_reasons(psw: PSW, org: Org) -> list[str]:
    """For each role, the rule that stops this person taking it anywhere."""
    lines = ["no role they can take in any service:"]
    for role in sorted(org.roles, key=lambda r: r.role_id):
        blocked = eligibility.person_role_block(psw, role)
        if blocked:
            lines.append(f"{role.role_id}: {blocked.rule} — {blocked.reason}")
            continue
        counts = Counter(
            (eligibility.role_service_block(role, s) or eligibility.person_service_block(psw, s)
             or eligibility.Blocked("none", "")).rule
            for s in org.services
        )
        summary = ", ".join(f"{rule} ({n} services)" for rule, n in sorted(counts.items()))
        lines.append(f"{role.role_id}: no service where it may be deployed for them: {summary}")
    return lines


def conflict_sentences(names: list[str], org: Org) -> list[str]:
    """Plain-language account of rules that cannot all hold."""
    if not names:
        return ["the rules conflict, but no smaller set could be named "
                "(lone_peer, locks, budget and demand are the usual suspects)"]
    return [_conflict_sentence(name, org) for name in names]


def _conflict_sentence(name: str, org: Org) -> str:
    policy = org.policy
    if name == "budget":
        return f"budget: the plan must cost at most {money(policy.budget)}"
    if name.startswith(f"{REGION_BUDGET} of "):
        region = name.removeprefix(f"{REGION_BUDGET} of ")
        return (f"{REGION_BUDGET}: the positions in {region} must cost at most "
                f"{money(org.region_budgets[region])}")
    if name.startswith("lock of "):
        psw_id, rest = name.removeprefix("lock of ").split(" in ", 1)
        role_id, service_id = rest.split(" at ", 1)
        return f"lock: {psw_id} is locked into {role_id} at {service_id}"
    if name.startswith("min peers in "):
        sid = name.removeprefix("min peers in ")
        need = org.min_peers(org.services_by_id[sid])
        return (f"lone_peer: {sid} must have at least {need} PSWs once it has any "
                "(Policy lone_peer = forbid)")
    if name.startswith("demand of "):
        sid = name.removeprefix("demand of ")
        return f"demand: {sid} needs only {org.services_by_id[sid].demand_fte:g} FTE"
    if name.startswith("supervision"):
        return (f"{name}: one peer supervisor per {policy.supervisor_span} placed PSWs")
    return name
