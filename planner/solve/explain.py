"""Why: why a person is unassigned, why a position stays vacant, why no plan exists.

Reasons name the rule that decides, with the same names as the model's `add_*` rules and
the eligibility functions, so "blocked by budget" leads to `add_budget`.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.core import eligibility
from planner.core.domain import PSW, LonePeer, Org
from planner.solve.candidates import Candidate
from planner.solve.model import BuiltModel, VacancySlot, placement_points
from planner.solve.solver import SolveResult

MAX_LISTED = 3


class SolutionState:
    """What the chosen plan uses of each limit, to name the one that binds."""

    def __init__(self, built: BuiltModel, result: SolveResult, chosen: list[Candidate]):
        self.org = built.org
        self.used: dict[str, float] = defaultdict(float)
        self.occupants: dict[str, list[str]] = defaultdict(list)  # psw ids per service
        self.cost = sum(c.cost for c in chosen)
        for cand in chosen:
            self.used[cand.service.service_id] += cand.fte
            self.occupants[cand.service.service_id].append(cand.psw.psw_id)
        for slot, n in zip(built.vacancies, result.values.vacancies(built), strict=True):
            self.used[slot.service.service_id] += n * slot.role.fte
            self.cost += n * slot.booked_cost

    def binding_limit(self, cand: Candidate) -> str:
        policy, service = self.org.policy, cand.service
        sid = service.service_id
        if self.used[sid] + cand.fte > service.demand_fte + 1e-6:
            who = ", ".join(sorted(self.occupants[sid])[:MAX_LISTED]) or "vacancies"
            return (f"demand: the {service.demand_fte:g} FTE of {sid} are taken "
                    f"(by {who}) who add more to the plan")
        if policy.budget is not None and self.cost + cand.cost > policy.budget + 0.5:
            left = max(0.0, policy.budget - self.cost)
            return f"budget: {left:,.0f} left, the placement would cost {cand.cost:,.0f}"
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
        for cand in (*built.candidates, *built.dominated):
            self.by_psw[cand.psw.psw_id].append(cand)
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
        return f"budget: the plan must cost at most {policy.budget:,.0f}"
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
