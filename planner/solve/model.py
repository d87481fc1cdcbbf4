"""The optimisation model: a flat list of named rules (CP-SAT).

`build_model` reads like a table of contents. Each `add_*` registers the rule names it
creates; explanations, infeasibility messages and reports reuse those names.

Units: FTE in hundredths, money in whole currency units, objective in hundredths of a
point, so every coefficient is an integer as CP-SAT requires.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from ortools.sat.python import cp_model

from planner.core import eligibility
from planner.core.domain import LonePeer, Org, Policy, Role, Service
from planner.core.scoring import saliency_tier, vacancy_fit
from planner.solve.candidates import Candidate, drop_dominated, enumerate_candidates

SCALE = 100  # objective and FTE are held in hundredths
REGION_BUDGET = "region budget"  # the rule's name, and its constraints' ("region budget of North")


def hundredths(value: float) -> int:
    return round(value * SCALE)


def budget_units(cost: float) -> int:
    """A cost in whole currency units, rounded up, so a plan within the model's budget
    (`budget_limit`) is within the real budget too."""
    return math.ceil(cost - 1e-9)


def budget_limit(policy: Policy) -> int | None:
    """The budget in whole currency units, rounded down (None: no budget limit)."""
    return None if policy.budget is None else math.floor(policy.budget)


def region_budget_limits(org: Org) -> dict[str, int]:
    """Each region's budget (the Regions sheet) in whole currency units, rounded down, for
    the regions with a budget and a service."""
    return {region: math.floor(budget) for region, budget in org.region_budgets.items()}


@dataclass(frozen=True)
class VacancySlot:
    """Up to `max_positions` vacant positions of one role in one service."""

    role: Role
    service: Service
    var: cp_model.IntVar
    max_positions: int
    fit: float

    booked_cost: float  # what one position books against the budget (`Policy.booked_cost`)

    @property
    def key(self) -> tuple[str, str]:
        return (self.role.role_id, self.service.service_id)


@dataclass
class BuiltModel:
    """The CP-SAT model with the decision variables and the rules it holds."""

    org: Org
    model: cp_model.CpModel
    candidates: list[Candidate]
    x: list[cp_model.IntVar]
    vacancies: list[VacancySlot]
    lone: dict[str, cp_model.IntVar] = field(default_factory=dict)
    # helper variables with how to derive each from the decisions, so a start from
    # planner.solve.greedy can be handed to the solver as a complete hint
    derived: list[tuple[cp_model.IntVar, Callable[[dict[int, int]], int]]] = field(
        default_factory=list
    )
    rules: list[str] = field(default_factory=list)
    assumptions: dict[str, cp_model.IntVar] = field(default_factory=dict)
    objective_terms: list[tuple[cp_model.IntVar, int]] = field(default_factory=list)
    dominated: list[Candidate] = field(default_factory=list)  # allowed, left out by pruning
    points: list[float] = field(default_factory=list)  # placement_points per candidate
    stats: dict[str, int] | None = None  # model size when not one CP-SAT model (blocks)
    # the objective's scale under a tie-break (`maximise_keeping`): its bound over this is
    # a bound of the usual objective
    tie_break_step: int = 1
    # a view of other models' variables (the blocks' joined, `blocks.join`): its own
    # model holds none of the rules, and a plan is checked on the whole model instead
    is_view: bool = False

    def size(self) -> dict[str, int]:
        """The model's size as plan.json's `model_stats` gives it: its own count, unless
        `stats` (a model made of blocks) says otherwise."""
        return self.stats or {
            "candidates": len(self.candidates),
            "vacancy_slots": len(self.vacancies),
            "variables": len(self.model.proto.variables),
            "constraints": len(self.model.proto.constraints),
        }

    @cached_property
    def candidate_index(self) -> dict[tuple[str, str, str], int]:
        """Where each placement (psw_id, role_id, service_id) is in `candidates` and `x`."""
        return {cand.key: i for i, cand in enumerate(self.candidates)}


class Builder:
    """Adds one rule at a time. With `explain=True` every group of constraints is switched
    on by a literal of its own, so an infeasible model can name a small conflicting set."""

    def __init__(self, org: Org, explain: bool = False, prune: bool = False):
        self.org = org
        self.policy = org.policy
        self.explain = explain
        self.prune = prune
        self.m = cp_model.CpModel()
        self.built = BuiltModel(org, self.m, [], [], [])
        self.by_service: dict[str, list[int]] = defaultdict(list)
        self.by_psw: dict[str, list[int]] = defaultdict(list)
        self.objective: list[tuple[cp_model.IntVar, int]] = []

    # -- decisions -------------------------------------------------------------------

    def add_candidates(self, placements: Sequence[Candidate] | None = None) -> None:
        """One yes/no per allowed placement (the single-placement rules in eligibility),
        or per one of `placements` (a part of them: every other is 0).

        With `prune`, a placement another one dominates is left out (see
        `candidates.drop_dominated`): no optimum of this model needs it, as long as each
        person holds one position (with more, a person may hold both). Callers that add
        rules or objectives of their own build without pruning.
        """
        allowed = enumerate_candidates(self.org) if placements is None else list(placements)
        points = {id(c): placement_points(c, self.org) for c in allowed}
        if self.prune and self.policy.max_positions_per_psw == 1:  # else both may be held
            kept = drop_dominated(allowed, lambda c: points[id(c)])
            ids = {id(c) for c in kept}
            self.built.dominated = [c for c in allowed if id(c) not in ids]
            allowed = kept
        self.built.candidates = allowed
        self.built.points = [points[id(c)] for c in allowed]
        for i, cand in enumerate(self.built.candidates):
            var = self.m.new_bool_var(f"x[{i}]")
            self.built.x.append(var)
            self.by_service[cand.service.service_id].append(i)
            self.by_psw[cand.psw.psw_id].append(i)
        self._register(*(rule.__name__ for rule in _single_placement_rules()))

    def add_vacancies(self, only: Collection[tuple[str, str]] | None = None) -> None:
        """Positions to recruit for: any role the service's setting and climate allow (or
        only the (role, service) pairs in `only`: every other is 0)."""
        if not self.policy.allow_vacancies:
            return
        for role, service, most in vacancy_options(self.org):
            if only is not None and (role.role_id, service.service_id) not in only:
                continue
            var = self.m.new_int_var(0, most, f"v[{role.role_id},{service.service_id}]")
            fit = vacancy_fit(role, service)
            self.built.vacancies.append(VacancySlot(role, service, var, most, fit,
                                                      self.policy.booked_cost(role)))
        self._register("vacancies")

    # -- rules -----------------------------------------------------------------------

    def add_one_position_per_person(self) -> None:
        """Each person holds at most `max_positions_per_psw` placements within their FTE."""
        most = self.policy.max_positions_per_psw
        for psw_id, idx in self.by_psw.items():
            xs = [self.built.x[i] for i in idx]
            if len(xs) > most:
                self.m.add(cp_model.LinearExpr.sum(xs) <= most)
            if most > 1:
                avail = hundredths(self.org.psws_by_id[psw_id].available_fte)
                ftes = [hundredths(self.built.candidates[i].fte) for i in idx]
                self.m.add(cp_model.LinearExpr.weighted_sum(xs, ftes) <= avail)
        self._register("availability")

    def add_locks(self) -> None:
        """A locked person keeps their current placement whatever the optimum says."""
        for i, cand in enumerate(self.built.candidates):
            if cand.locked:
                psw, role, service = cand.key
                self._constrain(self.built.x[i] == 1, f"lock of {psw} in {role} at {service}")
        self._register("lock")

    def add_service_demand(self) -> None:
        """Frontline FTE placed plus vacant in a service stays within its demand. A peer
        supervisor is not frontline cover: supervision is its own need (`add_supervision`)."""
        vac = _group(self.built.vacancies, lambda v: v.service.service_id)
        for service in self.org.services:
            terms, coefs = self._service_fte_terms(service.service_id, vac)
            if terms:
                expr = cp_model.LinearExpr.weighted_sum(terms, coefs)
                self._constrain(
                    expr <= hundredths(service.demand_fte), f"demand of {service.service_id}"
                )
        self._register("demand")

    def add_budget(self) -> None:
        """Cost of placements plus vacancies (FTE x cost_per_fte) stays within budget."""
        if self.policy.budget is None:
            return
        terms = self.built.x + [v.var for v in self.built.vacancies]
        coefs = [budget_units(c.cost) for c in self.built.candidates] + [
            budget_units(v.booked_cost) for v in self.built.vacancies
        ]
        expr = cp_model.LinearExpr.weighted_sum(terms, coefs)
        self._constrain(expr <= budget_limit(self.policy), "budget")
        self._register("budget")

    def add_region_budgets(self) -> None:
        """Per region with a budget of its own (Regions sheet), the cost of placements plus
        vacancies in its services stays within it."""
        limits = region_budget_limits(self.org)
        if not limits:
            return
        spend: dict[str, tuple[list[cp_model.IntVar], list[int]]] = defaultdict(
            lambda: ([], []))
        costs = [(var, c.service, c.cost) for var, c in zip(self.built.x,
                                                            self.built.candidates, strict=True)]
        costs += [(v.var, v.service, v.booked_cost) for v in self.built.vacancies]
        for var, service, cost in costs:
            if service.region in limits:
                spend[service.region][0].append(var)
                spend[service.region][1].append(budget_units(cost))
        for region, (terms, coefs) in sorted(spend.items()):
            expr = cp_model.LinearExpr.weighted_sum(terms, coefs)
            self._constrain(expr <= limits[region], f"{REGION_BUDGET} of {region}")
        self._register(REGION_BUDGET)

    def add_lone_peer_rule(self) -> None:
        """Relatedness: no PSW alone in a team (forbid), or a penalty per lone peer."""
        rule = self.policy.lone_peer
        if rule is LonePeer.ALLOW:
            return
        for service in self.org.services:
            idx = self.by_service.get(service.service_id, [])
            if not idx:
                continue
            need = self.org.min_peers(service)
            if need <= 1:
                continue
            members = [self.built.x[i] for i in idx]
            xs = cp_model.LinearExpr.sum(members)
            has = self.m.new_bool_var(f"has[{service.service_id}]")
            self._derive(has, lambda v, ms=members: int(any(v[x.index] for x in ms)))
            self.m.add(xs <= self._most_peers(service, idx) * has)
            if rule is LonePeer.FORBID:
                self._constrain(xs >= need * has, f"min peers in {service.service_id}")
            else:
                lone = self.m.new_bool_var(f"lone[{service.service_id}]")
                self._derive(lone, lambda v, ms=members, n=need: int(
                    0 < sum(v[x.index] for x in ms) < n))
                self.m.add(xs + (need - 1) * lone >= need * has)
                self.built.lone[service.service_id] = lone
                self.objective.append((lone, -hundredths(self.policy.penalty_lone_peer)))
        self._register(f"lone_peer ({rule.value})")

    def add_supervision(self) -> None:
        """Relatedness: peer supervision within reach. Per region, the supervisor
        positions (filled or to recruit) are the need, placed PSWs ÷ `supervisor_span`
        rounded up: at least that, and no more than that besides those the workbook locks
        (supervisors are not filler for frontline demand). Only where the catalogue has a
        supervisor role."""
        if not any(r.supervisor for r in self.org.roles):
            return
        span = self.policy.supervisor_span
        for region, (sup, sup_vac, staff) in sorted(self._supervision_groups().items()):
            expr = span * cp_model.LinearExpr.sum(sup + sup_vac) - cp_model.LinearExpr.sum(staff)
            label = f"supervision in region {region}" if region else "supervision"
            if staff:
                self._constrain(expr >= 0, label)
            locked = sum(self.built.candidates[i].locked for i in self._indices(sup))
            self._constrain(expr <= span - 1 + span * locked, f"{label}: no more than needed")
        self._register("supervision")

    # -- objective -------------------------------------------------------------------

    def add_placement_value(self) -> None:
        """Per placement: FTE x (fit + autonomy), covered demand, continuity, minus cost
        and stretch. See `placement_points`."""
        for var, points in zip(self.built.x, self.built.points, strict=True):
            self.objective.append((var, hundredths(points)))

    def add_vacancy_value(self) -> None:
        """Demand covered by a position to recruit for, valued by how well the role suits
        the service; below a placement so the staff one has is used first."""
        for slot in self.built.vacancies:
            self.objective.append((slot.var, hundredths(vacancy_points(slot, self.org))))

    def add_saliency_tiers(self) -> None:
        """Autonomy at org level: a menu of low, middle and high saliency roles and a
        topic-specialist track, so people have a real choice of career track."""
        offered: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for var, cand in zip(self.built.x, self.built.candidates, strict=True):
            offered[saliency_tier(cand.role.saliency)].append(var)
        specialist = [v for v, c in zip(self.built.x, self.built.candidates, strict=True)
                      if c.role.topics]
        for slot in self.built.vacancies:
            offered[saliency_tier(slot.role.saliency)].append(slot.var)
            if slot.role.topics:
                specialist.append(slot.var)
        tiers = [self._offered(f"tier[{t}]", vs) for t, vs in sorted(offered.items())]
        wanted = min(self.policy.min_saliency_tiers, len(tiers))
        weight = hundredths(self.policy.weight_saliency_tier)
        if tiers and wanted > 0:
            counted = self.m.new_int_var(0, wanted, "tiers_counted")
            self._derive(counted, lambda v, ts=tiers, w=wanted: min(w, sum(v[t.index] for t in ts)))
            self.m.add(counted <= cp_model.LinearExpr.sum(tiers))
            self.objective.append((counted, weight))
        if specialist:
            self.objective.append((self._offered("specialist_track", specialist), weight))
        self._register("saliency_tiers")

    def set_objective(self) -> None:
        self.built.objective_terms = list(self.objective)
        variables = [v for v, _ in self.objective]
        coefs = [c for _, c in self.objective]
        self.m.maximize(cp_model.LinearExpr.weighted_sum(variables, coefs))

    def done(self) -> BuiltModel:
        return self.built

    # -- internals -------------------------------------------------------------------

    def _constrain(self, constraint, name: str) -> None:
        ct = self.m.add(constraint)
        if self.explain:
            lit = self.built.assumptions.get(name) or self.m.new_bool_var(name)
            self.built.assumptions[name] = lit
            ct.only_enforce_if(lit)

    def _derive(self, var: cp_model.IntVar, rule: Callable[[dict[int, int]], int]) -> None:
        self.built.derived.append((var, rule))

    def _register(self, *names: str) -> None:
        self.built.rules.extend(names)

    def _most_peers(self, service: Service, idx: list[int]) -> int:
        """How many people the service's demand can hold at most: a tight big-M, so the
        LP relaxation cannot hide a lone peer behind a tiny fractional `has`."""
        frontline = [i for i in idx if not self.built.candidates[i].role.supervisor]
        supervisors = len(idx) - len(frontline)  # not bound by the demand
        if not frontline:
            return max(1, supervisors)
        smallest = min(hundredths(self.built.candidates[i].fte) for i in frontline)
        most = min(len(frontline), hundredths(service.demand_fte) // smallest)
        return max(1, most + supervisors)

    def _offered(self, name: str, variables: list[cp_model.IntVar]) -> cp_model.IntVar:
        flag = self.m.new_bool_var(name)
        self._derive(flag, lambda v, vs=variables: int(any(v[x.index] for x in vs)))
        self.m.add(flag <= cp_model.LinearExpr.sum(variables))
        return flag

    def _service_fte_terms(self, service_id: str, vac: dict[str, list[VacancySlot]]):
        """The frontline placements and vacancies of a service, with their FTE."""
        idx = [i for i in self.by_service.get(service_id, [])
               if not self.built.candidates[i].role.supervisor]
        slots = [v for v in vac.get(service_id, []) if not v.role.supervisor]
        terms = [self.built.x[i] for i in idx] + [v.var for v in slots]
        coefs = ([hundredths(self.built.candidates[i].fte) for i in idx]
                 + [hundredths(v.role.fte) for v in slots])
        return terms, coefs

    def _indices(self, variables: list[cp_model.IntVar]) -> list[int]:
        """The candidate indices of placement variables."""
        index = {var.index: i for i, var in enumerate(self.built.x)}
        return [index[v.index] for v in variables if v.index in index]

    def _supervision_groups(self):
        groups: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
        for var, cand in zip(self.built.x, self.built.candidates, strict=True):
            sup, _, staff = groups[cand.service.region or ""]
            (sup if cand.role.supervisor else staff).append(var)
        for slot in self.built.vacancies:
            if slot.role.supervisor:
                groups[slot.service.region or ""][1].append(slot.var)
        return groups


def vacancy_options(org: Org) -> Iterator[tuple[Role, Service, int]]:
    """(role, service, most positions) for every vacancy the setting and climate allow
    (none when the policy allows no vacancies)."""
    if not org.policy.allow_vacancies:
        return
    for service in sorted(org.services, key=lambda s: s.service_id):
        for role in sorted(org.roles, key=lambda r: r.role_id):
            if eligibility.role_service_block(role, service) is not None:
                continue
            most = (supervisors_at_most(org) if role.supervisor
                    else math.floor(hundredths(service.demand_fte) / hundredths(role.fte)))
            if most > 0:
                yield role, service, most


def supervisors_at_most(org: Org) -> int:
    """The most supervisor positions any region can need (every PSW placed in it)."""
    return math.ceil(len(org.psws) / org.policy.supervisor_span)


def placement_points(cand: Candidate, org: Org) -> float:
    """Objective points of one placement.

    Time-weighted: (w_fit x fit + w_autonomy x autonomy) x FTE, competence, relatedness and
    autonomy met for the time the person works, except that a person keeping their
    current post counts at full weight whatever their hours: their post is theirs, and
    part-time work is often their own choice, so a part-time PSW in post is not dropped
    for a full-time newcomer. Plus w_coverage per FTE of frontline demand covered (a peer
    supervisor covers none: their need is supervision); plus w_move for keeping one's
    current post (a bonus rather than a penalty keeps the objective from rising when a
    person leaves the organisation); minus w_cost per 1,000 of cost and the stretch
    penalty (support a stretch placement needs).
    """
    p = org.policy
    weight = 1.0 if cand.stays else cand.fte
    value = weight * (p.weight_fit * cand.score.fit + p.weight_autonomy * cand.score.autonomy)
    value += 0.0 if cand.role.supervisor else cand.fte * p.weight_coverage
    value += p.weight_move if cand.stays else 0.0
    value -= p.weight_cost * cand.cost / 1000
    value -= p.penalty_stretch if cand.stretch else 0.0
    return value


def vacancy_points(slot: VacancySlot, org: Org) -> float:
    return vacancy_value(slot.role, slot.service, org)


def vacancy_value(role: Role, service: Service, org: Org) -> float:
    """Objective points of one vacant position: frontline demand covered (w_vacancy per
    FTE; a supervisor position covers none), how well the role suits the service (a
    quarter of w_fit per point, per FTE), minus cost."""
    p = org.policy
    covered = 0.0 if role.supervisor else p.weight_vacancy
    value = role.fte * (covered + p.weight_fit * vacancy_fit(role, service) / 4)
    value -= p.weight_cost * p.booked_cost(role) / 1000
    return value


def objective_of(org: Org, chosen: list[Candidate],
                 vacancies: list[tuple[VacancySlot, int]]) -> float:
    """The model's objective of a plan, counted as `build_model` counts it (each term in
    hundredths): placements, vacancies, lone-peer penalties and the saliency-tier menu."""
    policy = org.policy
    total = sum(hundredths(placement_points(c, org)) for c in chosen)
    total += sum(n * hundredths(vacancy_points(slot, org)) for slot, n in vacancies)
    if policy.lone_peer is LonePeer.DISCOURAGE:
        peers = Counter(c.service.service_id for c in chosen)
        for sid, count in peers.items():
            need = org.min_peers(org.services_by_id[sid])
            if count < need:
                total -= hundredths(policy.penalty_lone_peer)
    roles = [c.role for c in chosen] + [slot.role for slot, n in vacancies if n > 0]
    tiers = {saliency_tier(r.saliency) for r in roles}
    weight = hundredths(policy.weight_saliency_tier)
    total += weight * min(policy.min_saliency_tiers, len(tiers))
    total += weight * any(r.topics for r in roles)
    return total / SCALE


def objective_points(terms: Sequence[tuple[cp_model.IntVar, int]],
                     values: Mapping[int, int]) -> float:
    """A weighted sum of `(variable, coefficient)` terms (an objective) at `values` (by
    variable index), in points."""
    return sum(coef * values.get(var.index, 0) for var, coef in terms) / SCALE


def maximise_keeping(model: cp_model.CpModel, terms: Sequence[tuple[cp_model.IntVar, int]],
                     kept: Sequence[cp_model.IntVar]) -> int:
    """Maximise `terms` and, among plans of equal value, keep most of the `kept`
    placements: the objective scaled by a step larger than all of them together, plus one
    per placement kept, so the tie-break never trades objective. Returns the step."""
    step = len(kept) + 1
    scaled = [(var, step * coef) for var, coef in terms] + [(var, 1) for var in kept]
    model.maximize(cp_model.LinearExpr.weighted_sum([v for v, _ in scaled],
                                                    [c for _, c in scaled]))
    return step


def build_model(org: Org, explain: bool = False, prune: bool = False,
                placements: Sequence[Candidate] | None = None,
                positions: Collection[tuple[str, str]] | None = None) -> BuiltModel:
    """The model of `org`; with `placements`, of those placements only, and with
    `positions`, of those (role, service) vacancies only (the rest of the organisation's
    are 0: a neighbourhood of a plan, `large.neighbourhood`, `large.near_lp`)."""
    b = Builder(canonical(org), explain=explain, prune=prune)
    b.add_candidates(placements)
    b.add_vacancies(positions)
    b.add_one_position_per_person()
    b.add_locks()
    b.add_service_demand()
    b.add_budget()
    b.add_region_budgets()
    b.add_lone_peer_rule()
    b.add_supervision()
    b.add_placement_value()
    b.add_vacancy_value()
    b.add_saliency_tiers()
    b.set_objective()
    return b.done()


def canonical(org: Org) -> Org:
    """The org with rows sorted by id, so the order of rows never changes the plan."""
    return replace(
        org,
        services=tuple(sorted(org.services, key=lambda s: s.service_id)),
        roles=tuple(sorted(org.roles, key=lambda r: r.role_id)),
        psws=tuple(sorted(org.psws, key=lambda p: p.psw_id)),
    )


def _single_placement_rules():
    return (
        *eligibility.PERSON_ROLE_RULES,
        *eligibility.ROLE_SERVICE_RULES,
        *eligibility.PERSON_SERVICE_RULES,
    )


def _group(items, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped
