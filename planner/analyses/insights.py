"""What would move the plan: a warmer disclosure climate, one more position, more budget.

Each insight re-plans the organisation with one thing changed and compares the result
with today's plan (the optimum of the usual objective). `DEFINITIONS` says what each kind
changes and what `gain` (the ranking key) measures; the pages show the same text.

The position insight needs its own rule on the model (at least one more position of the
role than the optimum holds), so the re-plans run as `workers.Variant`s with edits; a
variant without edits is exactly `plan(org)`.
Changes smaller than a plan's gap may be the solver's rather than the organisation's:
the detail says so whenever a plan is not proven optimal. Insights hold
organisation-level numbers only: no person's data.

    for insight in analyse(org).insights:
        print(insight.title, insight.gain)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.analyses.workers import Variant, Workers
from planner.core import eligibility
from planner.core.audience import Audience, people_count
from planner.core.domain import Org, Role, Service, Target
from planner.core.errors import UsageError
from planner.core.formatting import fte, join_words, money, pct, plural
from planner.core.results import Plan, Repeats, Status
from planner.core.scoring import HIGH_SALIENCY
from planner.solve.edits import StartFrom
from planner.solve.model import BuiltModel, hundredths, vacancy_options, vacancy_value
from planner.solve.planning import limits_for
from planner.solve.strategy import SolvePath, choose_strategy
from planner.solve.values import PlanValues

BUDGET_SHARES = (0.8, 0.9, 1.1, 1.2)
CLIMATE, POSITION, BUDGET, EDUCATION = "climate", "position", "budget", "education"
BASELINE = "baseline"
SEARCHED = f"{BASELINE}:searched"  # today's plan, searched as long as a position variant
DEFINITIONS = {
    CLIMATE: "A service whose disclosure climate blocks a role (the role's minimum climate is "
             "above it) or limits one (a role of saliency 4-5, or one people ask for, above "
             "it), re-planned with its climate one step higher.",
    POSITION: "One more position of a role than the optimum holds, filled or to recruit, "
              "with the budget raised by one standard position's cost (FTE × cost per FTE); "
              "negative when the optimum already holds as many as pay off.",
    EDUCATION: "Where climates hold roles back in a region, one more position of a role "
               "that discloses mainly to staff (staff education, such as a peer trainer) in "
               "that region, with the budget raised by its cost: whether the plan fills it "
               "from the staff, and what the warmer climates of that region would gain.",
    BUDGET: "The plan re-optimised at 80, 90, 110 and 120 % of the budget (of the optimum's "
            "cost when no budget is set).",
    "gain": "The change of the measure the insights are ranked by (by default the demand "
            "covered with recruitment, in FTE), signed so that more is better; ties go to "
            "the change in the plan's weighted objective (Policy weights).",
    "coverage_change": "Change in coverage with recruitment (filled plus to-recruit FTE over "
                       "demand), in percentage points: +4.7 is 4.7 points more of demand.",
    "coverage_fte_change": "Change in the demand covered with recruitment, in FTE.",
    "objective_change": "Change in the plan's weighted objective, in points: the Policy's "
                        "weights of coverage, fit, autonomy, continuity and penalties in one "
                        "sum. It does not price the change itself (training, money).",
}


@dataclass(frozen=True)
class Measure:
    """What an insight can be ranked by: the change of one thing people value."""

    label: str
    unit: str  # fte, people, points, positions, money, share
    better: int  # +1: more is better; -1: less is better (cost)


MEASURES: dict[str, Measure] = {
    "coverage": Measure("Demand covered with recruitment (FTE)", "fte", 1),
    "placed": Measure("People on the staff placed", "people", 1),
    "fit": Measure("Mean fit (0-100)", "points", 1),
    "autonomy": Measure("Mean autonomy (0-100)", "points", 1),
    "high_saliency": Measure("High-saliency positions (saliency 4-5)", "positions", 1),
    "cost": Measure("Annual cost", "money", -1),
    "objective": Measure("The plan's weighted objective (points)", "points", 1),
}
DEFAULT_RANKING = "coverage"


@dataclass(frozen=True)
class Insight:
    """One change and what it does to the plan, each measure in its own unit; the pages
    and the comparison render these.

    Changes are re-plan minus today's optimum: `coverage_fte_change` in FTE of demand
    covered with recruitment (filled plus to recruit), `coverage_change` the same as a
    share of demand (0.047 is 4.7 percentage points), `placed_change` in people,
    `fit_change` and `autonomy_change` in mean points per placement (0-100),
    `high_saliency_change` in positions of saliency 4-5 (filled or to recruit),
    `cost_change` in money a year, `objective_change` in the objective's points (the
    tie-break). `gain` is the change of the measure the insights are ranked by, signed so
    that more is better.
    """

    kind: str
    title: str
    detail: str
    coverage_change: float
    fit_change: float
    autonomy_change: float
    objective_change: float
    gain: float
    coverage_fte_change: float = 0.0
    placed_change: int = 0
    high_saliency_change: int = 0
    cost_change: float = 0.0

    def change(self, measure: str) -> float:
        """The change in `measure` (a key of MEASURES), signed so that more is better."""
        value = {"coverage": self.coverage_fte_change, "placed": self.placed_change,
                 "fit": self.fit_change, "autonomy": self.autonomy_change,
                 "high_saliency": self.high_saliency_change, "cost": self.cost_change,
                 "objective": self.objective_change}[measure]
        return MEASURES[measure].better * value


@dataclass(frozen=True)
class BudgetPoint:
    """The plan at one share of the budget (1.0 is today's optimum)."""

    share: float
    budget: float
    coverage: float
    planned_coverage: float
    mean_fit: float
    mean_autonomy: float
    objective: float | None
    status: str
    gap: float | None


@dataclass(frozen=True)
class InsightReport:
    """The ranked insights, the budget curve, and what could not be evaluated."""

    insights: tuple[Insight, ...]
    ranked_by: str
    budget_curve: tuple[BudgetPoint, ...]
    baseline: BudgetPoint | None
    reference_budget: float | None
    budget_is_cost: bool  # no budget was set: shares are of the optimum's cost
    notes: tuple[str, ...]
    source: str = ""
    input_sha256: str = ""
    repeats: Repeats = field(default_factory=Repeats)  # of the re-plans (`reproducible`)


@dataclass(frozen=True)
class AtLeastPositions:
    """A model edit: the plan holds at least `positions` of `role_id`, filled or vacant
    (in the services of `region` only, when given)."""

    role_id: str
    positions: int
    region: str | None = None

    def apply(self, built: BuiltModel) -> None:
        def counted(role: Role, service: Service) -> bool:
            return role.role_id == self.role_id and (
                self.region is None or (service.region or "") == self.region)

        held = [x for x, c in zip(built.x, built.candidates, strict=True)
                if counted(c.role, c.service)]
        held += [slot.var for slot in built.vacancies if counted(slot.role, slot.service)]
        built.model.add(cp_model.LinearExpr.sum(held) >= self.positions)
        where = "" if self.region is None else f" in {self.region or 'no region'}"
        built.rules.append(f"insight: at least {self.positions} positions of "
                           f"{self.role_id}{where}")


def analyse(org: Org, *, time_limit: float | None = None, jobs: int | None = None,
            rank_by: str = DEFAULT_RANKING, reproducible: bool = False) -> InsightReport:
    """Re-plan every change in parallel: first today's optimum and the climates, then
    (from the optimum's role counts and cost) the positions and the budget shares. The
    insights are ranked by `rank_by` (a key of MEASURES), the objective breaking ties.
    `reproducible`: every re-plan's searches stop on their work (`planning.plan`)."""
    if rank_by not in MEASURES:
        raise UsageError(f"rank_by must be one of {', '.join(MEASURES)}, got {rank_by!r}")
    limits = climate_limits(org)
    with Workers(jobs) as workers:
        first = workers.plan({BASELINE: Variant(org, time_limit=time_limit)}
                             | {f"{CLIMATE}:{sid}": Variant(warmer(org, sid), time_limit=time_limit)
                                for sid in limits}, reproducible=reproducible)
        base = first[BASELINE]
        if base.kpis is None:
            return _no_plan(org, base)
        reference = org.policy.budget if org.policy.budget is not None else base.kpis.cost
        second = workers.plan(_position_variants(org, base, time_limit)
                              | _education_variants(org, base, limits, time_limit)
                              | _budget_variants(org, reference, time_limit)
                              | _searched_baseline(org, base, time_limit, reproducible),
                              reproducible=reproducible)
    plans = first | second
    found, notes = _insights(org, base, plans, limits, reference)
    ranked = [replace(i, gain=i.change(rank_by)) for i in found]
    curve = budget_curve(plans, base, reference)
    return InsightReport(
        insights=tuple(sorted(ranked, key=lambda i: (-i.gain, -i.objective_change, i.kind,
                                                      i.title))),
        ranked_by=rank_by,
        budget_curve=curve, baseline=_budget_point(1.0, reference, base),
        reference_budget=reference, budget_is_cost=org.policy.budget is None,
        notes=tuple(notes), source=org.source, input_sha256=org.input_sha256[:12],
        repeats=Repeats.of(plans.values()))


# -- the changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldBack:
    """What a service's climate holds back: roles it blocks, roles it limits."""

    blocked: tuple[Role, ...]
    limited: tuple[Role, ...]

    def phrase(self, climate: int) -> str:
        """What the climate keeps back, as a fact of the rules and the scores."""
        parts = []
        if self.blocked:
            needs = join_words([f"{r.title} (needs {r.min_climate})" for r in self.blocked])
            parts.append(f"out {needs}")
        if self.limited:
            parts.append(f"{_titles(self.limited)} (saliency above {climate}) at less than "
                         "full climate support")
        return " and ".join(parts)

    @property
    def role_ids(self) -> list[str]:
        return [r.role_id for r in (*self.blocked, *self.limited)]


def climate_limits(org: Org) -> dict[str, HeldBack]:
    """service_id -> the roles its climate blocks or limits, for services below climate 5.

    Blocked: the role's `min_climate` is above the climate. Limited: the role's saliency
    is above the climate and it is a high-saliency role (4-5) or one people ask for.
    Only roles the service's setting allows count.
    """
    wanted = Counter(role_id for p in org.psws for role_id in p.preferred_roles)
    found: dict[str, HeldBack] = {}
    for service in sorted(org.services, key=lambda s: s.service_id):
        roles = [r for r in sorted(org.roles, key=lambda r: r.role_id)
                 if eligibility.setting(r, service) is None and service.climate < 5]
        blocked = tuple(r for r in roles if eligibility.climate(r, service) is not None)
        limited = tuple(r for r in roles if r not in blocked and r.saliency > service.climate
                        and (r.saliency >= HIGH_SALIENCY or wanted[r.role_id] > 0))
        if blocked or limited:
            found[service.service_id] = HeldBack(blocked, limited)
    return found


def _titles(roles: tuple[Role, ...]) -> str:
    return join_words([r.title for r in roles])


def warmer(org: Org, service_id: str) -> Org:
    """The org with one service's disclosure climate one step higher (at most 5)."""
    services = tuple(replace(s, climate=min(5, s.climate + 1)) if s.service_id == service_id
                     else s for s in org.services)
    return replace(org, services=services)


def with_budget(org: Org, budget: float) -> Org:
    return replace(org, policy=replace(org.policy, budget=round(budget, 2)))


def position_cost(role: Role) -> float:
    """One standard position of the role: its FTE × its cost per FTE."""
    return round(role.position_cost, 2)


def positions_held(plan: Plan, role_id: str) -> int:
    return sum(c.filled_positions + c.vacant_positions for c in plan.role_mix
               if c.role_id == role_id)


def _position_variants(org: Org, base: Plan, time_limit: float | None) -> dict[str, Variant]:
    """One more position of each role that some service may hold, the budget raised by
    its cost, warm-started from the optimum plus that position as a vacancy where a
    service has room for it (`_one_more_vacancy`)."""
    variants = {}
    for role in sorted(org.roles, key=lambda r: r.role_id):
        if role.supervisor or all(eligibility.role_service_block(role, s)
                                  for s in org.services):
            continue  # supervisor positions follow the staff's need, not a choice
        funded = (with_budget(org, org.policy.budget + position_cost(role))
                  if org.policy.budget is not None else org)
        edit = AtLeastPositions(role.role_id, positions_held(base, role.role_id) + 1)
        hint = _one_more_vacancy(org, base, role)
        variants[f"{POSITION}:{role.role_id}"] = Variant(funded, (hint, edit), time_limit)
    return variants


def staff_educators(org: Org) -> list[Role]:
    """Roles that disclose mainly to staff (staff education, such as a peer trainer)."""
    return [r for r in sorted(org.roles, key=lambda r: r.role_id)
            if r.main_target == Target.STAFF and not r.supervisor]


def _education_variants(org: Org, base: Plan, limits: dict[str, HeldBack],
                        time_limit: float | None) -> dict[str, Variant]:
    """For each region where a climate holds roles back, one more position there of each
    role that educates staff and may be deployed in one of its services."""
    variants = {}
    regions = sorted({org.services_by_id[sid].region or "" for sid in limits})
    for region in regions:
        for role in staff_educators(org):
            if not _region_hosts(org, role, region):
                continue
            funded = (with_budget(org, org.policy.budget + position_cost(role))
                      if org.policy.budget is not None else org)
            edit = AtLeastPositions(role.role_id, _held_in(base, org, role, region) + 1,
                                    region)
            variants[f"{EDUCATION}:{role.role_id}@{region}"] = Variant(
                funded, (StartFrom.of(base), edit), time_limit)
    return variants


def _region_hosts(org: Org, role: Role, region: str) -> list[Service]:
    return [s for s in org.services if (s.region or "") == region
            and eligibility.role_service_block(role, s) is None]


def _held_in(plan: Plan, org: Org, role: Role, region: str) -> int:
    return sum(c.filled_positions + c.vacant_positions for c in plan.role_mix
               if c.role_id == role.role_id
               and (org.services_by_id[c.service_id].region or "") == region)


def education_text(org: Org, key: str, base: Plan, plan: Plan, limits: dict[str, HeldBack],
                   plans: dict[str, Plan]) -> tuple[str, str]:
    """What one more staff-education position in a region does, who could take it (a
    count), and what the region's warmer climates gain in their own re-plans."""
    role_id, _, region = key.partition("@")
    role = org.roles_by_id[role_id]
    where = region or "the services without a region"
    hosts = _region_hosts(org, role, region)
    able = sum(any(eligibility.placement_block(p, role, s) is None for s in hosts)
               for p in org.psws)
    who = people_count(able, org.policy.k, Audience.DIRECTOR)
    cold = [sid for sid in sorted(limits) if (org.services_by_id[sid].region or "") == region]
    what = (f"In {where} the climate holds roles back in {plural(len(cold), 'service')}. "
            f"The best plan that holds one more {fte(role.fte)} FTE position of {role.title} "
            f"in {where} than today's {plural(_held_in(base, org, role, region), 'position')}, "
            f"with the budget raised by its cost, {money(position_cost(role))} a year, "
            f"{_where_added(org, base, plan, role_id, region)}; {who} "
            f"{'person' if who == 1 else 'people'} on the staff could take it there.")
    warmer_gains = [_warmer_gain(org, sid, base, plans.get(f"{CLIMATE}:{sid}")) for sid in cold]
    gains = [g for g in warmer_gains if g]
    if gains:
        what += f" Next to it, re-planned one step warmer: {'; '.join(gains)}."
    return f"A {role.title} position in {where}", what


def _warmer_gain(org: Org, service_id: str, base: Plan, warmer_plan: Plan | None) -> str:
    if warmer_plan is None or warmer_plan.kpis is None:
        return ""
    name = org.services_by_id[service_id].name or service_id
    covered = round(_covered(warmer_plan) - _covered(base), 1)
    objective = round((warmer_plan.objective or 0.0) - (base.objective or 0.0), 1)
    demand = (f"{fte(abs(covered))} FTE {'more' if covered > 0 else 'less'} demand covered"
              if covered else "the same demand covered")
    return f"{name}, {demand} and objective {objective:+,.1f} points"


def _one_more_vacancy(org: Org, base: Plan, role: Role) -> StartFrom:
    """The base plan with one more vacant position of `role`, in the first service (by
    id) that may open it and has the demand left for it, else in the first where other
    positions give up the demand (`_room_made`): a start that keeps the added rule, so the
    solver starts from a plan of the variant (where the base plan fills every team's
    demand, the base plan alone breaks it). The base plan alone where neither is
    possible."""
    hint = PlanValues.of_plan(base)
    room = {s.service_id: hundredths(s.demand_fte) - hundredths(s.filled_fte)
            - hundredths(s.vacant_fte) for s in base.services}
    options = {service.service_id: most for r, service, most in vacancy_options(org)
               if r.role_id == role.role_id}
    held = hint.positions
    open_to = [s for s in sorted(options) if held.get((role.role_id, s), 0) < options[s]]
    short = {s: hundredths(role.fte) - room.get(s, 0) for s in open_to}
    where, start = next((s for s in open_to if short[s] <= 0), None), hint
    skip = {role.role_id} | {r.role_id for r in org.roles if r.supervisor}
    for service_id in open_to if where is None else ():
        made = _room_made(org, base, hint, service_id, short[service_id], skip)
        if made is not None:
            where, start = service_id, made
            break
    if where is None:
        return StartFrom(hint)
    count = held.get((role.role_id, where), 0) + 1
    return StartFrom(PlanValues(start.placements,
                                {**start.positions, (role.role_id, where): count}))


def _room_made(org: Org, base: Plan, hint: PlanValues, service_id: str, short: int,
               skip: set[str]) -> PlanValues | None:
    """`hint` with as few of the service's positions of other roles (not in `skip`: the
    role itself, and supervisors, whom supervision may need) taken out as free `short`
    hundredths of an FTE: vacant positions first, the least valued first, then
    placements (not locked ones), the least scoring first. None when they cannot."""
    service = org.services_by_id[service_id]
    roles = {r.role_id: r for r in org.roles}
    counts = dict(hint.positions)
    vacant = sorted((r for r, s in counts if s == service_id and r not in skip),
                    key=lambda r: (vacancy_value(roles[r], service, org), r))
    for role_id in vacant:
        while short > 0 and counts[(role_id, service_id)] > 0:
            counts[(role_id, service_id)] -= 1
            short -= hundredths(roles[role_id].fte)
    placed = sorted((a for a in base.assignments if a.service_id == service_id
                     and not a.locked and a.role_id not in skip),
                    key=lambda a: (a.score, a.psw_id))
    dropped = set()
    for a in placed:
        if short <= 0:
            break
        dropped.add((a.psw_id, a.role_id, a.service_id))
        short -= hundredths(a.fte)
    if short > 0:
        return None
    return PlanValues(hint.placements - dropped, counts)


def _searched_baseline(org: Org, base: Plan, time_limit: float | None,
                       reproducible: bool = False) -> dict[str, Variant]:
    """Today's plan improved as the position variants are, for as long, where those are
    planned part by part (`strategy.SolvePath.PART_BY_PART`). They are compared with it,
    so a gain is the position's, not the longer search's."""
    limits = limits_for(org, time_limit=time_limit, reproducible=reproducible)
    if choose_strategy(org, limits, edited=True).path is not SolvePath.PART_BY_PART:
        return {}
    return {SEARCHED: Variant(org, (StartFrom.of(base),), time_limit)}


def _budget_variants(org: Org, reference: float, time_limit: float | None) -> dict[str, Variant]:
    return {f"{BUDGET}:{share}": Variant(with_budget(org, share * reference),
                                         time_limit=time_limit)
            for share in BUDGET_SHARES}


# -- reading the re-plans ----------------------------------------------------------------


def _insights(org: Org, base: Plan, plans: dict[str, Plan], limits: dict[str, HeldBack],
              reference: float) -> tuple[list[Insight], list[str]]:
    """Each re-plan against today's plan; budgets raised to no further effect merged."""
    found: list[Insight] = []
    notes: list[str] = []
    raised: dict[str, float] = {}  # title of a raised budget -> its share
    searched = plans.get(SEARCHED)
    for name, plan in plans.items():
        kind, _, key = name.partition(":")
        if kind == BASELINE:
            continue
        if plan.kpis is None:
            notes.append(_not_evaluated(org, kind, key, plan))
            continue
        title, what = _describe(org, kind, key, base, plan, limits, reference, plans)
        if kind == BUDGET and float(key) > 1:
            raised[title] = float(key)
        if kind in (POSITION, EDUCATION) and searched is not None and searched.kpis is not None:
            found.append(_insight(kind, title, f"{what} {SEARCHED_TEXT}", searched, plan))
        else:
            found.append(_with_education(org, kind, _insight(kind, title, what, base, plan)))
    kept, merged = _merged_budgets(found, raised)
    return kept, notes + merged


SEARCHED_TEXT = ("The organisation is too large to search whole in the time, so this plan "
                 "was improved part by part from today's plan; it is compared with today's "
                 "plan improved in the same way for as long.")


def _describe(org: Org, kind: str, key: str, base: Plan, plan: Plan,
              limits: dict[str, HeldBack], reference: float,
              plans: dict[str, Plan]) -> tuple[str, str]:
    if kind == CLIMATE:
        return _climate_text(org.services_by_id[key], limits[key], base, plan)
    if kind == POSITION:
        return _position_text(org, org.roles_by_id[key], base, plan)
    if kind == EDUCATION:
        return education_text(org, key, base, plan, limits, plans)
    return _budget_text(float(key), reference, base, plan)


def _insight(kind: str, title: str, what: str, base: Plan, plan: Plan) -> Insight:
    before, after = base.kpis, plan.kpis
    assert before is not None and after is not None
    objective = round((plan.objective or 0.0) - (base.objective or 0.0), 2)
    detail = f"{what} {_changes(base, plan)}{_caveat(base, plan)}"
    return Insight(
        kind=kind, title=title, detail=detail,
        coverage_change=round(after.planned_coverage - before.planned_coverage, 4),
        fit_change=round(after.mean_fit - before.mean_fit, 2),
        autonomy_change=round(after.mean_autonomy - before.mean_autonomy, 2),
        objective_change=objective, gain=objective,
        coverage_fte_change=round(_covered(plan) - _covered(base), 2),
        placed_change=after.placed - before.placed,
        high_saliency_change=high_saliency_positions(plan) - high_saliency_positions(base),
        cost_change=round(after.cost - before.cost, 2),
    )


def _with_education(org: Org, kind: str, insight: Insight) -> Insight:
    """A warmer climate's insight with the staff education's cost counted, when the Policy
    gives it (else its text says it is not counted)."""
    education = org.policy.education_cost(1)
    if kind != CLIMATE:
        return insight
    if education is None:
        return replace(insight, detail=f"{insight.detail} What raising the climate takes "
                       "(staff education) is not counted: set Policy climate_step_cost.")
    return replace(insight, cost_change=round(insight.cost_change + education, 2),
                   detail=f"{insight.detail} Staff education counted at {money(education)} "
                          "a year (Policy climate_step_cost).")


def _covered(plan: Plan) -> float:
    kpis = plan.kpis
    assert kpis is not None
    return kpis.filled_fte + kpis.vacant_fte


def high_saliency_positions(plan: Plan) -> int:
    """Positions of roles of saliency 4-5 in the plan, filled or to recruit."""
    high = {r.role_id for r in plan.roles if r.saliency >= HIGH_SALIENCY}
    return sum(c.filled_positions + c.vacant_positions for c in plan.role_mix
               if c.role_id in high)


def _merged_budgets(found: list[Insight],
                    raised: dict[str, float]) -> tuple[list[Insight], list[str]]:
    """A raised budget that changes nothing more than a smaller raise (or than today's
    budget) is one insight with it, and a note says where the budget stops binding."""
    ordered = sorted((i for i in found if i.title in raised), key=lambda i: raised[i.title])
    kept, notes, below = [i for i in found if i.title not in raised], [], None
    for insight in ordered:
        if below is None and all(abs(insight.change(m)) < 1e-6 for m in MEASURES):
            notes.append(f"{insight.title} gives today's plan: the extra money buys "
                         "nothing the plan can use.")
        elif below is not None and _same_outcome(below, insight):
            notes.append(f"{insight.title} gives the same plan as {below.title}: the extra "
                         "money buys nothing more.")
        else:
            kept.append(insight)
            below = insight
    return kept, notes


def _same_outcome(a: Insight, b: Insight) -> bool:
    return all(abs(a.change(m) - b.change(m)) < 1e-6 for m in MEASURES)


def _climate_text(service: Service, held: HeldBack, base: Plan,
                  plan: Plan) -> tuple[str, str]:
    name = service.name or service.service_id
    title = (f"Raise the disclosure climate of {name} from {service.climate} to "
             f"{service.climate + 1}")
    was, now = (_fte_of(p, service.service_id, held.role_ids) for p in (base, plan))
    what = (f"Today the climate of {name} keeps {held.phrase(service.climate)}. "
            f"Re-planned with a climate of {service.climate + 1}: ")
    if now > was:
        what += (f"these roles hold {fte(now)} FTE there (filled or to recruit), against "
                 f"{fte(was)} today.")
    else:
        what += "the plan does not use these roles there any more than today."
    return title, what


def _position_text(org: Org, role: Role, base: Plan, plan: Plan) -> tuple[str, str]:
    cost = position_cost(role)
    funded = (f"the budget raised by its cost, {money(cost)} a year"
              if org.policy.budget is not None else f"its cost, {money(cost)} a year (no "
              f"budget is set)")
    where = _where_added(org, base, plan, role.role_id)
    today = plural(positions_held(base, role.role_id), "position")
    what = (f"The best plan that holds one more {fte(role.fte)} FTE position of {role.title} "
            f"than today's {today}, with {funded}, {where}.")
    return f"One more {role.title} position", what


def _budget_text(share: float, reference: float, base: Plan, plan: Plan) -> tuple[str, str]:
    budget = share * reference
    change = budget - reference
    title = f"Budget at {pct(share)} ({money(budget)})"
    verb = "adds" if change > 0 else "takes away"
    what = (f"A budget of {money(budget)} {verb} {money(abs(change))} a year; the plan is "
            f"re-optimised.")
    spent = plan.kpis.cost if plan.kpis else budget
    if change > 0 and budget - spent > 0.01 * reference:
        what += (f" It spends {money(spent)}: past that, demand and the rules, not money, "
                 f"limit the plan.")
    return title, what


def _where_added(org: Org, base: Plan, plan: Plan, role_id: str,
                 region: str | None = None) -> str:
    """Where the re-plan holds more positions of the role than today (in `region`'s
    services only, when given), and whether filled from the staff or to recruit."""
    def held(p: Plan) -> dict[str, tuple[int, int]]:
        return {c.service_id: (c.filled_positions, c.vacant_positions)
                for c in p.role_mix if c.role_id == role_id and (
                    region is None or (org.services_by_id[c.service_id].region or "") == region)}

    before, after = held(base), held(plan)
    gained = [sid for sid in sorted(after)
              if sum(after[sid]) > sum(before.get(sid, (0, 0)))]
    if not gained:
        return "moves positions of the role between services"
    names = [org.services_by_id[sid].name or sid for sid in gained]
    filled = any(after[sid][0] > before.get(sid, (0, 0))[0] for sid in gained)
    how = "filled from the staff" if filled else "to recruit"
    return f"puts it in {join_words(names)} ({how})"


def _fte_of(plan: Plan, service_id: str, role_ids: list[str]) -> float:
    return round(sum(c.filled_fte + c.vacant_fte for c in plan.role_mix
                     if c.service_id == service_id and c.role_id in role_ids), 2)


def _changes(base: Plan, plan: Plan) -> str:
    """What the re-plan changes, in plain units first: 'Re-planned: demand covered with
    recruitment 51.6 → 54 FTE (93% → 97%), …; objective +77.4 points.'"""
    b, a = base.kpis, plan.kpis
    assert a is not None and b is not None
    parts = [f"demand covered with recruitment {fte(_covered(base))} → "
             f"{fte(_covered(plan))} FTE ({pct(b.planned_coverage)} → "
             f"{pct(a.planned_coverage)})"]
    if pct(b.coverage) != pct(a.coverage):
        parts.append(f"filled by staff {pct(b.coverage)} → {pct(a.coverage)}")
    if a.placed != b.placed:
        parts.append(f"people placed {b.placed} → {a.placed}")
    high = (high_saliency_positions(base), high_saliency_positions(plan))
    if high[0] != high[1]:
        parts.append(f"high-saliency positions {high[0]} → {high[1]}")
    if abs(a.cost - b.cost) >= 0.5:
        parts.append(f"cost {a.cost - b.cost:+,.0f} a year")
    parts.append(f"mean fit {b.mean_fit:.1f} → {a.mean_fit:.1f}, mean autonomy "
                 f"{b.mean_autonomy:.1f} → {a.mean_autonomy:.1f}")
    objective = round((plan.objective or 0.0) - (base.objective or 0.0), 2)
    return f"Re-planned: {', '.join(parts)}; objective {objective:+,.1f} points."


def _caveat(base: Plan, plan: Plan) -> str:
    cut = [p for p in (base, plan) if p.status is not Status.OPTIMAL]
    if not cut:
        return ""
    gaps = [p.gap for p in cut if p.gap is not None]
    if not gaps:
        return (" (Not proven optimal, gap unknown: a small change may be the solver's, "
                "not the organisation's.)")
    return (f" (Not proven optimal, gap up to {pct(max(gaps), 2)}: a change smaller than "
            f"that may be the solver's, not the organisation's.)")


def _not_evaluated(org: Org, kind: str, key: str, plan: Plan) -> str:
    why = ("no plan keeps every rule" if plan.status is Status.INFEASIBLE
           else "the time limit passed before a plan was found")
    if kind == POSITION:
        return f"One more {org.roles_by_id[key].title} position: {why}."
    if kind == CLIMATE:
        return f"A warmer climate at {org.services_by_id[key].name or key}: {why}."
    if kind == EDUCATION:
        role_id, _, region = key.partition("@")
        where = region or "the services without a region"
        return f"A {org.roles_by_id[role_id].title} position in {where}: {why}."
    return f"Budget at {pct(float(key))}: {why}."


def budget_curve(plans: dict[str, Plan], base: Plan, reference: float) -> tuple[BudgetPoint, ...]:
    """The plans at 80-120 % of the budget, today's optimum at 100 %, in share order."""
    shares = {1.0: base} | {share: plans[f"{BUDGET}:{share}"] for share in BUDGET_SHARES}
    points = (_budget_point(share, reference, plan) for share, plan in sorted(shares.items()))
    return tuple(p for p in points if p is not None)


def _budget_point(share: float, reference: float | None, plan: Plan) -> BudgetPoint | None:
    if plan.kpis is None or reference is None:
        return None
    k = plan.kpis
    return BudgetPoint(share, round(share * reference, 2), k.coverage, k.planned_coverage,
                       k.mean_fit, k.mean_autonomy, plan.objective, plan.status.value, plan.gap)


def _no_plan(org: Org, base: Plan) -> InsightReport:
    why = ("no plan satisfies the rules" if base.status is Status.INFEASIBLE
           else "the time limit passed before any plan was found")
    return InsightReport((), (), None, org.policy.budget, org.policy.budget is None,
                         (f"No insights: {why} for the organisation as it is.",),
                         org.source, org.input_sha256[:12])
