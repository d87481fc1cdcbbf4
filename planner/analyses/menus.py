"""Choice menus: for each person, other placements that keep the plan near its optimum.

Autonomy includes a real choice of role (docs/scoring.md). The optimum gives each person one
placement; a menu offers up to `per_person` others that cost the organisation at most
`within` (a share) of the optimum's objective, so HR can offer a choice that is known to
be affordable.

How: take the person's `shortlist` best other placements by their individual fit +
autonomy, and prove each one by finding a whole plan with it pinned (x = 1) whose objective
is at least (1 - within) × optimum. Any such plan proves the alternative: its cost, the
optimum minus that objective, is an upper bound of the true cost.

1. **Nearby.** Most alternatives are proven by a small re-solve: the whole model with every
   decision held at the optimum's value except those near the move (`Neighbourhood`): the
   person's own, every placement and position to recruit for in their current and their
   new service and, when the move changes how many supervisors a region needs (it crosses
   regions, or enters or leaves a supervisor role), the supervision of those regions.
   Without that, nearly every move into or out of a supervisor role would need the whole
   model. The helper variables stay free, so every global rule (budget, supervision, lone
   peers, saliency tiers) still holds. On the samples this takes milliseconds per
   alternative; status "feasible: nearby placements re-solved".
2. **Whole model.** An alternative whose nearby re-solve finds no plan, or none within
   reach (other services' people would have to move), is re-solved on the whole model
   (unpruned), warm-started from the plan found nearby, or else from the optimum with the
   person moved; status "optimal", or "feasible" (an upper bound) when the work limit
   stopped it first. If these re-solves are estimated not to fit what is left of
   `time_budget`, they are skipped and those alternatives are not offered (the reason says
   how many).

Every re-solve runs on one CP-SAT worker and stops at a deterministic work limit (the
time limit only guards a deadline), so the same organisation and seed give the same
menus, however many processes share the work.

When the nearby re-solves alone, timed on a few alternatives in this process and spread
over the worker processes, would take longer than `time_budget`, the menu instead ranks
each person's other placements by individual fit + autonomy alone, labelled "ranked by
individual fit, not re-optimised", and no cost is claimed.

Menus hold individual data (placements, fit and autonomy derived from readiness): they
are for HR only, like the HR report.

    menus = choice_menus(org, within=0.02)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from planner.analyses.pins import Neighbourhood, PinOutcome, solve_pin
from planner.analyses.workers import Workers
from planner.core.domain import PSW, Org
from planner.core.errors import UsageError
from planner.core.results import Plan
from planner.solve.assemble import content_sha256
from planner.solve.candidates import Candidate
from planner.solve.model import (
    BuiltModel,
    build_model,
)
from planner.solve.planning import plan as plan_org
from planner.solve.solver import SolveLimits
from planner.solve.values import PlacementKey, PlanValues

DEFAULT_WITHIN = 0.02
DEFAULT_PER_PERSON = 3
DEFAULT_TIME_BUDGET = 120.0
SHORTLIST = 5
# CP-SAT's deterministic work per re-solve (about a second of work each on the benchmark
# machine). A nearby re-solve mostly ends, proven, after a few milliseconds; a whole-model
# one mostly reaches the limit. The wall-clock limits only guard a deadline: they are far
# above what the work takes, so the work limit, the same on every run, is what stops.
NEARBY_WORK = 1.0
WHOLE_WORK = 2.0
NEARBY_GUARD_SECONDS = 30.0
WHOLE_GUARD_SECONDS = 60.0
# Seconds a unit of that work takes on a whole model, measured on the benchmark machine
# (2 cores, bench/menus.py), for the estimate of the whole-model re-solves
SECONDS_PER_WORK = 1.5
PROBE_PINS = 5  # nearby re-solves timed in this process to estimate the rest
CHUNKS_PER_JOB = 4  # tasks per worker process: each builds the model once, and they balance
REOPTIMISED = "re-optimised with the placement pinned"
RANKED = "ranked by individual fit, not re-optimised"


@dataclass(frozen=True)
class Alternative:
    """One other placement for a person and what it costs the organisation.

    `cost_points` is the optimum's objective minus the best plan found with this
    placement pinned (an upper bound unless `status` is "optimal": a nearby re-solve
    holds most people where they are); `others_moved` counts the other people whose
    placement differs from the optimum in that plan. All three are None when the menu is
    ranked, not re-optimised.
    """

    role_id: str
    role_title: str
    service_id: str
    service_name: str
    fte: float
    fit: float
    autonomy: float
    objective: float | None
    cost_points: float | None
    cost_share: float | None
    others_moved: int | None
    status: str


@dataclass(frozen=True)
class Menu:
    """One person's menu: their placements in the plan and the alternatives offered."""

    psw_id: str
    name: str
    placed: tuple[tuple[str, str], ...]  # (role_id, service_id) in the plan
    placed_label: str  # "Peer navigator at Ashby House: Crisis team", or "not placed"
    alternatives: tuple[Alternative, ...]
    note: str = ""


