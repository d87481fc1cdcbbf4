"""Choice menus: for each person, other placements that keep the plan near its optimum.

Autonomy includes a real choice of role (docs/scoring.md). The optimum gives each person one
placement; a menu offers up to `per_person` others that cost the organisation at most
`within` (a share) of the optimum's objective, so HR can offer a choice that is known to
be affordable.

How: take the person's `shortlist` best other placements by their individual fit +
autonomy; re-solve the whole model with each one pinned (x = 1), warm-started from the
optimum with the person moved there, within a short time limit; keep those whose
objective is at least (1 - within) × optimum, cheapest first. A pinned solve stopped at
its time limit gives a plan that is feasible, so its cost is an upper bound: such an
alternative is kept only when even that bound is within reach.

When people × shortlist × seconds per solve (the optimum's own solve time), spread over
the worker processes, exceeds `time_budget`, the re-solves would take too long: the menu
then ranks each person's other placements by individual fit + autonomy alone, labelled
"ranked by individual fit, not re-optimised", and no cost is claimed.

Menus hold individual data (placements, fit and autonomy derived from readiness): they
are for HR only, like the HR report.

    menus = choice_menus(org, within=0.02)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from planner.analyses.workers import Workers
from planner.core.domain import PSW, Org
from planner.core.errors import UsageError
from planner.core.results import Plan
from planner.solve.assemble import content_sha256
from planner.solve.candidates import Candidate
from planner.solve.model import BuiltModel, build_model, maximise_keeping, objective_points
from planner.solve.planning import plan as plan_org
from planner.solve.solver import SolveLimits, add_hints, solve
from planner.solve.values import PlacementKey, PlanValues

DEFAULT_WITHIN = 0.02
DEFAULT_PER_PERSON = 3
DEFAULT_TIME_BUDGET = 120.0
SHORTLIST = 5
MIN_PIN_SECONDS = 1.0
# A pinned solve (with the fewest-moves tie-break) takes about 1.2x the optimum's own
# solve on the sample regional service; the estimate allows a little more.
PIN_SOLVE_FACTOR = 1.25
REOPTIMISED = "re-optimised with the placement pinned"
RANKED = "ranked by individual fit, not re-optimised"


@dataclass(frozen=True)
class Alternative:
    """One other placement for a person and what it costs the organisation.

    `cost_points` is the optimum's objective minus the best plan found with this
    placement pinned (an upper bound when `status` is "feasible"); `others_moved` counts
    the other people whose placement differs from the optimum in that plan. All three are
    None when the menu is ranked, not re-optimised.
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
    """Every person's menu, how the menus were made, and why that way."""

    method: str  # REOPTIMISED or RANKED
    reason: str
    within: float
    per_person: int
    optimum: float | None
    estimate_seconds: float
    time_budget: float
    menus: tuple[Menu, ...]
    source: str = ""


@dataclass(frozen=True)
class PinTask:
    """One person's shortlist to re-solve in a worker: the optimum to start from and
    compare with, the placements to pin one at a time, and the solver's limits."""

    org: Org
    psw_id: str
    optimum: PlanValues
    pins: tuple[PlacementKey, ...]
    limits: SolveLimits


@dataclass(frozen=True)
class PinOutcome:
    key: PlacementKey
    status: str
    objective: float | None
    others_moved: int


def choice_menus(org: Org, plan: Plan | None = None, *, within: float = DEFAULT_WITHIN,
                 per_person: int = DEFAULT_PER_PERSON,
                 time_budget: float = DEFAULT_TIME_BUDGET, jobs: int | None = None,
                 shortlist: int = SHORTLIST) -> Menus:
    """Up to `per_person` alternatives per person within `within` of the optimum.

    `plan` is the optimum (planned here when not given); `time_budget` the seconds the
    re-solves may take in all, estimated before they start (see the module docstring).
    """
    _check(org, plan, within)
    started = time.perf_counter()
    built = build_model(org)
    build_seconds = time.perf_counter() - started
    if plan is None:
        plan = plan_org(org)
    lists = shortlists(built, plan, shortlist)
    workers = Workers(jobs)
    solves = sum(map(len, lists.values()))
    per_solve = PIN_SOLVE_FACTOR * plan.solve_seconds + build_seconds
    estimate = math.ceil(solves / workers.jobs) * per_solve
    common = {"within": within, "per_person": per_person, "optimum": plan.objective,
              "estimate_seconds": round(estimate, 1), "time_budget": time_budget,
              "source": org.source}
    too_long = _why_not_reoptimised(plan, solves, estimate, time_budget)
    if too_long:
        return Menus(RANKED, too_long, menus=_ranked(org, plan, lists, per_person), **common)
    limits = SolveLimits(time_limit=min(time_budget, max(MIN_PIN_SECONDS, 3 * per_solve)),
                         seed=org.policy.seed, greedy_fallback=False)
    with workers:
        outcomes = workers.map(solve_pins, _tasks(org, plan, lists, limits))
    reason = (f"each person's {shortlist} best other placements were re-solved "
              f"(about {estimate:,.0f} s estimated, within the {time_budget:,.0f} s budget)")
    menus = _reoptimised(org, plan, lists, outcomes, within, per_person)
    return Menus(REOPTIMISED, reason, menus=menus, **common)


