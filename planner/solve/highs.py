"""The same model solved by HiGHS: another engine on the planner's own rules.

CP-SAT and HiGHS are strong on different organisations (bench/README.md): CP-SAT's
search finds good plans early, HiGHS's branch and cut proves mid-sized models that
CP-SAT's bound leaves open. `solve_with_highs` hands HiGHS the CP-SAT model as it is
built (every variable, rule and objective term, read from its proto), so a plan found by
either engine is a plan of one model, and `PlanValues` carries it back.

HiGHS runs on one thread with a fixed random seed: stopped by optimality, the same model
gives the same plan on every run; stopped by the time limit, it gives what it had (as
CP-SAT does).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import highspy
import numpy as np

from planner.core.results import Status
from planner.solve.model import SCALE, BuiltModel, objective_points
from planner.solve.solver import SolveResult, relative_gap
from planner.solve.values import PlanValues

INF = highspy.kHighsInf
_FOUND = 2  # HiGHS's primal_solution_status of a feasible solution
BOUND_SECONDS = 0.5  # HiGHS's falling bound passed on at most this often (`on_bound`)


@dataclass(frozen=True)
class Rows:
    """The model's constraints as HiGHS rows (compressed by row)."""

    lower: np.ndarray
    upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    value: np.ndarray

    @property
    def count(self) -> int:
        return len(self.lower)


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing (not even its banner) and uses one thread."""
    with _stdout_silenced():  # HiGHS prints a banner on stdout when it is first created
        highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    return highs


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null for a moment (output from C++ code)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve_with_highs(built: BuiltModel, time_limit: float, seed: int = 0,
                     on_plan: Callable[[SolveResult], None] | None = None,
                     start: PlanValues | None = None, above: float | None = None,
                     on_bound: Callable[[float], None] | None = None) -> SolveResult:
    """Solve `built` with HiGHS within `time_limit` seconds (the model's conversion
    included), from `start` (a plan of the model) if given. `on_plan` hears each better
    plan as HiGHS finds it, with HiGHS's bound at that moment; `on_bound` hears its bound
    (points) as it falls, between plans too, at most every BOUND_SECONDS. With `above`
    (points), a cutoff: its search prunes what cannot score more (the plan it ends with
    may still score no more, and its bound is then no bound of the model: no `on_bound`
    with it). Status `unknown` when HiGHS found no plan in the time."""
    if above is not None and on_bound is not None:
        raise ValueError("a cutoff's bound is no bound of the model")
    began = time.perf_counter()
    deadline = began + time_limit
    highs = highs_model(built)
    if start is not None:
        values = start.array(built)
        highs.setSolution(len(values), np.arange(len(values), dtype=np.int32),
                          values.astype(float))
    if above is not None:
        # highspy 1.16 took a start at a value below the start's own, then offered plans
        # worse than the start as better ones; the cutoff keeps its search above it
        highs.setOptionValue("objective_bound", _proto_value(built, above + 0.5 / SCALE))
    highs.setOptionValue("time_limit", max(0.1, deadline - time.perf_counter()))
    highs.setOptionValue("random_seed", int(seed))
    highs.setOptionValue("mip_rel_gap", 0.0)
    if on_plan is not None:
        highs.cbMipImprovingSolution.subscribe(
            lambda event: on_plan(_found(built, event.data_out.mip_solution,
                                         event.data_out.mip_dual_bound, began)))
    heard = _BoundHeard(built, on_bound)

    def interrupt(event: highspy.HighsCallbackEvent) -> None:
        # HiGHS checks its own time limit between steps; a long cut round can pass it
        if time.perf_counter() > deadline:
            event.interrupt()
        heard.hear(event.data_out.mip_dual_bound)

    highs.cbMipInterrupt.subscribe(interrupt)
    highs.run()
    return _result(built, highs, began)


@dataclass
class _BoundHeard:
    """HiGHS's bound passed on as it falls (`solve_with_highs`): its plans may come
    seldom, or never after a start, and with them alone its bound would not be heard."""

    built: BuiltModel
    on_bound: Callable[[float], None] | None
    lowest: float = math.inf
    last: float = -math.inf  # perf_counter of the last one passed on

    def hear(self, value: float) -> None:
        now = time.perf_counter()
        if self.on_bound is None or not math.isfinite(value) or now - self.last < BOUND_SECONDS:
            return
        points = _points(self.built, value)
        if points < self.lowest:
            self.lowest, self.last = points, now
            self.on_bound(points)


def highs_model(built: BuiltModel) -> highspy.Highs:
    """A quiet one-thread HiGHS holding `built`'s variables, rules and objective."""
    proto = built.model.proto
    n = len(proto.variables)
    highs = quiet_highs()
    lower = np.fromiter((v.domain[0] for v in proto.variables), dtype=float, count=n)
    upper = np.fromiter((v.domain[len(v.domain) - 1] for v in proto.variables), dtype=float,
                        count=n)
    highs.addVars(n, lower, upper)
    columns = np.arange(n, dtype=np.int32)
    highs.changeColsIntegrality(n, columns, np.full(n, highspy.HighsVarType.kInteger))
    cost = np.zeros(n)
    np.add.at(cost, np.asarray(proto.objective.vars, dtype=np.int64),
              np.asarray(proto.objective.coeffs, dtype=float))
    highs.changeColsCost(n, columns, cost)  # CP-SAT's proto minimises, as HiGHS does
    rows = model_rows(proto)
    highs.addRows(rows.count, rows.lower, rows.upper, len(rows.index), rows.starts,
                  rows.index, rows.value)
    return highs