@dataclass(frozen=True)
class Menus:
    """Every person's menu, how the menus were made, and why that way.

    The counts say how the alternatives were re-solved: `pinned` in all, `proven_nearby`
    by the nearby re-solve, `whole_model` re-solved on the whole model because the nearby
    one fell short, `whole_skipped` of those left out because the whole-model re-solves
    would not fit the time budget (all 0 when the menus are ranked).
    """

    method: str  # REOPTIMISED or RANKED
    reason: str
    within: float
    per_person: int
    optimum: float | None
    estimate_seconds: float
    time_budget: float
    menus: tuple[Menu, ...]
    source: str = ""
    pinned: int = 0
    proven_nearby: int = 0
    whole_model: int = 0
    whole_skipped: int = 0


@dataclass(frozen=True)
class PinTask:
    """Placements to re-solve in a worker, one pinned at a time: the optimum to start
    from and compare with, the objective a plan must reach (`least`), the solver's limits
    and, for a whole-model re-solve, the nearby plan found to start from."""

    org: Org
    optimum: PlanValues
    pins: tuple[PlacementKey, ...]
    limits: SolveLimits
    least: float
    starts: dict[PlacementKey, PlanValues] = field(default_factory=dict)


@dataclass(frozen=True)
class Pinned:
    """Outcomes of the re-solves (by placement), how many were proven nearby, re-solved
    on the whole model or left out for the time budget, and the seconds estimated."""

    outcomes: dict[PlacementKey, PinOutcome]
    proven_nearby: int
    whole_model: int
    whole_skipped: int
    estimate: float


def choice_menus(org: Org, plan: Plan | None = None, *, within: float = DEFAULT_WITHIN,
                 per_person: int = DEFAULT_PER_PERSON,
                 time_budget: float = DEFAULT_TIME_BUDGET, jobs: int | None = None,
                 shortlist: int = SHORTLIST) -> Menus:
    """Up to `per_person` alternatives per person within `within` of the optimum.

    `plan` is the optimum (planned here when not given); `time_budget` the seconds the
    re-solves may take in all, checked against estimates before they start (see the module
    docstring).
    """
    _check(org, plan, within)
    started = time.perf_counter()
    built = build_model(org)
    build_seconds = time.perf_counter() - started
    if plan is None:
        plan = plan_org(org)
    lists = shortlists(built, plan, shortlist)
    workers = Workers(jobs)
    pins = sum(map(len, lists.values()))
    common = {"within": within, "per_person": per_person, "optimum": plan.objective,
              "time_budget": time_budget, "source": org.source}
    if plan.kpis is None or plan.objective is None:
        return Menus(RANKED, "no plan satisfies the rules, so there is no optimum to stay near",
                     menus=_ranked(org, plan, lists, per_person), estimate_seconds=0.0,
                     **common)
    resolve_started = time.perf_counter()
    estimate = _nearby_estimate(built, plan, lists, workers.jobs, build_seconds)
    if estimate > time_budget:
        return Menus(RANKED, _too_long(pins, estimate, time_budget),
                     menus=_ranked(org, plan, lists, per_person),
                     estimate_seconds=round(estimate, 1), **common)
    with workers:
        pinned = _pin_all(org, plan, lists, workers, within,
                          time_budget - (time.perf_counter() - resolve_started),
                          estimate, build_seconds)
    menus = _reoptimised(org, plan, lists, pinned.outcomes, within, per_person)
    return Menus(REOPTIMISED, _reason(shortlist, pins, pinned, time_budget), menus=menus,
                 estimate_seconds=round(pinned.estimate, 1), pinned=pins,
                 proven_nearby=pinned.proven_nearby, whole_model=pinned.whole_model,
                 whole_skipped=pinned.whole_skipped, **common)


