"""The second engine on the side: while CP-SAT plans on the first core, a child on the
second one works towards a better plan and a tighter bound.

Two kinds of work, chosen by the strategy (`strategy`, measured in bench/README.md):

- **HiGHS** (for a plan of the whole model): HiGHS solves the same model on its own
  (`highs`), sending each better plan with its bound. CP-SAT and HiGHS are strong on
  different organisations; the two side by side make a portfolio whose plan is the
  better of the two and whose bound is the lower. When HiGHS proves its plan optimal,
  `proven` is set and CP-SAT stops.
- **Lagrange** (for a plan made block by block): the LP bound and then the Lagrangian
  bound (`lagrange`), each lower value sent; once it has converged with time to spare,
  plans from its master (`side_plan`), each better one sent.

The planning process checks a child's plan against its own model (every rule, every
variable fixed) and keeps it when it scores more than its own; when the plan is done the
lowest bound received replaces the plan's bound if it is lower. So the bound, and the
plan too, depend on how far the child got in the time (as CP-SAT's own plan and bound do
when it stops at the time limit).

The child is forked (`child`: it needs nothing re-imported and no `__main__` guard);
whether one runs, and with which work, is the strategy's choice.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from types import TracebackType

from planner.core.domain import Org
from planner.core.results import Status
from planner.solve.highs import solve_with_highs
from planner.solve.large.child import Child
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.lp_bound import Relaxation, lp_bound
from planner.solve.large.side_plan import near_seconds_for, search_plan
from planner.solve.large.work import WorkBudget
from planner.solve.model import BuiltModel, build_model, objective_points
from planner.solve.solver import (
    CLOCK_CUTS,
    SolveLimits,
    SolveResult,
    better_of,
    keeps_every_rule,
    relative_gap,
    scores_more,
)
from planner.solve.values import PlanValues

SEND_SECONDS = 1.0  # the child's plans arrive this long before the plan's time is up
# a side plan is sought only with this long left after the bound converged: building the
# model and the dive take seconds on a large organisation
SIDE_PLAN_SECONDS = 10.0
LAGRANGE_SHARE = 0.5  # of the child's time, for the Lagrangian work before HiGHS
# of the time limit, the seconds whose work a reproducible child's plan is polished in
# (`_converged_plan`); the steps before it have work of their own
SIDE_POLISH_SHARE = 0.2


class SideWork(StrEnum):
    """What the child does (the strategy chooses; bench/README.md measures each)."""

    # the LP bound, the Lagrangian bound, then plans from its master (`side_plan`)
    LAGRANGE = "lagrange"
    HIGHS = "highs"  # HiGHS on the whole model: its plans and its bound (`highs`)
    # the Lagrangian bound and plans from it for a share of the time, then HiGHS on the
    # whole model from the best of those plans
    LAGRANGE_THEN_HIGHS = "lagrange+highs"
    # the Lagrangian bound alone, kept only once it has converged: the same value on every
    # run, whenever it comes (a reproducible plan's: `Converged`)
    CONVERGED_BOUND = "converged bound"
    # that bound, then one plan from its master with every step stopped on its work, sent
    # once at the end (a reproducible block plan's where the default seeks side plans:
    # `Finished`)
    CONVERGED_PLAN = "converged bound and plan"


@dataclass(frozen=True)
class Proven:
    """The child's word that the best plan it sent is optimal for the whole model (HiGHS
    proved it). Only this says so: the status of a plan found on a part of the model (a
    side plan's completion or polish) speaks of that part alone."""

    objective: float


@dataclass(frozen=True)
class Finished:
    """The child's last word beside a reproducible plan (`SideWork.CONVERGED_PLAN`): the
    best plan it found from the converged master (None: none), and the searches and steps
    its clock cut meanwhile (0: the same plan on every run)."""

    plan: SolveResult | None
    cuts: int


@dataclass(frozen=True)
class Converged:
    """The child's Lagrangian bound once it has converged: the prices of every round, and
    so the bound, are the same on every run, however fast the machine (the rounds stop
    on the bound, not the clock)."""

    value: float


class SideBound(Child):
    """A child process that tightens the bound of `org` (canonical) and, given the time,
    looks for a better plan; what it sends is kept as it arrives."""

    def __init__(self, org: Org, limits: SolveLimits, work: SideWork = SideWork.LAGRANGE):
        self.best = math.inf
        self.converged = math.inf  # the converged bound (`Converged`), when it came
        self.plan: SolveResult | None = None
        self.last_word: Finished | None = None  # a reproducible child's (`Finished`)
        self.proven = threading.Event()  # set when the child proves its plan optimal (`Proven`)
        self.work = work
        self._lock = threading.Lock()
        super().__init__(_side_work, org, limits, work, on_message=self._heard)

    def improve(self, built: BuiltModel, result: SolveResult) -> SolveResult:
        """`result`, or the child's best plan when it scores more and keeps every rule of
        `built` (the org's own whole model); then with the lowest bound. A `result`
        without a plan (CP-SAT stopped, or out of time, before its first) takes the
        child's plan if it keeps every rule, with the child's bound."""
        if result.objective is None:
            result = self._instead_of_none(built, result)
        return self.tighten(self.plan_for(built, result) or result)

    def _instead_of_none(self, built: BuiltModel, result: SolveResult) -> SolveResult:
        plan = self.plan
        if plan is None or not plan.values.fits(built):
            return result
        if not keeps_every_rule(built, plan.values):
            return result
        objective = objective_points(built.objective_terms, plan.values.variables(built))
        bound = max(self.best, objective) if math.isfinite(self.best) else None
        gap = None if bound is None else relative_gap(objective, bound)
        status = Status.OPTIMAL if gap == 0 else Status.FEASIBLE  # the child's bound is true
        return SolveResult(status, objective, bound, gap, result.seconds, plan.values)

    def wait(self, seconds: float) -> None:
        """Let the child work up to `seconds` more (less if it ends first): a plan that is
        done before its time (the block path's, which ends on its work) takes the child's
        best plan at its time, not at its own end."""
        if seconds > 0:
            self.finished(seconds)

    def settle(self, seconds: float) -> None:
        """Wait up to `seconds` for the child to end. A reproducible plan's child
        (`_REPRODUCIBLE`) whose bound has not converged by then, or whose plan has not
        come, leaves the plan what a faster run would have had: the clock cut it
        (`CLOCK_CUTS`), as it did the child's own searches it reports."""
        self.wait(seconds)
        if self.work not in _REPRODUCIBLE:
            return
        if not math.isfinite(self.converged):
            CLOCK_CUTS.add()
        elif self.work is SideWork.CONVERGED_PLAN:
            CLOCK_CUTS.add(1 if self.last_word is None else self.last_word.cuts)

    def offers_more_than(self, result: SolveResult) -> bool:
        """Whether the child has sent a plan that scores more than `result`."""
        return result.objective is not None and scores_more(self.plan, result)

    def plan_for(self, built: BuiltModel, result: SolveResult) -> SolveResult | None:
        """The child's best plan as a plan of `built` (the org's own whole model) when it
        scores more than `result` and keeps every rule; else None."""
        plan = self.plan
        if plan is None or not self.offers_more_than(result):
            return None
        taken = adopt(built, result, plan)
        return None if taken is result else taken

    def tighten(self, result: SolveResult) -> SolveResult:
        """`result` with the lowest bound the child has sent (of a child of the converged
        bound alone, that bound once it came), if it is lower."""
        best = self.converged if self.work in _REPRODUCIBLE else self.best
        if result.objective is None or result.bound is None or best >= result.bound:
            return result
        bound = max(best, result.objective)  # a true bound is never below a plan
        gap = relative_gap(result.objective, bound)
        status = Status.OPTIMAL if gap == 0 else result.status
        return replace(result, bound=bound, gap=gap, status=status)

    def __enter__(self) -> SideBound:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _heard(self, message: float | SolveResult | Proven | Converged) -> None:
        """A bound (a number), a plan, or the proof that the best plan sent is optimal,
        from the child (in the reader thread)."""
        with self._lock:
            if isinstance(message, Proven):
                self.best = min(self.best, message.objective)  # the optimum is its own bound
                self.proven.set()
            elif isinstance(message, Converged):
                self.converged = min(self.converged, message.value)
            elif isinstance(message, Finished):
                self.last_word = message
                if message.plan is not None:
                    self.plan = message.plan
            elif not isinstance(message, SolveResult):
                self.best = min(self.best, message)
            elif self.plan is None or (message.objective or 0.0) > (self.plan.objective or 0.0):
                self.plan = message


# a reproducible plan's children: what they send is the same on every run, whenever it comes
_REPRODUCIBLE = (SideWork.CONVERGED_BOUND, SideWork.CONVERGED_PLAN)


class NoSideBound:
    """Stands in where no child runs: plans keep their own bound."""

    def __init__(self) -> None:
        self.proven = threading.Event()  # never set

    def tighten(self, result: SolveResult) -> SolveResult:
        return result

    def improve(self, built: BuiltModel, result: SolveResult) -> SolveResult:
        return result

    def wait(self, seconds: float) -> None:
        return None

    def settle(self, seconds: float) -> None:
        return None

    def offers_more_than(self, result: SolveResult) -> bool:
        return False

    def plan_for(self, built: BuiltModel, result: SolveResult) -> SolveResult | None:
        return None

    def __enter__(self) -> NoSideBound:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def side_bound(org: Org, limits: SolveLimits,
               work: SideWork = SideWork.LAGRANGE) -> SideBound | NoSideBound:
    """A child doing `work` for the plan of `org` (the strategy has said it helps, and
    that a core is spare); no child when no process is to be had."""
    try:
        return SideBound(org, limits, work)
    except OSError:  # no process to be had (limits of the machine): keep the plan's bound
        return NoSideBound()


def adopt(built: BuiltModel, result: SolveResult, plan: SolveResult) -> SolveResult:
    """`result`, or `plan` (found on another model of the org) in its place (status
    `feasible`, `result`'s bound) when it scores more and keeps every rule of `built`:
    each variable is fixed to the plan's value and CP-SAT checks the model."""
    if result.objective is None or not scores_more(plan, result):
        return result
    if not plan.values.fits(built):
        return result
    return better_of(built, result, plan.values, result.bound, result.seconds,
                     lambda: keeps_every_rule(built, plan.values)) or result


def _side_work(org: Org, limits: SolveLimits, work: SideWork,
               send: Callable[[object], None]) -> None:
    """In the child: HiGHS on the whole model, or the LP bound then the Lagrangian bound
    with plans from its master; each lower bound and better plan sent."""
    start = time.perf_counter()
    deadline = start + limits.time_limit - SEND_SECONDS
    if work is SideWork.HIGHS:
        _highs_plans(org, deadline, limits.seed, send)
        return
    if work is SideWork.LAGRANGE:
        _lagrange_plans(org, deadline, limits.seed, send, beside_blocks=True)
        return
    if work is SideWork.CONVERGED_BOUND:
        _converged_bound(org, deadline, send)
        return
    if work is SideWork.CONVERGED_PLAN:
        _converged_plan(org, deadline, limits, send)
        return
    built = build_model(org, prune=True)
    lagrange_until = start + (deadline - start) * LAGRANGE_SHARE
    best = _lagrange_plans(org, lagrange_until, limits.seed, send, built)
    _highs_plans(org, deadline, limits.seed, send, built,
                 None if best is None else best.values)


def _lagrange_plans(org: Org, deadline: float, seed: int, send: Callable[[object], None],
                    built: BuiltModel | None = None, beside_blocks: bool = False
                    ) -> SolveResult | None:
    """The LP bound, then the Lagrangian bound (until `deadline` and the second after it,
    by when the parent last reads a bound), then (converged with time to spare) plans from
    its master until `deadline`: each lower bound and better plan sent; the best plan
    returned. `built`: the org's whole model, if built. `beside_blocks`: the master's plan
    is searched near the LP too and polished in growing parts (`side_plan`), each
    measured beside block plans only (beside the whole model, HiGHS takes the time a
    converged polish leaves)."""
    found: list[SolveResult] = []

    def heard(result: SolveResult) -> None:
        found.append(result)
        send(result)

    bound = lp_bound(org)
    send(bound.value)
    if bound.relaxation is None:
        return None
    keys = bound.relaxation.cols.keys(org)
    search = ServicePlans(org, bound.relaxation)
    search.converge(deadline + SEND_SECONDS - time.perf_counter(), on_bound=send)
    if search.converged and deadline - time.perf_counter() >= SIDE_PLAN_SECONDS:
        search_plan(org, search, keys, deadline, seed, heard, built,
                    bound.relaxation if beside_blocks else None, grow=beside_blocks)
    return _best(found)


def _converged_bound(org: Org, deadline: float, send: Callable[[object], None]
                     ) -> tuple[ServicePlans, Relaxation] | None:
    """The LP bound, then the Lagrangian bound until it converges or `deadline` (and the
    second after it) comes: each lower value sent, and the last as `Converged` once it
    has converged; the converged search and its relaxation returned (None: it did not
    converge)."""
    bound = lp_bound(org)
    send(bound.value)
    if bound.relaxation is None:
        return None
    search = ServicePlans(org, bound.relaxation)
    found = search.converge(deadline + SEND_SECONDS - time.perf_counter(), on_bound=send)
    if not search.converged:
        return None
    send(Converged(found.value))
    return search, bound.relaxation


def _converged_plan(org: Org, deadline: float, limits: SolveLimits,
                    send: Callable[[object], None]) -> None:
    """The converged bound (`_converged_bound`), then a plan from its master as
    `side_plan` finds one, each step on its work (the polish that of
    SIDE_POLISH_SHARE of the time limit): its best plan sent once, as `Finished`, with
    the searches and steps the clock cut (in this process's own count)."""
    converged = _converged_bound(org, deadline, send)
    if converged is None:
        return
    search, relaxation = converged
    before = CLOCK_CUTS.count
    found: list[SolveResult] = []
    work = WorkBudget.for_polish(limits.time_limit * SIDE_POLISH_SHARE)
    search_plan(org, search, relaxation.cols.keys(org), deadline, limits.seed, found.append,
                relaxation=relaxation, grow=True, work=work,
                near_seconds=near_seconds_for(limits.time_limit))
    send(Finished(_best(found), CLOCK_CUTS.count - before))


def _best(found: list[SolveResult]) -> SolveResult | None:
    """The plan of `found` that scores most (None: none found)."""
    return max(found, key=lambda r: r.objective or 0.0, default=None)


def _highs_plans(org: Org, deadline: float, seed: int, send: Callable[[object], None],
                 built: BuiltModel | None = None, start: PlanValues | None = None) -> None:
    """HiGHS on the whole model, as built for CP-SAT (from `start` if given): each better
    plan sent with HiGHS's bound, its bound as it falls between plans, and the plan and
    bound it ends with (a plan proven optimal says so)."""
    built = built or build_model(org, prune=True)

    def found(result: SolveResult) -> None:
        send(result)
        if result.bound is not None and math.isfinite(result.bound):
            send(result.bound)

    final = solve_with_highs(built, deadline - time.perf_counter(), seed, on_plan=found,
                             start=start, on_bound=send)
    if final.objective is not None:
        found(final)
    if final.status is Status.OPTIMAL and final.objective is not None:
        send(Proven(final.objective))
