"""Solve a built CP-SAT model as the same MIP with HiGHS (highspy), for reference in the
benchmark: same variables, constraints and objective, another engine, one thread."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from planner.solve.highs import quiet_highs

INF = highspy.kHighsInf


@dataclass(frozen=True)
class ReferenceResult:
    status: str
    objective: float | None
    bound: float | None
    seconds: float


def solve_with_highs(proto, time_limit: float, gap: float | None = None) -> ReferenceResult:
    """Solve `proto` (a CP-SAT model proto) with HiGHS until the time limit or, with `gap`,
    until the relative gap is at most `gap` (so the time says how long HiGHS takes to
    reach the default path's gap)."""
    highs = quiet_highs()
    highs.setOptionValue("time_limit", float(time_limit))
    if gap is not None:
        highs.setOptionValue("mip_rel_gap", max(gap, 1e-4))
    _pass_model(highs, proto)
    start = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - start
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return ReferenceResult("unknown", None, None, seconds)
    scale = (proto.objective.scaling_factor or 1.0) / 100
    objective = info.objective_function_value * scale
    bound = info.mip_dual_bound * scale
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return ReferenceResult("optimal" if optimal else "feasible", objective, bound, seconds)


def _pass_model(highs, proto) -> None:
    n = len(proto.variables)
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([list(v.domain)[-1] for v in proto.variables], dtype=float)
    cost = np.zeros(n)
    for var, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        cost[var] += coef
    highs.addVars(n, lower, upper)
    highs.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.full(n, highspy.HighsVarType.kInteger))
    rows = _rows(proto)
    lo = np.array([r[0] for r in rows], dtype=float)
    hi = np.array([r[1] for r in rows], dtype=float)
    starts = np.cumsum([0] + [len(r[2]) for r in rows[:-1]]).astype(np.int32)
    index = np.array([i for r in rows for i in r[2]], dtype=np.int32)
    value = np.array([v for r in rows for v in r[3]], dtype=float)
    highs.addRows(len(rows), lo, hi, len(index), starts, index, value)


def _rows(proto) -> list[tuple[float, float, list[int], list[float]]]:
    rows = []
    for ct in proto.constraints:
        if ct.has_linear():
            if ct.enforcement_literal:
                raise ValueError("enforced linear constraints are not supported")
            domain = list(ct.linear.domain)
            lo = -INF if domain[0] < -1e18 else float(domain[0])
            hi = INF if domain[-1] > 1e18 else float(domain[-1])
            rows.append((lo, hi, list(ct.linear.vars), [float(c) for c in ct.linear.coeffs]))
        elif ct.has_bool_and():  # enforcement => each literal
            (enf,) = ct.enforcement_literal
            for lit in ct.bool_and.literals:
                rows.append(_at_least_one([-enf - 1, lit]))
        elif ct.has_bool_or():
            rows.append(_at_least_one(list(ct.bool_or.literals)))
        else:
            raise ValueError("unsupported constraint")
    return rows


def _at_least_one(literals: list[int]) -> tuple[float, float, list[int], list[float]]:
    """sum of literals >= 1, where ref < 0 means NOT var(-ref-1)."""
    coefs: dict[int, float] = {}
    negated = 0
    for ref in literals:
        var, coef = (ref, 1.0) if ref >= 0 else (-ref - 1, -1.0)
        negated += ref < 0
        coefs[var] = coefs.get(var, 0.0) + coef
    return (1.0 - negated, INF, list(coefs), list(coefs.values()))
