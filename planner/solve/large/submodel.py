"""A part of a CP-SAT model as a model of its own, every other variable held at a value.

To re-solve part of a plan (`polish`) as a copy of the whole model with every held
variable fixed would cost work that grows with the whole model (CP-SAT's presolve removes
the held variables one model at a time), not with the part. Instead the model's linear
rows are read once into arrays (`LinearRows.of`), and each part becomes a
small model of its free variables only (`LinearRows.part`): every row keeps its free
terms, its bounds moved by what its held terms contribute, and the objective counts the
held part as a constant, so the part's objective is the whole plan's. A row without a free
term is left out: it holds if the held values keep it, and if they do not, the part has
no plan.

Only plain linear rows can be split so (every rule of `model` and of the edits
the frontier and insights add is one); `NotLinear` says when a model has another kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class NotLinear(Exception):
    """The model holds a constraint that is not a plain linear row."""


@dataclass(frozen=True)
class LinearRows:
    """A model's linear rows as arrays, entry by entry in row order."""

    model: cp_model.CpModel
    row: np.ndarray  # row of each entry
    col: np.ndarray  # variable of each entry
    coef: np.ndarray
    lower: np.ndarray  # per row
    upper: np.ndarray
    objective_col: np.ndarray
    objective_coef: np.ndarray

    @classmethod
    def of(cls, model: cp_model.CpModel) -> LinearRows:
        proto = model.proto
        if proto.has_floating_point_objective():
            raise NotLinear("a floating-point objective")
        cols, coefs, bounds = [], [], []
        for constraint in proto.constraints:
            if not constraint.has_linear() or len(constraint.enforcement_literal):
                raise NotLinear(constraint.name or "a constraint that is not a linear row")
            domain = list(constraint.linear.domain)
            if len(domain) != 2:
                raise NotLinear(constraint.name or "a linear row with holes in its domain")
            cols.append(list(constraint.linear.vars))
            coefs.append(list(constraint.linear.coeffs))
            bounds.append(domain)
        sizes = np.array([len(c) for c in cols], dtype=np.int64)
        limits = np.array(bounds, dtype=np.int64).reshape(-1, 2)
        return cls(
            model=model,
            row=np.repeat(np.arange(len(cols), dtype=np.int64), sizes),
            col=np.fromiter((v for c in cols for v in c), dtype=np.int64, count=int(sizes.sum())),
            coef=np.fromiter((k for c in coefs for k in c), dtype=np.int64,
                             count=int(sizes.sum())),
            lower=limits[:, 0],
            upper=limits[:, 1],
            objective_col=np.array(list(proto.objective.vars), dtype=np.int64),
            objective_coef=np.array(list(proto.objective.coeffs), dtype=np.int64),
        )

    def activity(self, values: np.ndarray) -> np.ndarray:
        """Each row's value at `values` (one per variable)."""
        terms = (self.coef * values[self.col]).astype(np.float64)  # exact below 2**53
        return np.bincount(self.row, terms, len(self.lower)).round().astype(np.int64)

    def broken(self, activity: np.ndarray) -> np.ndarray:
        """Per row: whether `activity` is outside its bounds."""
        return (activity < self.lower) | (activity > self.upper)

    def keeps(self, values: np.ndarray) -> bool:
        """Whether `values` keep every row, and every variable not at 0 is in its domain
        (every variable of `planner.solve.model` may be 0)."""
        if self.broken(self.activity(values)).any():
            return False
        variables = self.model.proto.variables
        for i in np.flatnonzero(values).tolist():
            domain = list(variables[i].domain)
            pairs = zip(domain[::2], domain[1::2], strict=True)
            if not any(lo <= values[i] <= hi for lo, hi in pairs):
                return False
        return True

    def objective(self, values: np.ndarray) -> float:
        """The model's objective at `values`, in its own units."""
        whole = self.model.proto.objective
        linear = int((self.objective_coef * values[self.objective_col]).sum())
        return (whole.scaling_factor or 1.0) * (linear + whole.offset)

    def part(self, held: np.ndarray, value: np.ndarray,
             hint: dict[int, int] | None = None) -> SubModel:
        """The model of every variable but the `held` ones (variable indices), those at
        `value`, with the `hint`'s values of the free variables as its hint."""
        count = len(self.model.proto.variables)
        is_held = np.zeros(count, dtype=bool)
        is_held[held] = True
        values = np.zeros(count, dtype=np.int64)
        values[held] = value
        free = np.flatnonzero(~is_held)
        sub_of = np.full(count, -1, dtype=np.int64)
        sub_of[free] = np.arange(len(free))
        sub = cp_model.CpModel()
        variables = self.model.proto.variables
        for i in free.tolist():
            sub.proto.variables.add().domain.extend(list(variables[i].domain))
        self._add_rows(sub, is_held, values, sub_of)
        self._add_objective(sub, is_held, values, sub_of)
        if hint:
            chosen = [i for i in free.tolist() if i in hint]
            sub.proto.solution_hint.vars.extend(sub_of[chosen].tolist())
            sub.proto.solution_hint.values.extend([hint[i] for i in chosen])
        return SubModel(sub, free, values)

    def _add_rows(self, sub: cp_model.CpModel, is_held: np.ndarray, values: np.ndarray,
                  sub_of: np.ndarray) -> None:
        held_entry = is_held[self.col]
        activity = self.activity(values)  # the free variables are 0 in `values`
        entries = np.flatnonzero(~held_entry)  # in row order
        rows, starts = np.unique(self.row[entries], return_index=True)
        only_held = np.ones(len(self.lower), dtype=bool)
        only_held[rows] = False
        if (self.broken(activity) & only_held).any():
            sub.add_bool_or([])  # the held values break a row: no plan of this part
        ends = np.append(starts[1:], len(entries))
        lower = _shifted(self.lower[rows], activity[rows])
        upper = _shifted(self.upper[rows], activity[rows])
        cols = sub_of[self.col[entries]].tolist()
        coefs = self.coef[entries].tolist()
        for k, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            linear = sub.proto.constraints.add().linear
            linear.vars.extend(cols[start:end])
            linear.coeffs.extend(coefs[start:end])
            linear.domain.extend([int(lower[k]), int(upper[k])])

    def _add_objective(self, sub: cp_model.CpModel, is_held: np.ndarray, values: np.ndarray,
                       sub_of: np.ndarray) -> None:
        whole = self.model.proto.objective
        held = is_held[self.objective_col]
        constant = int((self.objective_coef[held] * values[self.objective_col[held]]).sum())
        objective = sub.proto.objective
        objective.vars.extend(sub_of[self.objective_col[~held]].tolist())
        objective.coeffs.extend(self.objective_coef[~held].tolist())
        objective.offset = whole.offset + constant
        objective.scaling_factor = whole.scaling_factor or 1.0


@dataclass(frozen=True)
class SubModel:
    """A part's own model, and how its variables map back to the whole model's."""

    model: cp_model.CpModel
    free: np.ndarray  # the whole model's index of each of this model's variables
    held: np.ndarray  # every variable's value, the free ones 0

    def values(self, solver: cp_model.CpSolver) -> np.ndarray:
        """Every variable of the whole model: held, or as the solver found it."""
        values = self.held.copy()
        values[self.free] = np.array(list(solver.response_proto.solution), dtype=np.int64)
        return values


def _shifted(bound: np.ndarray, activity: np.ndarray) -> np.ndarray:
    """Bounds less the held activity; an open end stays open."""
    moved = bound - activity
    moved[bound == INT_MIN] = INT_MIN
    moved[bound == INT_MAX] = INT_MAX
    return moved
