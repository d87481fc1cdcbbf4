"""Solve a built model within bounded time and return a typed result."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.model import SCALE, BuiltModel
from planner.results import Status

PROGRESS_AFTER_SECONDS = 2.0


@dataclass(frozen=True)
class SolveLimits:
    """How long and how the solver may search.

    `deterministic=True` (the default) uses one search worker, so the same input and seed
    give the same plan on the same machine. `deterministic=False` runs CP-SAT's parallel
    portfolio on `workers` threads: often faster to prove optimality, but two runs may
    return different plans of equal value.
    """

    time_limit: float = 60.0
    seed: int = 0
    deterministic: bool = True
    workers: int = 2


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: float
    bound: float
    gap: float


@dataclass(frozen=True)
class SolveResult:
    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    chosen: list[int]  # indices of the candidates placed
    vacancies: list[int]  # positions per vacancy slot
    conflicts: list[str]


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[Progress], None]):
        super().__init__()
        self.report = report
        self.start = time.perf_counter()

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.start
        if elapsed < PROGRESS_AFTER_SECONDS:
            return
        obj, bound = self.ObjectiveValue() / SCALE, self.BestObjectiveBound() / SCALE
        self.report(Progress(elapsed, obj, bound, relative_gap(obj, bound)))


def solve(
    built: BuiltModel,
    limits: SolveLimits,
    progress: Callable[[Progress], None] | None = None,
) -> SolveResult:
    solver = _solver(limits)
    if built.assumptions:
        built.model.add_assumptions(list(built.assumptions.values()))
    callback = _ProgressReporter(progress) if progress else None
    code = solver.solve(built.model, callback)
    status = _status(code)
    if status in (Status.INFEASIBLE, Status.UNKNOWN):
        return SolveResult(status, None, None, None, solver.wall_time, [], [],
                           _conflicts(solver, built, limits) if status is Status.INFEASIBLE else [])
    objective = solver.objective_value / SCALE
    bound = solver.best_objective_bound / SCALE
    chosen = [i for i, var in enumerate(built.x) if solver.boolean_value(var)]
    vacancies = [int(solver.value(slot.var)) for slot in built.vacancies]
    return SolveResult(status, objective, bound, relative_gap(objective, bound),
                       solver.wall_time, chosen, vacancies, [])


def relative_gap(objective: float, bound: float) -> float:
    """|bound - objective| / max(1, |objective|): 0 means proven optimal."""
    return round(abs(bound - objective) / max(1.0, abs(objective)), 6)


def _solver(limits: SolveLimits) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = limits.time_limit
    params.random_seed = limits.seed
    params.num_workers = 1 if limits.deterministic else max(1, limits.workers)
    params.relative_gap_limit = 0.0
    params.linearization_level = 2  # the LP relaxation carries the bound for this MIP-like model
    return solver


def _status(code: int) -> Status:
    if code == cp_model.OPTIMAL:
        return Status.OPTIMAL
    if code == cp_model.FEASIBLE:
        return Status.FEASIBLE
    if code == cp_model.INFEASIBLE:
        return Status.INFEASIBLE
    return Status.UNKNOWN


def _conflicts(solver: cp_model.CpSolver, built: BuiltModel, limits: SolveLimits) -> list[str]:
    """Names of a small set of rules that cannot all hold (needs explain=True).

    CP-SAT's core is sufficient but not always minimal: each rule in it is dropped in turn
    and kept out when the rest still conflict (a deletion filter), within a time budget.
    """
    if not built.assumptions:
        return []
    names = {var.index: name for name, var in built.assumptions.items()}
    core = [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
    deadline = time.perf_counter() + min(10.0, limits.time_limit)
    for name in sorted(core):
        rest = [n for n in core if n != name]
        if rest and time.perf_counter() < deadline and _still_infeasible(built, rest, limits):
            core = rest
    return sorted(core)


def _still_infeasible(built: BuiltModel, names: list[str], limits: SolveLimits) -> bool:
    built.model.clear_assumptions()
    built.model.add_assumptions([built.assumptions[n] for n in names])
    solver = _solver(SolveLimits(min(2.0, limits.time_limit), limits.seed))
    return solver.solve(built.model) == cp_model.INFEASIBLE
