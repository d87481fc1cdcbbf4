"""A multi-year roadmap: careers, supported stretch and recruitment, as readiness grows
and people leave.

A rolling horizon: each year is planned in turn with every rule of `plan` and the
roadmap's own (`roadmap_rules`), from the staff the year before leaves behind:

- a person who held a supported stretch placement for Policy `stretch_months` gains one
  level of readiness (every target); experience grows one level a year in post, up to 5;
  readiness never rises otherwise;
- `attrition_rate` of everyone's available FTE is lost each year (expected leaving);
- a position to recruit in year y is filled by a new hire (the Policy's hire profile)
  `recruit_months` later: in post from the next year when that is within twelve months;
- budget and demand change by `budget_growth_pct` and `demand_growth_pct` a year;
- a service where a role that discloses mainly to staff (a peer trainer) is filled for
  `education_months` gains `education_step` of climate from the next year (staff
  education, one of the ways to warm a climate);
- each year's placements are the next year's current posts, so continuity (weight_move)
  rewards few moves, and `weight_progression` rewards a step up (worth it next year,
  hence discounted by `roadmap_discount`). Locks hold in year 1.

The roadmap's value is the years' objectives added with the discount. Year 1 is what
`plan` would place, given the roadmap's rules and the value of a step up. The cover
range samples who leaves within each year (seeded).

    rm = plan_roadmap(read_org("sample_orgs/regional_service.xlsx"), years=3)
    [(y.year, y.planned_coverage) for y in rm.years]
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from planner.analyses.roadmap_rules import (
    KeepRecruiting,
    Progression,
    RecruitableOnly,
    SupportedStretch,
    greedy_roadmap_start,
    new_hire,
)
from planner.core.domain import PSW, Org, Target
from planner.core.errors import InfeasibleError, UsageError
from planner.core.results import CUT_BY_THE_CLOCK, Plan, Repeats, Status
from planner.core.scoring import saliency_tier
from planner.solve.edits import Edit, StartFrom
from planner.solve.planning import plan
from planner.solve.values import PlanValues

DEFAULT_YEARS = 3  # the usual horizon of a workforce plan
MAX_YEARS = 10
COVER_SAMPLES = 200  # leaving patterns sampled per year for the cover range
COVER_PERCENTILES = (5, 50, 95)
TIERS = ("low", "middle", "high")
MONTHS = 12
MIN_YEAR_SECONDS = 1.0  # a year's least solving time, even when the limit leaves less
# how far behind its even share a reproducible year may start and still have it all (a
# year's plan ends on its work, mostly well before its time; the files' reserve is after)
BEHIND_SECONDS = 0.5


@dataclass(frozen=True)
class TierYear:
    """FTE of one saliency tier in one year: filled, to recruit, and lost to leaving."""

    tier: str
    filled_fte: float
    to_recruit_fte: float
    lost_fte: float


@dataclass(frozen=True)
class YearSummary:
    """One year of the roadmap in organisation-level figures."""

    year: int
    status: str
    objective: float | None
    gap: float | None
    budget: float | None
    cost: float
    demand_fte: float
    filled_fte: float
    to_recruit_fte: float
    lost_fte: float  # available FTE lost to leaving since the year before
    coverage: float
    planned_coverage: float
    cover_range: tuple[float, float, float]  # cover kept when people leave: 5th, 50th, 95th %
    tiers: tuple[TierYear, ...]
    stretch_placements: int  # supported: each one grows readiness
    progressions: int  # people who step up to a higher saliency role than the year before
    hires_in_post: int  # new hires who joined this year
    placed: int
    climates_raised: tuple[str, ...] = ()  # services staff education warmed going into it


@dataclass(frozen=True)
class Hire:
    """Positions to recruit: when they are needed, and when to start recruiting."""

    year_needed: int
    start_month: int  # months from the roadmap's start (0 = now); late when negative
    role_id: str
    title: str
    service_id: str
    region: str | None
    positions: int
    fte: float
    cost: float
    profile: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class Step:
    """One person in one year (HR only): where they are, how ready, and why."""

    psw_id: str
    year: int
    role_id: str | None
    service_id: str | None
    readiness: int
    experience: int
    available_fte: float
    stretch: bool
    reason: str


@dataclass(frozen=True)
class Roadmap:
    """The years' summaries, the recruitment schedule, each person's pathway (HR), and
    each year's Plan (written as `year-N/plan.json`)."""

    years: tuple[YearSummary, ...]
    hires: tuple[Hire, ...]
    pathways: tuple[Step, ...]
    plans: tuple[Plan, ...]
    value: float  # the years' objectives added with the discount
    discount: float
    reached_higher_tier: int  # people whose readiness tier is higher after the last year
    settings: dict[str, Any]
    source: str = ""
    input_sha256: str = ""
    orgs: tuple[Org, ...] = ()  # each year's organisation, as planned (not written)

    @property
    def repeats(self) -> Repeats:
        """The years' plans that repeat (`plan_roadmap(reproducible=True)`)."""
        return Repeats.of(self.plans)