def _check(org: Org, plan: Plan | None, within: float) -> None:
    if not 0 <= within < 1:
        raise UsageError(f"within must be a share from 0 to 1 (0.02 for 2 %), got {within}")
    if plan is not None and plan.input_sha256 != (org.input_sha256 or content_sha256(org)):
        raise UsageError("the plan was made from another input than this organisation")


def _too_long(pins: int, estimate: float, time_budget: float) -> str:
    return (f"re-solving {pins} pinned placements, even each one near the person's own "
            f"services only, would take about {estimate:,.0f} s, more than the time budget "
            f"of {time_budget:,.0f} s")


def _reason(shortlist: int, pins: int, pinned: Pinned, time_budget: float) -> str:
    reason = (f"each person's {shortlist} best other placements were re-solved: "
              f"{pinned.proven_nearby} of {pins} proven nearby (their services re-solved, "
              f"everyone else held), {pinned.whole_model} on the whole model")
    if pinned.whole_skipped:
        reason += (f"; {pinned.whole_skipped} more, not proven nearby, would need the whole "
                   f"model beyond the time budget and are not offered")
    return reason + (f" (about {pinned.estimate:,.0f} s estimated, within the "
                     f"{time_budget:,.0f} s budget)")


def _nearby_estimate(built: BuiltModel, plan: Plan, lists: dict[str, list[Candidate]],
                     jobs: int, build_seconds: float) -> float:
    """Seconds the nearby re-solves will take: a few of them, spread over the list, timed
    here (the model held at the optimum is set up once per task, like the model's build),
    the rest spread over `jobs` worker processes."""
    keys = _keys(lists)
    if not keys:
        return 0.0
    started = time.perf_counter()
    nearby = Neighbourhood(built, PlanValues.of_plan(plan))
    setup = build_seconds + time.perf_counter() - started
    limits = _nearby_limits(built.org)
    started = time.perf_counter()
    probed = keys[::math.ceil(len(keys) / PROBE_PINS)]
    for key in probed:
        nearby.solve(key, limits)
    per_pin = (time.perf_counter() - started) / len(probed)
    tasks = len(_chunks(keys, jobs))
    return math.ceil(tasks / jobs) * setup + math.ceil(len(keys) / jobs) * per_pin


def _nearby_limits(org: Org) -> SolveLimits:
    return SolveLimits(time_limit=NEARBY_GUARD_SECONDS, seed=org.policy.seed,
                       work_limit=NEARBY_WORK, greedy_fallback=False)


def _whole_limits(org: Org) -> SolveLimits:
    return SolveLimits(time_limit=WHOLE_GUARD_SECONDS, seed=org.policy.seed,
                       work_limit=WHOLE_WORK, greedy_fallback=False)