def _check(org: Org, plan: Plan | None, within: float) -> None:
    if not 0 <= within < 1:
        raise UsageError(f"within must be a share from 0 to 1 (0.02 for 2 %), got {within}")
    if plan is not None and plan.input_sha256 != (org.input_sha256 or content_sha256(org)):
        raise UsageError("the plan was made from another input than this organisation")


def _why_not_reoptimised(plan: Plan, solves: int, estimate: float,
                         time_budget: float) -> str | None:
    if plan.kpis is None or plan.objective is None:
        return "no plan satisfies the rules, so there is no optimum to stay near"
    if estimate > time_budget:
        return (f"re-solving {solves} pinned placements would take about {estimate:,.0f} s, "
                f"more than the time budget of {time_budget:,.0f} s")
    return None


def _tasks(org: Org, plan: Plan, lists: dict[str, list[Candidate]],
           limits: SolveLimits) -> dict[str, PinTask]:
    optimum = PlanValues.of_plan(plan)
    return {pid: PinTask(org, pid, optimum, tuple(c.key for c in cands), limits)
            for pid, cands in lists.items() if cands}


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


def solve_pins(task: PinTask) -> tuple[PinOutcome, ...]:
    """Re-solve the model once per pinned placement (in a worker process): one model
    build, a copy per pin, the optimum (with the person moved) as the hint."""
    built = build_model(task.org)
    return tuple(_solve_pin(built, built.candidate_index[key], task) for key in task.pins)


def _solve_pin(built: BuiltModel, i: int, task: PinTask) -> PinOutcome:
    """The best plan with placement `i` pinned; among equally good plans, the one that
    moves the fewest other people (each kept placement adds less than any objective step,
    so the tie-break never trades objective)."""
    model = built.model.clone()
    on = model.get_int_var_from_proto_index
    model.add(on(built.x[i].index) == 1)
    optimum = task.optimum.placements
    kept = [on(built.x[j].index) for j, c in enumerate(built.candidates)
            if c.key in optimum and c.key[0] != task.psw_id]
    maximise_keeping(model, [(on(var.index), coef) for var, coef in built.objective_terms], kept)
    moved = frozenset({k for k in optimum if k[0] != task.psw_id} | {built.candidates[i].key})
    add_hints(model, PlanValues(moved, task.optimum.positions).variables(built))
    result = solve(replace(built, model=model), task.limits)
    found = result.values.variables(built)
    objective = (round(objective_points(built.objective_terms, found), 2)
                 if result.objective is not None else None)
    return PinOutcome(built.candidates[i].key, result.status.value, objective,
                      _others_moved(optimum, result.values.placements, task.psw_id))


def _others_moved(before: frozenset[PlacementKey], after: frozenset[PlacementKey],
                  psw_id: str) -> int:
    """People other than `psw_id` whose placements differ between the two plans."""
    changed = {key[0] for key in before.symmetric_difference(after)}
    return len(changed - {psw_id})


def _reoptimised(org: Org, plan: Plan, lists: dict[str, list[Candidate]],
                 outcomes: dict[str, tuple[PinOutcome, ...]], within: float,
                 per_person: int) -> tuple[Menu, ...]:
    assert plan.objective is not None
    optimum = plan.objective
    least = optimum - within * abs(optimum)
    menus = []
    for psw in sorted(org.psws, key=lambda p: p.psw_id):
        cands = {c.key: c for c in lists.get(psw.psw_id, [])}
        kept = [(o, cands[o.key]) for o in outcomes.get(psw.psw_id, ())
                if o.objective is not None and o.objective >= least - 1e-6]
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