@dataclass
class _Staff:
    """Who is on the staff going into a year, and where their stretch stands."""

    people: dict[str, PSW]
    stretch_months: dict[str, float]
    pending: list[tuple[int, PSW, tuple[str, str]]]  # (year in post, hire, position)
    climates: dict[str, int] = field(default_factory=dict)  # as staff education left them
    educated_months: dict[str, float] = field(default_factory=dict)  # per service
    raised: tuple[str, ...] = ()  # services whose climate rose going into this year


def plan_roadmap(org: Org, *, years: int = 3, time_limit: float | None = None,
                 seed: int | None = None, reserve: float = 0.0,
                 reproducible: bool = False) -> Roadmap:
    """Plan `years` years in turn within `time_limit` seconds in all (default: the
    Policy's time_limit a year), `reserve` of them kept for what follows (writing the
    files). Each year may use an even share of the time left, so a year proven optimal
    early leaves more to the years after it. `reproducible`: each year's searches stop on
    their work, and each year has an even share of the whole time, not of the time the
    clock says is left (`_year_seconds`)."""
    if not 1 <= years <= MAX_YEARS:
        raise UsageError(f"years must be between 1 and {MAX_YEARS}, got {years}")
    policy = org.policy
    total = policy.time_limit * years if time_limit is None else time_limit
    deadline = time.perf_counter() + total - reserve
    staff = _Staff({p.psw_id: p for p in org.psws}, {}, [])
    start = {p.psw_id: p.readiness for p in org.psws}
    summaries, plans, steps, hires, orgs = [], [], [], [], []
    previous: Plan | None = None
    lost: dict[str, float] = {}
    for year in range(1, years + 1):
        joined = _join(staff, year)
        year_org = _year_org(org, year, staff)
        rules = _edits(org, staff, year)
        edits = (*rules, *_start(previous, staff, joined),
                 StartFrom(greedy_roadmap_start(year_org, rules, policy.hire_readiness,
                                                policy.hire_experience)))
        share, behind = _year_seconds(deadline, total - reserve, years, year, reproducible)
        planned = plan(year_org, edits=edits, time_limit=max(MIN_YEAR_SECONDS, share),
                       seed=seed, reproducible=reproducible)
        planned = _cut_by_the_clock(planned) if behind else planned
        if planned.status is Status.INFEASIBLE:
            raise _infeasible(year, planned)
        if planned.kpis is None:
            raise UsageError(f"year {year} of the roadmap found no plan in its "
                             f"{share:.0f} s; raise --time-limit")
        plans.append(planned)
        orgs.append(year_org)
        summaries.append(replace(
            _summary(year, year_org, planned, previous, lost, joined,
                     seed if seed is not None else policy.seed), climates_raised=staff.raised))
        steps += _steps(year, year_org, planned, previous, joined, staff)
        hires += _hires(year, year_org, planned, staff)
        lost = _next_year(staff, year_org, planned, year)
        previous = planned
    value = sum(policy.roadmap_discount ** (y - 1) * (p.objective or 0.0)
                for y, p in enumerate(plans, start=1))
    reached = sum(saliency_tier(p.readiness) != saliency_tier(start[psw_id])
                  for psw_id, p in staff.people.items() if psw_id in start)
    return Roadmap(tuple(summaries), tuple(hires), tuple(steps), tuple(plans),
                   round(value, 2), policy.roadmap_discount, reached, _settings(org, years),
                   org.source, org.input_sha256, tuple(orgs))


