"""Solve a built CP-SAT model as the same MIP with HiGHS (via OR-Tools' pywraplp), for
reference in the benchmark: same variables, constraints and objective, another engine."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

INF = pywraplp.Solver.infinity()


@dataclass(frozen=True)
class ReferenceResult:
    status: str
    objective: float | None
    bound: float | None
    seconds: float


def solve_with_highs(proto, time_limit: float,
                     relax: bool = False) -> ReferenceResult:
    solver = pywraplp.Solver.CreateSolver("GLOP" if relax else "HIGHS")
    xs = [_variable(solver, v, i, relax) for i, v in enumerate(proto.variables)]
    for ct in proto.constraints:
        _constraint(solver, xs, ct)
    obj = solver.Objective()
    for var, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        obj.SetCoefficient(xs[var], coef)
    obj.SetMinimization()
    solver.SetTimeLimit(int(time_limit * 1000))
    start = time.perf_counter()
    code = solver.Solve()
    seconds = time.perf_counter() - start
    scale = proto.objective.scaling_factor or 1.0
    if code not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return ReferenceResult(_name(code), None, None, seconds)
    objective = obj.Value() * scale / 100
    bound = (obj.Value() if relax else obj.BestBound()) * scale / 100
    return ReferenceResult(_name(code), objective, bound, seconds)


def _variable(solver, v, i: int, relax: bool):
    domain = list(v.domain)
    lo, hi = domain[0], domain[-1]
    return solver.NumVar(lo, hi, f"v{i}") if relax else solver.IntVar(lo, hi, f"v{i}")


def _literal(xs, ref: int):
    """(coefficient, variable, constant) of a literal: ref < 0 means NOT var(-ref-1)."""
    return (1, xs[ref], 0) if ref >= 0 else (-1, xs[-ref - 1], 1)


def _constraint(solver, xs, ct) -> None:
    kind = next((k for k in ("linear", "bool_and", "bool_or") if getattr(ct, f"has_{k}")()),
                "other")
    if ct.enforcement_literal and kind != "bool_and":
        raise ValueError("enforced constraints are not supported in the reference MIP")
    if kind == "linear":
        domain = list(ct.linear.domain)  # the proto wrapper has no negative indexing
        lo, hi = domain[0], domain[-1]
        c = solver.Constraint(-INF if lo < -1e18 else float(lo), INF if hi > 1e18 else float(hi))
        for var, coef in zip(ct.linear.vars, ct.linear.coeffs, strict=True):
            c.SetCoefficient(xs[var], coef)
    elif kind == "bool_and":  # enforcement => each literal
        (enf,) = ct.enforcement_literal
        for lit in ct.bool_and.literals:
            _implication(solver, xs, enf, lit)
    elif kind == "bool_or":
        _at_least_one(solver, xs, ct.bool_or.literals)
    else:
        raise ValueError(f"unsupported constraint {kind}")


def _implication(solver, xs, a: int, b: int) -> None:
    """a => b, i.e. (not a) or b."""
    _at_least_one(solver, xs, [-a - 1, b])


def _at_least_one(solver, xs, literals) -> None:
    const = 0
    c = solver.Constraint(1, INF)
    for ref in literals:
        coef, var, k = _literal(xs, ref)
        c.SetCoefficient(var, c.GetCoefficient(var) + coef)
        const += k
    c.SetBounds(1 - const, INF)


def _name(code: int) -> str:
    return {pywraplp.Solver.OPTIMAL: "optimal", pywraplp.Solver.FEASIBLE: "feasible",
            pywraplp.Solver.INFEASIBLE: "infeasible"}.get(code, "unknown")
