"""A plan from the bound's own work, found on the second core (`side_bound`).

Once the Lagrangian bound has converged, its master knows a near-best mix of whole
service plans. This turns it into a plan of the model: the dive fixes most services to
one plan each (`dive`), CP-SAT completes the few left with the rest held, then
improves the plan one region at a time (`polish`). Each plan found is handed on
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
from planner.solve.large.polish import MIN_SECONDS, PartSolver, polish
from planner.solve.model import BuiltModel, build_model
from planner.solve.solver import SolveResult
from planner.solve.values import PlanValues

COMPLETE_WORK = 3.0  # CP-SAT's deterministic time for the services the dive leaves


def search_plan(org: Org, search: ServicePlans, keys: list[tuple[str, str, str]],
                deadline: float, seed: int, on_plan: Callable[[SolveResult], None],
                built: BuiltModel | None = None) -> None:
    """Dive, complete and polish until `deadline` (perf_counter); `keys` are the
    relaxation's placements (in column order); `built`: the org's whole model, if built."""
    built = built or build_model(org, prune=True)
    index = built.candidate_index
    pruned = np.array([key not in index for key in keys], dtype=bool)
    fixed = dive(search, deadline - COMPLETE_WORK, left_out=pruned)
    chosen = {index[keys[c]] for c in fixed.placements().tolist()}
    positions = [0] * len(built.vacancies)  # vacancy columns and slots: one order
    for plan in fixed.plans.values():
        for column, count in plan.vacancies.items():
            positions[column] = count
    free = {s.service_id for k, s in enumerate(org.services) if k not in fixed.plans}
    left = deadline - time.perf_counter()
    if left < MIN_SECONDS:
        return
    partial = PlanValues.of_model(built, chosen, positions)
    solver = PartSolver(built)  # the model's rows read once, for both
    found = solver.solve(partial, free, COMPLETE_WORK, left, seed)
    if found is None:
        return
    on_plan(found)
    polish(solver, found, deadline, seed, on_plan)