def _year_seconds(deadline: float, seconds: float, years: int, year: int,
                  reproducible: bool) -> tuple[float, bool]:
    """A year's seconds, and whether the clock cut them: an even share of the time left;
    when reproducible, an even share of all `seconds` (the same on every run), unless
    the years before took so long that the clock leaves less than that for the years
    left, when it has the share of what is left and is counted as cut."""
    to_plan = years - year + 1
    left = deadline - time.perf_counter()
    even = seconds / years
    if not reproducible:
        return left / to_plan, False
    if left + BEHIND_SECONDS >= even * to_plan:
        return even, False
    return left / to_plan, True


def _cut_by_the_clock(planned: Plan) -> Plan:
    """`planned`, with one more search counted as cut by the clock (so it claims no
    repeat: its time was the clock's)."""
    stats = planned.model_stats
    return replace(planned, model_stats={**stats,
                                         CUT_BY_THE_CLOCK: stats.get(CUT_BY_THE_CLOCK, 0) + 1})


def _infeasible(year: int, planned: Plan) -> InfeasibleError:
    """No plan of `year` keeps every rule: the error names the year and the conflicts."""
    error = InfeasibleError([f"year {year}: {c}" for c in planned.conflicts])
    error.args = (f"year {year} of the roadmap: no plan satisfies all the rules: "
                  + "; ".join(planned.conflicts),)
    return error


# -- each year's organisation ---------------------------------------------------------


def _year_org(org: Org, year: int, staff: _Staff) -> Org:
    """The organisation in `year`: budgets and demand grown, today's staff, locks in the
    first year only."""
    policy = org.policy
    budget_factor = (1 + policy.budget_growth_pct / 100) ** (year - 1)
    demand_factor = (1 + policy.demand_growth_pct / 100) ** (year - 1)
    budget = None if policy.budget is None else round(policy.budget * budget_factor, 2)
    services = tuple(replace(s, demand_fte=round(s.demand_fte * demand_factor, 2),
                             climate=staff.climates.get(s.service_id, s.climate))
                     for s in org.services)
    people = tuple(p if year == 1 else replace(p, lock=False)
                   for p in staff.people.values())
    regions = tuple(r if r.budget is None else replace(r, budget=round(r.budget * budget_factor, 2))
                    for r in org.regions)
    return replace(org, services=services, psws=people,
                   policy=replace(policy, budget=budget), regions=regions)


def _edits(org: Org, staff: _Staff, year: int) -> tuple[Edit, ...]:
    policy = org.policy
    waiting = Counter(position for joins, _, position in staff.pending if joins > year)
    return (SupportedStretch(policy.stretch_per_supervisor),
            RecruitableOnly(policy.hire_readiness, policy.hire_experience),
            KeepRecruiting(tuple(sorted(waiting.items()))),
            Progression(policy.weight_progression * policy.roadmap_discount))


def _start(previous: Plan | None, staff: _Staff, joined: list[str]) -> tuple[Edit, ...]:
    """Last year's plan as this year's start, the new hires in the posts they were
    recruited for instead of those positions to recruit: it mostly keeps this year's
    rules, so a large organisation improves it part by part rather than search whole."""
    if previous is None:
        return ()
    values = PlanValues.of_plan(previous)
    placements = set(values.placements)
    positions = dict(values.positions)
    for psw_id in joined:
        hire = staff.people[psw_id]
        post = (hire.current_role or "", hire.current_service or "")
        placements.add((psw_id, *post))
        positions[post] = max(0, positions.get(post, 0) - 1)
    return (StartFrom(PlanValues(frozenset(placements), positions)),)


