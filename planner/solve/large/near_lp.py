"""The joined block plan re-solved whole, on the placements near the LP's own solution.

The blocks see one block at a time and the merges two; the polish re-solves a few
services at a time. None sees the whole organisation at once, and the LP relaxation does:
on the suite's organisations it places each person in one or two services (fractions on
a few hundred people only), and its objective is 0.5 to 2.5 % above the joined plan's.

So the whole organisation is solved once more, on a model of only the placements that
matter to it (`build_model(placements=...)`, every rule of the whole model):

- the joined plan's own placements, so the plan is a plan of this model;
- every placement the LP gives a value (its support), so the LP's picture can be taken
  whole where the plan strays from it;
- each person's placements with the highest reduced costs at the LP's duals (the best
  by the LP's own prices, the first most often already in the support), a way out for
  people the LP splits, and room for the search where the plan and the LP disagree: as
  many as keep the model to about 12,000 placements, from eight a person up to 1,500
  PSWs to two above 4,000 (`width_for`).

That is 8,000 placements at 1,000 PSWs and about 12,000 from 2,000 PSWs on, where the
whole model holds a hundred or more a person. Its positions to recruit for are likewise only the
plan's and those the LP recruits for (400 at 5,000 PSWs, of 4,400): with all of them
CP-SAT's root LP took the search's whole work at 5,000 PSWs and found nothing.

Where the plan and the LP agree, a placement the LP makes whole (value 1) that the plan
holds too, it is held: the search is over the people they disagree on (as in RINS, the
relaxation induced neighbourhood search of MIP solvers). Without that, at 5,000 PSWs
CP-SAT spent its work on the root LP's cuts and found no plan on two organisations of
three; with it, it found one on all three.

CP-SAT (one worker, presolve on, stopped by its deterministic work, so the plan is the
same every run) searches it without a hint: following the joined plan as a hint, one
variable at a time with the LP at every step, took 14 s at 5,000 PSWs before the search
proper began, and the search found better plans without it. The joined plan is kept when
the search finds nothing better. It proves nothing of the whole model: the bound stays
the LP's.

The whole model's plan too (`near_the_lp_of_the_whole`): CP-SAT's one worker searches the
whole model by branching, with no search of a neighbourhood, and in the last seconds of
the minute it seldom finds more. A tenth of its time goes to two searches near the LP
from its plan (or the side child's, when better): each person's two best placements,
then eight (then the polish takes the rest: `planning`). From the plans of a 53-s run
of five organisations of the suite's shapes, each found a better plan, in 0.1 to 4 s;
against CP-SAT's whole time, the plan was better on eight organisations of eleven, the
same on two, worse on one (bench/README.md).

HiGHS searches near the LP too (`highs_near_the_lp`), for the block plan's polish on the
clock: wider (each person's 24 best placements) and with nothing held, since HiGHS's own
LP-guided heuristics choose where to look. From a plan of S08's shape that CP-SAT's parts
and its search here could no longer improve, it found 112 points in 13.5 s
(bench/README.md).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from planner.core.domain import Org
from planner.core.results import Status
from planner.solve.candidates import Candidate, make_candidate
from planner.solve.highs import solve_with_highs
from planner.solve.large.lp_bound import (
    Relaxation,
    RelaxationInfeasible,
    best_per_person,
    lp_bound,
    reduced_costs,
)
from planner.solve.large.work import WorkBudget
from planner.solve.model import BuiltModel, build_model, vacancy_options
from planner.solve.solver import (
    CLOCK_CUTS,
    SolveLimits,
    SolveResult,
    against_bound,
    scores_more,
    solve,
)
from planner.solve.values import PlacementKey, PositionKey

SUPPORT = 1e-6  # an LP value above this puts a placement in the LP's solution
FOUND = "found_near_the_lp"  # model_stats key: 1 when the plan came from this search
# CP-SAT's deterministic time per second on these models (presolved, 1,500 to 7,700
# placements, the bench machine, 2026-12-06): 0.2 to 0.48 a search (0.2 to 0.35 at 5,000
# PSWs); at the lowest, 5,000 PSWs would not get the work its first plan takes (2 to 3
# units), so a little above; the clock stops it at twice its seconds
NEAR_LP_WORK_PER_SECOND = 0.3
MIN_SECONDS = 1.0  # less time or work than this left (in seconds): no search
# each person's placements with the highest reduced costs added, at the least: with 2
# (12,000 placements at 5,000 PSWs) in place of 1, 13 organisations of five suite shapes
# gave a better plan on 12 (2026-12-06, bench/README.md)
BEST_PER_PERSON = 2
# and at the most: eight a person (8,000 placements at 1,000 PSWs, 16,000 at 2,000) was
# 0.04 to 0.17 points of gap better than two on four organisations of 1,000 and 2,000
# PSWs; at 5,000 PSWs four (21,000 placements) found no plan in its work. So each
# organisation gets the widest that keeps the model to about NEAR_PLACEMENTS
WIDEST = 8
NEAR_PLACEMENTS = 12_000
# the whole model's plan: the share of the time kept from CP-SAT for the searches near the
# LP, and their widths (each person's best placements by reduced cost), narrow first
WHOLE_SHARE = 0.1
WHOLE_WIDTHS = (BEST_PER_PERSON, WIDEST)
# HiGHS's search near the LP (`highs_near_the_lp`): each person's best placements (from a
# polished plan of S08's shape, 20 s: 8 a person found 68 points, 24 a person 112), and
# the least time worth starting it with: its first better plans came 7 to 13 s in, after
# its root LP, on 15,000 to 23,000 placements; with 10 to 15 s (S07's shape, in the time
# the blocks leave) the final plans came out 23 points lower to 10 higher (median 0.6
# lower) on eight organisations, with 19 to 26 s (S08's shape) 57 lower to 145 higher
# (median 100 higher) on six (the bench machine, 2026-12-07, bench/README.md)
HIGHS_WIDTH = 24
HIGHS_MIN_SECONDS = 15.0


@dataclass(frozen=True)
class NearLp:
    """The plan after the search near the LP, and the model it is a plan of."""

    result: SolveResult
    built: BuiltModel | None  # None: no search ran (no LP solution, no time or no work)


def near_the_lp(org: Org, relaxation: Relaxation | None, plan: SolveResult,
                known: Mapping[PlacementKey, Candidate], work: WorkBudget, deadline: float,
                seed: int, allowed: Mapping[PlacementKey, Candidate] | None = None,
                most: int = BEST_PER_PERSON) -> NearLp:
    """`plan` (a plan of canonical `org` against the LP bound), or a better one found on
    the model of its placements and the placements near the LP's solution, within `work`
    (counted at NEAR_LP_WORK_PER_SECOND, spent off it) and `deadline` (perf_counter).
    `known` holds at least the plan's placements; with `allowed` (the whole model's,
    dominated ones left out), only placements in it are added, so the plan stays a plan
    of the whole model. `most`: each person's best placements added."""
    seconds = deadline - time.perf_counter()
    budget = work.at_rate(NEAR_LP_WORK_PER_SECOND)
    if (relaxation is None or plan.objective is None
            or budget.left / NEAR_LP_WORK_PER_SECOND < MIN_SECONDS):
        return NearLp(plan, None)
    if seconds < MIN_SECONDS:
        CLOCK_CUTS.add()
        return NearLp(plan, None)
    built = build_model(org, placements=placements_near(org, relaxation, plan, known, allowed,
                                                        most),
                        positions=positions_near(org, relaxation, plan))
    index = built.candidate_index
    for key in settled(org, relaxation, plan):
        built.model.add(built.x[index[key]] == 1)
    # stopped by its work; by the clock only when the run has fallen behind (at twice the
    # seconds its work is counted at, or the deadline)
    limits = SolveLimits(time_limit=min(seconds, 2 * budget.left / NEAR_LP_WORK_PER_SECOND),
                         seed=seed, work_limit=budget.left, greedy_fallback=False)
    found = solve(built, limits)
    work.spend_at_rate(found.work, NEAR_LP_WORK_PER_SECOND)
    if not scores_more(found, plan):
        return NearLp(plan, built)
    return NearLp(against_bound(found.objective, plan.bound, plan.seconds + found.seconds,
                                found.values), built)