def _pin_all(org: Org, plan: Plan, lists: dict[str, list[Candidate]], workers: Workers,
             within: float, budget_left: float, estimate: float,
             build_seconds: float) -> Pinned:
    """Every shortlisted placement re-solved nearby, then those that fell short on the
    whole model, if that fits what is left of the time budget."""
    assert plan.objective is not None
    least = plan.objective - within * abs(plan.objective)
    optimum = PlanValues.of_plan(plan)
    started = time.perf_counter()
    outcomes = _run(workers, solve_nearby, _tasks(org, optimum, _chunks(_keys(lists), workers.jobs),
                                                  _nearby_limits(org), least))
    short = [key for key in _keys(lists) if not _within(outcomes[key], least)]
    count, proven = len(short), len(outcomes) - len(short)
    if not count:
        return Pinned(outcomes, proven, 0, 0, estimate)
    chunks = _chunks(short, workers.jobs)
    whole_estimate = (math.ceil(len(chunks) / workers.jobs) * build_seconds
                      + math.ceil(count / workers.jobs) * WHOLE_WORK * SECONDS_PER_WORK)
    if time.perf_counter() - started + whole_estimate > budget_left:
        return Pinned(outcomes, proven, 0, count, estimate)
    starts = {key: o.start for key, o in outcomes.items() if o.start is not None}
    outcomes |= _run(workers, solve_pinned_whole, _tasks(org, optimum, chunks, _whole_limits(org),
                                                  least, starts))
    return Pinned(outcomes, proven, count, 0, estimate + whole_estimate)


def _within(outcome: PinOutcome, least: float) -> bool:
    return outcome.objective is not None and outcome.objective >= least - 1e-6


def _tasks(org: Org, optimum: PlanValues, chunks: list[tuple[PlacementKey, ...]],
           limits: SolveLimits, least: float,
           starts: dict[PlacementKey, PlanValues] | None = None) -> dict[str, PinTask]:
    starts = starts or {}
    return {f"chunk {n}": PinTask(org, optimum, pins, limits, least,
                                  {key: starts[key] for key in pins if key in starts})
            for n, pins in enumerate(chunks)}


def _run(workers: Workers, work: Callable[[PinTask], tuple[PinOutcome, ...]],
         tasks: dict[str, PinTask]) -> dict[PlacementKey, PinOutcome]:
    """`work` on every task in the worker processes; the outcomes by placement."""
    done = workers.map(work, tasks)
    return {outcome.key: outcome for name in tasks for outcome in done[name]}


def _keys(lists: dict[str, list[Candidate]]) -> list[PlacementKey]:
    """Every shortlisted placement, by person's id, then as shortlisted."""
    return [c.key for pid in sorted(lists) for c in lists[pid]]


def _chunks(keys: list[PlacementKey], jobs: int) -> list[tuple[PlacementKey, ...]]:
    """The placements to re-solve in `CHUNKS_PER_JOB` tasks per process (one in all for
    one process), dealt round so the tasks take about as long. Each task builds the model
    once; how the work is cut never changes an outcome."""
    count = min(len(keys), 1 if jobs <= 1 else jobs * CHUNKS_PER_JOB)
    return [tuple(keys[n::count]) for n in range(count)]


def shortlists(built: BuiltModel, plan: Plan, size: int) -> dict[str, list[Candidate]]:
    """psw_id -> their `size` best placements other than the plan's, by individual
    fit + autonomy. Locked people keep their placement: their list is empty."""
    placed = PlanValues.of_plan(plan).placements
    found: dict[str, list[Candidate]] = {p.psw_id: [] for p in built.org.psws}
    for cand in built.candidates:
        if cand.key not in placed and not cand.psw.lock and not cand.warnings:
            found[cand.psw.psw_id].append(cand)
    return {pid: sorted(cands, key=_individual_order)[:size] for pid, cands in found.items()}


def _individual_order(cand: Candidate) -> tuple[float, str, str]:
    return (-(cand.score.fit + cand.score.autonomy), cand.role.role_id, cand.service.service_id)