def _join(staff: _Staff, year: int) -> list[str]:
    """New hires whose recruitment ends by `year` join the staff, in the post they were
    recruited for."""
    joined = [(hire, position) for joins, hire, position in staff.pending if joins == year]
    staff.pending = [item for item in staff.pending if item[0] != year]
    for hire, _ in joined:
        staff.people[hire.psw_id] = hire
    return [hire.psw_id for hire, _ in joined]


def _next_year(staff: _Staff, year_org: Org, planned: Plan, year: int) -> dict[str, float]:
    """The staff going into the next year: experience and readiness grown by the rules,
    this year's placements as current posts, attrition applied; new hires pending. Returns
    the FTE lost per saliency tier (of this year's posts)."""
    policy = year_org.policy
    roles = year_org.roles_by_id
    placed = {a.psw_id: a for a in planned.assignments}
    lost: dict[str, float] = defaultdict(float)
    for psw_id, person in list(staff.people.items()):
        post = placed.get(psw_id)
        months = staff.stretch_months.get(psw_id, 0.0) + MONTHS if post and post.stretch else 0.0
        grown = months >= policy.stretch_months
        staff.stretch_months[psw_id] = months - policy.stretch_months if grown else months
        fte = round(max(0.01, person.available_fte * (1 - policy.attrition_rate)), 2)
        if post is not None:
            lost[saliency_tier(roles[post.role_id].saliency)] += person.available_fte - fte
        staff.people[psw_id] = replace(
            _grown(person) if grown else person,
            experience=min(5, person.experience + 1) if post else person.experience,
            available_fte=fte, lock=False,
            current_service=post.service_id if post else None,
            current_role=post.role_id if post else None)
    _recruit(staff, year_org, planned, year)
    _educate(staff, year_org, planned)
    return dict(lost)


def _educate(staff: _Staff, year_org: Org, planned: Plan) -> None:
    """Staff education: a service where a role that discloses mainly to staff (a peer
    trainer) is filled for the Policy's `education_months` gains `education_step` of
    climate (at most 5) from the year after."""
    policy = year_org.policy
    roles = year_org.roles_by_id
    educated = {a.service_id for a in planned.assignments
                if roles[a.role_id].main_target == Target.STAFF}
    raised = []
    for service in year_org.services:
        sid = service.service_id
        months = staff.educated_months.get(sid, 0.0) + MONTHS if sid in educated else 0.0
        if months >= policy.education_months and service.climate < 5:
            staff.climates[sid] = min(5, service.climate + policy.education_step)
            months -= policy.education_months
            raised.append(sid)
        staff.educated_months[sid] = months
    staff.raised = tuple(raised)


def _grown(person: PSW) -> PSW:
    """One level more readiness with every target (at most 5)."""
    def up(level: int | None) -> int | None:
        return None if level is None else min(5, level + 1)

    return replace(person, readiness=min(5, person.readiness + 1),
                   readiness_staff=up(person.readiness_staff),
                   readiness_leadership=up(person.readiness_leadership))


def _recruit(staff: _Staff, year_org: Org, planned: Plan, year: int) -> None:
    """Each position to recruit this year (beyond those already pending) becomes a new
    hire in post `recruit_months` later (from the next year at the earliest)."""
    policy = year_org.policy
    joins = year + max(1, math.ceil(policy.recruit_months / MONTHS))
    pending = Counter(position for _, _, position in staff.pending)
    for vacancy in planned.vacancies:
        position = (vacancy.role_id, vacancy.service_id)
        role = year_org.roles_by_id[vacancy.role_id]
        service = year_org.services_by_id[vacancy.service_id]
        for n in range(pending.get(position, 0), vacancy.positions):
            hire = new_hire(f"H{year}-{vacancy.role_id}-{vacancy.service_id}-{n + 1}", role,
                            policy.hire_readiness, policy.hire_experience,
                            available_fte=role.fte, region=service.region,
                            current_service=service.service_id, current_role=role.role_id)
            staff.pending.append((joins, hire, position))


