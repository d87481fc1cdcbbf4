"""A plan from the bound's own work, found on the second core (`side_bound`).

Once the Lagrangian bound has converged, its master knows a near-best mix of whole
service plans. This turns it into a plan of the model: the dive fixes most services to
one plan each (`dive`), CP-SAT completes the few left with the rest held, the plan is
searched again near the LP's solution as block plans are (`near_lp`), then improved one
region at a time (`polish`). Each plan found is handed on
(`on_plan`) with its values by ids (`values.PlanValues`), so the planning process can
check it against its own model and keep it when it scores more than its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from planner.core.domain import Org
from planner.solve.large.dive import dive
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.lp_bound import Relaxation
from planner.solve.large.near_lp import near_the_lp_of, width_for
from planner.solve.large.polish import MIN_SECONDS, PartSolver, polish
from planner.solve.large.work import WorkBudget
from planner.solve.model import BuiltModel, build_model
from planner.solve.solver import CLOCK_CUTS, SolveResult
from planner.solve.values import PlanValues

COMPLETE_WORK = 3.0  # CP-SAT's deterministic time for the services the dive leaves
# seconds of work (at most half the time left) for the search near the LP of the completed
# plan: on six organisations of the side child's shapes (600 and 800 PSWs, 2026-12-06) it
# took 2.9 to 6.6 s where it ran; the plans were better on four, the same on one and worse
# on one (the polish had less time); median 0.014 points of gap better (bench/README.md)
NEAR_SECONDS = 8.0
NEAR_AT_LIMIT = 60.0  # the time limit NEAR_SECONDS was measured at (the default minute)


def near_seconds_for(time_limit: float) -> float:
    """The work of the search near the LP when every step is on its work (a reproducible
    child): NEAR_SECONDS at the default minute, its share of a shorter time limit, so
    that the steps before it and the polish after it still fit a short run."""
    return NEAR_SECONDS * min(1.0, time_limit / NEAR_AT_LIMIT)


def search_plan(org: Org, search: ServicePlans, keys: list[tuple[str, str, str]],
                deadline: float, seed: int, on_plan: Callable[[SolveResult], None],
                built: BuiltModel | None = None, relaxation: Relaxation | None = None,
                grow: bool = False, work: WorkBudget | None = None,
                near_seconds: float = NEAR_SECONDS) -> None:
    """Dive, complete, search near the LP (given its `relaxation`) and polish until
    `deadline` (perf_counter), with `grow` in parts growing as they find nothing better
    (`polish`); `keys` are the relaxation's placements (in column order); `built`: the
    org's whole model, if built. Given the polish's `work`, every step stops on its work
    (the search near the LP on that of `near_seconds`), and where the deadline stops one
    first, the clock's cut is counted (`CLOCK_CUTS`): the plan of a reproducible run."""
    built = built or build_model(org, prune=True)
    index = built.candidate_index
    pruned = np.array([key not in index for key in keys], dtype=bool)
    fixed = dive(search, deadline - COMPLETE_WORK, left_out=pruned)
    if work is not None and time.perf_counter() >= deadline - COMPLETE_WORK:
        CLOCK_CUTS.add()  # the dive may have been stopped short
    chosen = {index[keys[c]] for c in fixed.placements().tolist()}
    positions = [0] * len(built.vacancies)  # vacancy columns and slots: one order
    for plan in fixed.plans.values():
        for column, count in plan.vacancies.items():
            positions[column] = count
    free = {s.service_id for k, s in enumerate(org.services) if k not in fixed.plans}
    left = deadline - time.perf_counter()
    if left < MIN_SECONDS:
        if work is not None:
            CLOCK_CUTS.add()
        return
    partial = PlanValues.of_model(built, chosen, positions)
    solver = PartSolver(built)  # the model's rows read once, for both
    found = _completed(org, solver, partial, free, deadline, seed, on_work=work is not None)
    if found is None:
        return
    on_plan(found)
    best = _near_the_lp(org, relaxation, built, found, deadline, seed,
                        near_seconds if work is not None else None)
    if best is not found:
        on_plan(best)
    polish(solver, best, deadline, seed, on_plan, work, grow=grow, shuffle=grow)


def _completed(org: Org, solver: PartSolver, partial: PlanValues, free: set[str],
               deadline: float, seed: int, on_work: bool = False) -> SolveResult | None:
    """The dive's plan completed over the `free` services, the rest held, in the work of
    COMPLETE_WORK (by `deadline`, perf_counter, a guard); None when no plan is found.
    Where the dive fixed every service of a region, a rule over the region's services
    (supervision: its supervisors are at least and at most what its placed PSWs need;
    a region's own budget) may be left unmet with nothing free to meet it, and the
    completion finds no plan: those regions are then freed whole and it tries again
    (bench/README.md: on 18 organisations of six suite shapes, 7 completions failed, 5
    of them for this). `on_work`: a retry the clock leaves no time for is counted as
    its cut."""
    found = solver.solve(partial, free, COMPLETE_WORK, deadline - time.perf_counter(), seed)
    if found is not None:
        return found
    open_regions = {s.region for s in org.services if s.service_id in free}
    wider = free | {s.service_id for s in org.services if s.region not in open_regions}
    if wider == free:
        return None
    left = deadline - time.perf_counter()
    if left < MIN_SECONDS:
        if on_work:
            CLOCK_CUTS.add()
        return None
    return solver.solve(partial, wider, COMPLETE_WORK, left, seed)


def _near_the_lp(org: Org, relaxation: Relaxation | None, built: BuiltModel,
                 plan: SolveResult, deadline: float, seed: int,
                 work_seconds: float | None = None) -> SolveResult:
    """`plan` (of `built`), or a better plan of `built` found near the LP's solution in the
    work of NEAR_SECONDS, at most half the time to `deadline` (with `work_seconds`: in the
    work of those, the deadline a guard): the completed plan follows the master's services
    whole, and the LP's prices show where people fit better."""
    if relaxation is None:
        return plan
    seconds = work_seconds if work_seconds is not None else min(
        NEAR_SECONDS, (deadline - time.perf_counter()) / 2)
    return near_the_lp_of(org, relaxation, built, {c.key: c for c in built.candidates}, plan,
                          seconds, deadline, seed, width_for(len(org.psws)))