def width_for(people: int) -> int:
    """Each person's best placements to add for an organisation of `people`: the most,
    up to WIDEST, that keeps the model to about NEAR_PLACEMENTS, at least BEST_PER_PERSON."""
    return max(BEST_PER_PERSON, min(WIDEST, NEAR_PLACEMENTS // max(1, people)))


def placements_near(org: Org, relaxation: Relaxation, plan: SolveResult,
                    known: Mapping[PlacementKey, Candidate],
                    allowed: Mapping[PlacementKey, Candidate] | None = None,
                    most: int = BEST_PER_PERSON) -> list[Candidate]:
    """The plan's placements, the LP's support and each person's `most` best placements
    by reduced cost, in the whole model's order (by person, role, service)."""
    chosen: dict[PlacementKey, Candidate] = {key: known[key] for key in plan.values.placements}
    for key in relaxation.cols.keys(org, _near(relaxation, most)):
        if key in chosen:
            continue
        if allowed is None:
            chosen[key] = _candidate(org, key)
        elif key in allowed:
            chosen[key] = allowed[key]
    return [chosen[key] for key in sorted(chosen)]


def positions_near(org: Org, relaxation: Relaxation, plan: SolveResult) -> set[PositionKey]:
    """The (role, service) vacancies the plan recruits for or the LP gives a value."""
    options = [(role.role_id, service.service_id) for role, service, _ in vacancy_options(org)]
    lp = {options[i] for i in np.flatnonzero(relaxation.vacancies > SUPPORT).tolist()}
    return lp | set(plan.values.positions)


def settled(org: Org, relaxation: Relaxation, plan: SolveResult) -> set[PlacementKey]:
    """The plan's placements that the LP makes whole (value 1): held in the search."""
    whole = relaxation.placements[relaxation.values > 1 - SUPPORT]
    return set(relaxation.cols.keys(org, whole)) & set(plan.values.placements)


def _near(relaxation: Relaxation, most: int) -> np.ndarray:
    """Column indices: the LP's support and each person's `most` highest reduced costs."""
    cols = relaxation.cols
    support = relaxation.placements[relaxation.values > SUPPORT]
    reduced = reduced_costs(relaxation.rows, cols, relaxation.duals)
    best = best_per_person(cols, np.arange(len(cols)), reduced, most=most)
    return np.union1d(support, best)


def _candidate(org: Org, key: PlacementKey) -> Candidate:
    psw, role, service = key
    return make_candidate(org.psws_by_id[psw], org.roles_by_id[role],
                          org.services_by_id[service])


def near_the_lp_of_the_whole(org: Org, whole: BuiltModel, plan: SolveResult,
                             deadline: float, seed: int, seconds: float | None = None
                             ) -> SolveResult:
    """`plan` (a plan of `whole`, the whole model of `org`, not proven optimal), or a
    better one found near the LP's solution of canonical `org` by searches of widening
    neighbourhoods (WHOLE_WIDTHS), each from the best so far, sharing the time to
    `deadline` (perf_counter), or with `seconds` the work of as many seconds (the
    deadline then only a guard). The plan's bound stays its own (CP-SAT's, or the side
    child's): the LP's is weaker."""
    if plan.objective is None or plan.status is Status.OPTIMAL:
        return plan
    if deadline - time.perf_counter() < MIN_SECONDS:
        CLOCK_CUTS.add()
        return plan
    try:
        relaxation = lp_bound(org).relaxation
    except RelaxationInfeasible:
        return plan
    known = {c.key: c for c in whole.candidates}
    best = plan
    for k, most in enumerate(WHOLE_WIDTHS):
        share = (deadline - time.perf_counter()) / (len(WHOLE_WIDTHS) - k)
        best = near_the_lp_of(org, relaxation, whole, known, best,
                              share if seconds is None else seconds / len(WHOLE_WIDTHS),
                              deadline, seed, most)
    return best


def near_the_lp_of(org: Org, relaxation: Relaxation, whole: BuiltModel,
                   known: Mapping[PlacementKey, Candidate], plan: SolveResult, seconds: float,
                   deadline: float, seed: int, most: int) -> SolveResult:
    """`plan` (a plan of `whole`, the whole model of `org`, whose placements `known` holds
    by key), or a better plan of `whole` found near the LP's solution in the work of
    `seconds` (each person's `most` best placements), within `deadline` (perf_counter)."""
    found = near_the_lp(org, relaxation, plan, known, WorkBudget.of_seconds(seconds),
                        deadline, seed, known, most).result
    return found if found is not plan and found.values.fits(whole) else plan


def highs_near_the_lp(org: Org, relaxation: Relaxation, whole: BuiltModel, plan: SolveResult,
                      deadline: float, seed: int, most: int = HIGHS_WIDTH) -> SolveResult:
    """`plan` (a plan of `whole`, the whole model of canonical `org`), or a better plan of
    `whole` that HiGHS finds from it on the model of its placements and those near the
    LP's solution (each person's `most` best by reduced cost, nothing held), by
    `deadline` (perf_counter); nothing tried with less than HIGHS_MIN_SECONDS to go. On
    the clock: HiGHS stopped by time gives what it had, so it is for plans that make no
    claim to repeat. The plan's bound stays its own."""
    if plan.objective is None or deadline - time.perf_counter() < HIGHS_MIN_SECONDS:
        return plan
    known = {c.key: c for c in whole.candidates}
    built = build_model(org, placements=placements_near(org, relaxation, plan, known, known,
                                                        most),
                        positions=positions_near(org, relaxation, plan))
    found = solve_with_highs(built, deadline - time.perf_counter(), seed, start=plan.values,
                             above=plan.objective)
    if not scores_more(found, plan) or not found.values.fits(whole):
        return plan
    return against_bound(found.objective or 0.0, plan.bound, plan.seconds + found.seconds,
                         found.values)