# -- what each year shows ---------------------------------------------------------------


def _summary(year: int, year_org: Org, planned: Plan, previous: Plan | None,
             lost: dict[str, float], joined: list[str], seed: int) -> YearSummary:
    kpis = planned.kpis
    assert kpis is not None
    roles = year_org.roles_by_id
    filled: dict[str, float] = defaultdict(float)
    recruit: dict[str, float] = defaultdict(float)
    for a in planned.assignments:
        filled[saliency_tier(roles[a.role_id].saliency)] += a.fte
    for v in planned.vacancies:
        recruit[saliency_tier(roles[v.role_id].saliency)] += v.fte
    tiers = tuple(TierYear(t, round(filled[t], 2), round(recruit[t], 2),
                           round(lost.get(t, 0.0), 2)) for t in TIERS)
    return YearSummary(
        year=year, status=planned.status.value, objective=planned.objective, gap=planned.gap,
        budget=year_org.policy.budget, cost=kpis.cost, demand_fte=kpis.demand_fte,
        filled_fte=kpis.filled_fte, to_recruit_fte=kpis.vacant_fte,
        lost_fte=round(sum(lost.values()), 2), coverage=kpis.coverage,
        planned_coverage=kpis.planned_coverage,
        cover_range=cover_range(year_org, planned, seed + year),
        tiers=tiers, stretch_placements=kpis.stretch_placements,
        progressions=len(stepped_up(year_org, planned, previous)),
        hires_in_post=len(joined), placed=kpis.placed)


def people_in_tier(plan: Plan, tier: str) -> int:
    """People placed in roles of a saliency tier (each once, whatever their posts)."""
    tiers = {r.role_id: r.tier for r in plan.roles}
    return len({a.psw_id for a in plan.assignments if tiers[a.role_id] == tier})


def stepped_up(year_org: Org, planned: Plan, previous: Plan | None) -> list[str]:
    """People placed in a role of higher saliency than their post the year before."""
    if previous is None:
        return []
    roles = year_org.roles_by_id
    before = {a.psw_id: roles[a.role_id].saliency for a in previous.assignments}
    return sorted(a.psw_id for a in planned.assignments
                  if a.psw_id in before and roles[a.role_id].saliency > before[a.psw_id])


def cover_range(year_org: Org, planned: Plan, seed: int) -> tuple[float, float, float]:
    """The share of demand covered (filled by those who stay, plus positions to recruit)
    when each placed person leaves within the year with probability `attrition_rate`, over
    sampled leaving patterns: the 5th, 50th and 95th percentiles."""
    demand = sum(s.demand_fte for s in year_org.services)
    frontline = [a.fte for a in planned.assignments
                 if not year_org.roles_by_id[a.role_id].supervisor]
    recruited = sum(v.fte for v in planned.vacancies
                    if not year_org.roles_by_id[v.role_id].supervisor)
    if demand <= 0:
        return (1.0, 1.0, 1.0)
    rng = np.random.default_rng(seed)
    stays = rng.random((COVER_SAMPLES, len(frontline))) >= year_org.policy.attrition_rate
    covered = (stays @ np.asarray(frontline, dtype=float) + recruited) / demand
    low, mid, high = np.percentile(covered, COVER_PERCENTILES)
    return (round(float(low), 4), round(float(mid), 4), round(float(high), 4))