def solve_nearby(task: PinTask) -> tuple[PinOutcome, ...]:
    """Re-solve each pinned placement near the move (in a worker process): one model
    build and one model held at the optimum for the whole task."""
    nearby = Neighbourhood(build_model(task.org), task.optimum)
    outcomes = (nearby.solve(key, task.limits) for key in task.pins)
    # a plan within reach needs no second re-solve: it need not travel back
    return tuple(replace(o, start=None) if _within(o, task.least) else o for o in outcomes)


def solve_pinned_whole(task: PinTask) -> tuple[PinOutcome, ...]:
    """Re-solve each pinned placement on the whole model (in a worker process): one model
    build, a copy per pin, the plan found nearby (or the optimum with the person moved)
    as the hint."""
    built = build_model(task.org)
    return tuple(solve_pin(built, built.candidate_index[key], task.optimum, task.limits,
                            task.starts.get(key)) for key in task.pins)


def _reoptimised(org: Org, plan: Plan, lists: dict[str, list[Candidate]],
                 outcomes: dict[PlacementKey, PinOutcome], within: float,
                 per_person: int) -> tuple[Menu, ...]:
    assert plan.objective is not None
    optimum = plan.objective
    least = optimum - within * abs(optimum)
    menus = []
    for psw in sorted(org.psws, key=lambda p: p.psw_id):
        cands = {c.key: c for c in lists.get(psw.psw_id, [])}
        kept = [(outcomes[key], cand) for key, cand in cands.items()
                if key in outcomes and _within(outcomes[key], least)]
        kept.sort(key=lambda pair: (-(pair[0].objective or 0.0), _individual_order(pair[1])))
        alternatives = tuple(_alternative(c, o, optimum) for o, c in kept[:per_person])
        note = _note(psw, cands, alternatives, f"within {within:.0%} of the optimum")
        menus.append(_menu(org, plan, psw, alternatives, note))
    return tuple(menus)


def _ranked(org: Org, plan: Plan, lists: dict[str, list[Candidate]],
            per_person: int) -> tuple[Menu, ...]:
    menus = []
    for psw in sorted(org.psws, key=lambda p: p.psw_id):
        cands = lists.get(psw.psw_id, [])
        alternatives = tuple(_alternative(c, None, None) for c in cands[:per_person])
        note = _note(psw, {c.key: c for c in cands}, alternatives, "")
        menus.append(_menu(org, plan, psw, alternatives, note))
    return tuple(menus)


def _alternative(cand: Candidate, outcome: PinOutcome | None,
                 optimum: float | None) -> Alternative:
    cost = None
    if outcome is not None and outcome.objective is not None and optimum is not None:
        cost = round(max(0.0, optimum - outcome.objective), 2)
    return Alternative(
        role_id=cand.role.role_id, role_title=cand.role.title,
        service_id=cand.service.service_id, service_name=cand.service.name,
        fte=cand.fte, fit=cand.score.fit, autonomy=cand.score.autonomy,
        objective=outcome.objective if outcome else None, cost_points=cost,
        cost_share=round(cost / abs(optimum), 4) if cost is not None and optimum else None,
        others_moved=outcome.others_moved if outcome else None,
        status=outcome.status if outcome else "ranked",
    )


def _note(psw: PSW, cands: dict[PlacementKey, Candidate], alternatives: tuple[Alternative, ...],
          reach: str) -> str:
    if psw.lock:
        return "locked: keeps the current placement"
    if not cands:
        return "no other placement is open to this person"
    if not alternatives:
        return f"none of their {len(cands)} best other placements is {reach}"
    return ""


def _menu(org: Org, plan: Plan, psw: PSW, alternatives: tuple[Alternative, ...],
          note: str) -> Menu:
    placed = tuple((a.role_id, a.service_id) for a in plan.assignments if a.psw_id == psw.psw_id)
    labels = [f"{org.roles_by_id[r].title} at {org.services_by_id[s].name or s}"
              for r, s in placed]
    return Menu(psw.psw_id, psw.name, placed, "; ".join(labels) or "not placed",
                alternatives, note)