def model_rows(proto) -> Rows:  # a CpModelProto
    """Each linear constraint as a row; `enforcement => literals` (bool_and) and
    clauses (bool_or) as rows over literals. Any other kind of constraint is a model
    this conversion does not know: ValueError."""
    lower: list[float] = []
    upper: list[float] = []
    lengths: list[int] = []
    index: list[int] = []
    value: list[float] = []

    def add(lo: float, hi: float, variables: list[int], coeffs: list[float]) -> None:
        lower.append(lo)
        upper.append(hi)
        lengths.append(len(variables))
        index.extend(variables)
        value.extend(coeffs)

    for ct in proto.constraints:
        if ct.has_linear() and not ct.enforcement_literal:
            domain = list(ct.linear.domain)  # the proto's lists take no negative index
            if len(domain) != 2:
                raise ValueError(f"HiGHS is not given a domain with holes: {ct}")
            add(-INF if domain[0] < -1e18 else float(domain[0]),
                INF if domain[-1] > 1e18 else float(domain[-1]),
                list(ct.linear.vars), list(ct.linear.coeffs))
        elif ct.has_bool_and() and len(ct.enforcement_literal) == 1:
            (enforced,) = ct.enforcement_literal
            for literal in ct.bool_and.literals:
                add(*_at_least_one([_negated(enforced), literal]))
        elif ct.has_bool_or() and not ct.enforcement_literal:
            add(*_at_least_one(list(ct.bool_or.literals)))
        else:
            raise ValueError(f"HiGHS is not given this constraint: {ct}")
    starts = np.cumsum([0, *lengths[:-1]]).astype(np.int32) if lengths else np.zeros(0, np.int32)
    return Rows(np.array(lower), np.array(upper), starts,
                np.array(index, dtype=np.int32), np.array(value, dtype=float))


def _negated(literal: int) -> int:
    return -literal - 1


def _at_least_one(literals: list[int]) -> tuple[float, float, list[int], list[float]]:
    """sum of literals >= 1 as a row, where a literal below 0 is NOT var(-literal - 1)."""
    coeffs: dict[int, float] = {}
    negated = 0
    for literal in literals:
        var, coeff = (literal, 1.0) if literal >= 0 else (_negated(literal), -1.0)
        negated += literal < 0
        coeffs[var] = coeffs.get(var, 0.0) + coeff
    return 1.0 - negated, INF, list(coeffs), list(coeffs.values())


def _result(built: BuiltModel, highs: highspy.Highs, began: float) -> SolveResult:
    info = highs.getInfo()
    if info.primal_solution_status != _FOUND:
        return SolveResult(Status.UNKNOWN, None, None, None, time.perf_counter() - began)
    found = _found(built, highs.getSolution().col_value, info.mip_dual_bound, began)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return found
    return replace(found, status=Status.OPTIMAL, bound=found.objective, gap=0.0)


def _found(built: BuiltModel, solution: Sequence[float], dual_bound: float,
           began: float) -> SolveResult:
    """A plan of HiGHS's (every variable's value) with HiGHS's bound, in points."""
    values = np.rint(np.asarray(solution, dtype=float)).astype(np.int64)
    plan = PlanValues.of_variables(built, values)
    objective = objective_points(built.objective_terms, plan.variables(built))
    bound = max(objective, _points(built, dual_bound)) if math.isfinite(dual_bound) else math.inf
    return SolveResult(Status.FEASIBLE, objective, bound,
                       relative_gap(objective, bound) if math.isfinite(bound) else None,
                       time.perf_counter() - began, plan)


def _proto_value(built: BuiltModel, points: float) -> float:
    """The value of the proto's objective (what HiGHS minimises) at `points`: `_points`
    undone."""
    objective = built.model.proto.objective
    return points * SCALE / (objective.scaling_factor or 1.0) - objective.offset


def _points(built: BuiltModel, value: float) -> float:
    """A value of the proto's objective (what HiGHS minimises) in the planner's points:
    CP-SAT stores a maximisation negated, with its scaling factor and offset."""
    objective = built.model.proto.objective
    return (objective.scaling_factor or 1.0) * (value + objective.offset) / SCALE