def _steps(year: int, year_org: Org, planned: Plan, previous: Plan | None,
           joined: list[str], staff: _Staff) -> list[Step]:
    roles = year_org.roles_by_id
    placed = {a.psw_id: a for a in planned.assignments}
    before = {} if previous is None else {a.psw_id: a for a in previous.assignments}
    why = {u.psw_id: u.reason for u in planned.unassigned}
    steps = []
    for person in sorted(year_org.psws, key=lambda p: p.psw_id):
        post = placed.get(person.psw_id)
        reason = _step_reason(person, post, before.get(person.psw_id), roles,
                              person.psw_id in joined, why.get(person.psw_id, ""), year)
        steps.append(Step(person.psw_id, year, post.role_id if post else None,
                          post.service_id if post else None, person.readiness,
                          person.experience, person.available_fte,
                          bool(post and post.stretch), reason))
    return steps


def _step_reason(person: PSW, post, before, roles, joined: bool, why: str,
                 year: int) -> str:
    if post is None:
        return f"not placed: {why}" if why else "not placed"
    where = f"{roles[post.role_id].title} at {post.service_id}"
    if joined:
        text = f"joins as a new hire in {where}"
    elif before is None:
        text = f"placed in {where}" if year > 1 or not person.current_role else (
            f"keeps {where}" if post.stays else f"moves to {where}")
    elif (before.role_id, before.service_id) == (post.role_id, post.service_id):
        text = f"stays in {where}"
    elif roles[post.role_id].saliency > roles[before.role_id].saliency:
        track = roles[post.role_id].career_track
        text = f"steps up to {where}" + (f" (career track {track})" if track else "")
    else:
        text = f"moves to {where}"
    if post.stretch:
        text += ("; a supported stretch, one level above readiness, under a peer "
                 "supervisor: readiness grows by one level after the Policy's "
                 "stretch_months")
    return text


def _hires(year: int, year_org: Org, planned: Plan, staff: _Staff) -> list[Hire]:
    """This year's new positions to recruit, with when to start recruiting."""
    policy = year_org.policy
    start = round((year - 1) * MONTHS - policy.recruit_months)
    pending = Counter(position for _, _, position in staff.pending)
    hires = []
    for v in planned.vacancies:
        new = v.positions - pending.get((v.role_id, v.service_id), 0)
        if new <= 0:
            continue  # recruited for in an earlier year, the hire not in post yet
        role = year_org.roles_by_id[v.role_id]
        service = year_org.services_by_id[v.service_id]
        share = new / v.positions
        hires.append(Hire(year, start, v.role_id, role.title, v.service_id, service.region,
                          new, round(v.fte * share, 2), round(v.cost * share, 2),
                          dict(v.profile), v.reason))
    return hires


def _settings(org: Org, years: int) -> dict[str, Any]:
    policy = org.policy
    keys = ("stretch_months", "stretch_per_supervisor", "attrition_rate", "recruit_months",
            "hire_readiness", "hire_experience", "budget_growth_pct", "demand_growth_pct",
            "weight_progression", "roadmap_discount", "education_months", "education_step")
    return {"years": years, **{key: getattr(policy, key) for key in keys}}


def roadmap_lines(roadmap: Roadmap) -> list[str]:
    """A terminal's summary, year by year: organisation-level figures only."""
    lines = []
    for y in roadmap.years:
        low, _, high = y.cover_range
        budget = f" of {y.budget:,.0f}" if y.budget is not None else ""
        gap = "proven optimal" if y.status == "optimal" else f"gap {(y.gap or 0):.2%}"
        lines.append(f"year {y.year}: {y.planned_coverage:.0%} of {y.demand_fte:g} FTE demand "
                     f"covered with recruitment ({y.coverage:.0%} filled), cover {low:.0%}-"
                     f"{high:.0%} as people leave; {y.to_recruit_fte:g} FTE to recruit; cost "
                     f"{y.cost:,.0f}{budget}; {gap}"
                     + (f"; staff education warmed {len(y.climates_raised)} service(s)"
                        if y.climates_raised else ""))
    lines.append(f"roadmap value {roadmap.value:,.1f} points (discount {roadmap.discount:g} "
                 f"a year); {len(roadmap.hires)} recruitment(s) scheduled")
    again = roadmap.repeats.sentence()
    return lines + ([again] if again else [])
