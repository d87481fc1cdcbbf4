"""Solve a built model within bounded time and return a typed result."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TypeGuard

from ortools.sat.python import cp_model

from planner.core.results import Status
from planner.solve.greedy import greedy_start
from planner.solve.model import SCALE, BuiltModel, objective_points
from planner.solve.values import PlanValues

PROGRESS_AFTER_SECONDS = 2.0
STOP_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class SolveLimits:
    """How long and how the solver may search.

    `deterministic=True` (the default) uses one search worker: a search that ends on its
    work or a proof gives the same plan on the same machine every run, one stopped by the
    clock may not (`reproducible` stops every search on its work). `deterministic=False`
    runs CP-SAT's parallel portfolio on `workers` threads: often faster to prove
    optimality, but two runs may return different plans of equal value.
    """

    time_limit: float = 60.0
    seed: int = 0
    deterministic: bool = True
    workers: int = 2
    greedy_fallback: bool = True
    # CP-SAT's own measure of work done, the same on every run: a search stopped by it
    # gives the same plan every time (the time limit then only guards a deadline)
    work_limit: float | None = None
    # CP-SAT's presolve (with probing and symmetry detection) shrinks a large model, but
    # on the small ones the block path solves in a second or two it takes time the search
    # needs (bench/README.md)
    presolve: bool = True
    # every search of the plan stops on CP-SAT's work, fixed before it starts from counts
    # and the time limit, and no child's plan (its seconds are the clock's) is taken: the
    # same input and seed give the same plan on the same machine, at the cost of the time
    # a search that ends on its work early leaves unused (`planning`, bench/README.md)
    reproducible: bool = False


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: float
    bound: float
    gap: float


@dataclass(frozen=True)
class SolveResult:
    """What a solve found: its status, objective and bound (points), and the plan."""

    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    values: PlanValues = field(default_factory=PlanValues)  # empty when there is no plan
    conflicts: tuple[str, ...] = ()
    # CP-SAT's deterministic time spent (its own measure of work, the same on every run
    # with one worker): what a schedule in work rather than seconds debits
    work: float = 0.0
    # the search was stopped by the clock (its time limit, or another engine's word),
    # before its work limit or a proof: another run may have stopped elsewhere
    on_the_clock: bool = False


IMPROVEMENT = 1e-6  # points a plan must score above another's to count as better


def scores_more(found: SolveResult | None, than: SolveResult) -> TypeGuard[SolveResult]:
    """`found` is a plan scoring more than `than` (by more than rounding's `IMPROVEMENT`):
    the one test of every step that keeps a plan only when it is better (any plan scores
    more than none)."""
    return (found is not None and found.objective is not None
            and (than.objective is None or found.objective > than.objective + IMPROVEMENT))


class ClockCuts:
    """The searches and steps of this process that the clock cut short (`on_the_clock`,
    or a step left out for want of time): a plan made with none, every search stopping on
    its work or a proof, is the plan every run gives (`SolveLimits.reproducible`). One
    count for the process: plans run in threads of one process share it."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def add(self, cuts: int = 1) -> None:
        with self._lock:
            self._count += cuts

    @property
    def count(self) -> int:
        return self._count


CLOCK_CUTS = ClockCuts()


def stopped_by_the_clock(solver: cp_model.CpSolver, limits: SolveLimits, code: int) -> bool:
    """Whether a search that ended with `code` stopped on the clock, not on its work
    limit, a proof or an answer; counted in CLOCK_CUTS."""
    cut = (code in (cp_model.FEASIBLE, cp_model.UNKNOWN)
           and (limits.work_limit is None or solver.deterministic_time < limits.work_limit))
    if cut:
        CLOCK_CUTS.add()
    return cut


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    """Reports best objective, bound and gap as they improve, once the solve has taken
    `PROGRESS_AFTER_SECONDS`, at most once a second."""

    def __init__(self, report: Callable[[Progress], None]):
        super().__init__()
        self.report = report
        self.start = time.perf_counter()
        self.last_report = 0.0
        self.objective: float | None = None
        self.bound: float | None = None

    def on_solution_callback(self) -> None:
        self.objective = self.ObjectiveValue() / SCALE
        self.bound = self.BestObjectiveBound() / SCALE
        self._maybe_report()

    def on_bound(self, bound: float) -> None:
        self.bound = bound / SCALE
        self._maybe_report()

    def _maybe_report(self) -> None:
        now = time.perf_counter()
        elapsed = now - self.start
        if elapsed < PROGRESS_AFTER_SECONDS or now - self.last_report < 1.0:
            return
        if self.objective is None or self.bound is None:
            return
        self.last_report = now
        gap = relative_gap(self.objective, self.bound)
        self.report(Progress(elapsed, self.objective, self.bound, gap))


def solve(
    built: BuiltModel,
    limits: SolveLimits,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """Solve with CP-SAT; `progress` hears how it goes; the search ends early when `stop`
    is set (another engine has proven its plan optimal)."""
    solver = solver_for(limits)
    if built.assumptions:
        built.model.add_assumptions(list(built.assumptions.values()))
    callback = _ProgressReporter(progress) if progress else None
    if callback is not None:
        solver.best_bound_callback = callback.on_bound
    with _stopped_by(stop, solver):
        code = solver.solve(built.model, callback)
    status = _status(code)
    return replace(_result(solver, built, limits, status), work=solver.deterministic_time,
                   on_the_clock=stopped_by_the_clock(solver, limits, code))


def _result(solver: cp_model.CpSolver, built: BuiltModel, limits: SolveLimits,
            status: Status) -> SolveResult:
    if status is Status.INFEASIBLE:
        return SolveResult(status, None, None, None, solver.wall_time,
                           conflicts=tuple(_conflicts(solver, built, limits)))
    found = None if status is Status.UNKNOWN else _solution(solver, built, status)
    if status is not Status.OPTIMAL and limits.greedy_fallback and not built.assumptions:
        found = _fallback(built, solver, found)
    if found is None:
        return SolveResult(Status.UNKNOWN, None, None, None, solver.wall_time)
    return found


@contextmanager
def _stopped_by(stop: threading.Event | None, solver: cp_model.CpSolver) -> Iterator[None]:
    """While the solve runs, a thread ends its search once `stop` is set."""
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            # asked again until the solve ends: a stop asked before CP-SAT starts is lost
            if stop.wait(STOP_POLL_SECONDS):
                solver.stop_search()
                done.wait(STOP_POLL_SECONDS)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _solution(solver: cp_model.CpSolver, built: BuiltModel, status: Status) -> SolveResult:
    objective = solver.objective_value / SCALE
    bound = solver.best_objective_bound / SCALE
    chosen = [i for i, var in enumerate(built.x) if solver.boolean_value(var)]
    vacancies = [int(solver.value(slot.var)) for slot in built.vacancies]
    return SolveResult(status, objective, bound, relative_gap(objective, bound),
                       solver.wall_time, PlanValues.of_model(built, chosen, vacancies))


def better_of(built: BuiltModel, found: SolveResult | None, plan: PlanValues,
              solver_bound: float | None, seconds: float,
              keeps_the_rules: Callable[[], bool] = lambda: True) -> SolveResult | None:
    """What the solver found, or `plan` when that scores more (and keeps the rules):
    status `feasible`, with the solver's bound (never below the plan)."""
    objective = objective_points(built.objective_terms, plan.variables(built))
    if found is not None and found.objective is not None and found.objective >= objective:
        return found
    if not keeps_the_rules():
        return found
    bound = max(objective if solver_bound is None else solver_bound, objective)
    return SolveResult(Status.FEASIBLE, objective, bound, relative_gap(objective, bound),
                       seconds, plan)


def _fallback(
    built: BuiltModel, solver: cp_model.CpSolver, found: SolveResult | None
) -> SolveResult | None:
    """The greedy plan when it beats what the solver found in the time allowed (or the
    solver found nothing) and keeps every rule. Status `feasible`, with the solver's bound."""
    start = greedy_start(built)
    return better_of(built, found, start, solver.best_objective_bound / SCALE,
                     solver.wall_time, lambda: keeps_every_rule(built, start))


def add_hints(model: cp_model.CpModel, values: Mapping[int, int]) -> None:
    """Hint each variable (by proto index) at its value, all in one call (`add_hint`
    one variable at a time is slow on a large model)."""
    hint = model.proto.solution_hint
    hint.vars.extend(list(values.keys()))
    hint.values.extend(list(values.values()))


def keeps_every_rule(built: BuiltModel, plan: PlanValues) -> bool:
    """Let CP-SAT check a plan against the model, every variable fixed."""
    check = built.model.clone()
    check.clear_hints()  # a caller's own hint would clash with these
    add_hints(check, plan.variables(built))
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.num_workers = 1
    return solver.solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def relative_gap(objective: float, bound: float) -> float:
    """|bound - objective| / max(1, |objective|): 0 means proven optimal."""
    return round(abs(bound - objective) / max(1.0, abs(objective)), 6)


def against_bound(objective: float, bound: float | None, seconds: float,
                  values: PlanValues) -> SolveResult:
    """A plan measured against a true bound found apart from it (the LP's): the bound
    at least the objective, and the plan `optimal` only where they meet."""
    top = max(objective, objective if bound is None else bound)
    gap = relative_gap(objective, top)
    return SolveResult(Status.OPTIMAL if gap == 0 else Status.FEASIBLE, objective, top, gap,
                       seconds, values)


def solver_for(limits: SolveLimits) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = limits.time_limit
    if limits.work_limit is not None:
        params.max_deterministic_time = limits.work_limit
    params.random_seed = limits.seed
    params.num_workers = 1 if limits.deterministic else max(1, limits.workers)
    params.relative_gap_limit = 0.0
    params.linearization_level = 2  # the LP relaxation carries the bound for this MIP-like model
    params.max_presolve_iterations = 1  # repeated presolve rounds cost seconds and gain little here
    if not limits.presolve:
        params.cp_model_presolve = False
        params.symmetry_level = 0
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
    solver = solver_for(SolveLimits(min(2.0, limits.time_limit), limits.seed))
    return solver.solve(built.model) == cp_model.INFEASIBLE
