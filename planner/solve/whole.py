"""The whole model solved at once by CP-SAT, and its solution (or conflict) as a Plan."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from planner.core.domain import Org
from planner.core.results import Plan, Status
from planner.solve.assemble import plan_of, plan_without_solution
from planner.solve.model import BuiltModel, build_model
from planner.solve.solver import Progress, SolveLimits, SolveResult, solve

ADDED_RULES_CONFLICT = (
    "the rules added for this analysis (a pinned placement, a minimum total) cannot hold "
    "together with the organisation's own rules"
)


def solve_whole(
    org: Org,
    built: BuiltModel,
    limits: SolveLimits,
    progress: Callable[[Progress], None] | None = None,
    improve: Callable[[BuiltModel, SolveResult], SolveResult] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """Solve a built model (perhaps with rules or an objective an analysis added) and turn
    the solution into a Plan. `improve` may put a better plan in place of the one found
    and lower its bound (the side bound's child: only for the org's own model, as a plan or
    bound of the org says nothing of another objective or other rules); `stop` ends the
    search early (the child has proven its own plan optimal). An infeasible
    model is solved again with every rule switched by a literal, to name a conflict."""
    result = solve(built, limits, progress, stop=stop)
    if improve is not None and result.status in (Status.FEASIBLE, Status.UNKNOWN):
        result = improve(built, result)
    if result.status is Status.INFEASIBLE:
        explained = solve(build_model(org, explain=True), limits)
        if explained.status is not Status.INFEASIBLE:  # only the caller's own rules conflict
            explained = replace(result, conflicts=(ADDED_RULES_CONFLICT,))
        return plan_without_solution(org, built, explained)
    if result.status is Status.UNKNOWN:
        return plan_without_solution(org, built, result)
    return plan_of(built, result)
