"""Re-solving a plan with one placement pinned, for the choice menus (`menus`).

Two ways, both ending in a whole plan that keeps every rule, so that any plan found within
reach of the optimum proves the placement a valid menu item:

- `Neighbourhood`: the whole model with every decision held at the optimum's value except
  those near the move (the person's, those of their current and new services, and the
  supervision of the regions whose need changes). Milliseconds a re-solve, even at 600
  PSWs; most items are proven this way.
- `solve_pin`: the whole model with the placement pinned, for the items the nearby
  re-solve cannot bring within reach (another service's people would have to move).

Among equally good plans each keeps the most other people in place (`maximise_keeping`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.solve.model import SCALE, BuiltModel, maximise_keeping, objective_points
from planner.solve.solver import SolveLimits, add_hints, solve, solver_for
from planner.solve.values import PlacementKey, PlanValues

NEARBY = "feasible: nearby placements re-solved"


@dataclass(frozen=True)
class PinOutcome:
    """What one re-solve found; `start` is the plan found nearby when it falls short of
    reach: a whole plan that keeps every rule, the whole-model re-solve's first hint."""

    key: PlacementKey
    status: str
    objective: float | None
    others_moved: int
    start: PlanValues | None = None


class Neighbourhood:
    """The whole model with every decision (placement, positions to recruit for) held at
    the optimum's value, to re-solve one pinned placement at a time with only the
    decisions near the move set free (`_NearIndex.free`).

    Holding a decision is setting its variable's domain to its value: the model keeps
    every rule and every helper variable (lone peers, tiers offered), so any solution is
    a whole plan that keeps every rule, and CP-SAT's presolve removes what is held in
    milliseconds. The one model is changed and restored for each pin rather than copied,
    and only what may change is read back: on a large model a copy, or reading every
    variable, costs more than the re-solve.
    """

    def __init__(self, built: BuiltModel, optimum: PlanValues):
        self.built = built
        self.optimum = optimum
        self.values = optimum.array(built)
        self.model = built.model.clone()
        self.model.clear_hints()
        self.domains = self.model.proto.variables
        self.bounds = {i: tuple(built.model.proto.variables[i].domain)
                       for i in [v.index for v in built.x] + [s.var.index for s in built.vacancies]}
        assert all(len(bounds) == 2 for bounds in self.bounds.values())  # one interval each
        for index in self.bounds:
            self._hold(index)
        self.near = _NearIndex(built, optimum)
        self.helpers = sorted({var.index for var, _ in built.derived})
        self.terms = np.array([var.index for var, _ in built.objective_terms], dtype=np.int64)
        self.coefs = np.array([coef for _, coef in built.objective_terms], dtype=np.int64)
        self.coef_of: dict[int, int] = {}
        for var, coef in built.objective_terms:
            self.coef_of[var.index] = self.coef_of.get(var.index, 0) + coef
        self.owner = {built.x[i].index: built.candidates[i].key[0]
                      for i in optimum.chosen(built)}
        self.x_index = np.array([var.index for var in built.x], dtype=np.int64)

    def solve(self, key: PlacementKey, limits: SolveLimits) -> PinOutcome:
        """The best plan with `key` pinned that changes only the decisions near it."""
        pin = self.built.x[self.built.candidate_index[key]].index
        free = self.near.free(key)
        try:
            for index in free:
                self._set(index, *self.bounds[index])
            self._set(pin, 1, 1)
            self._set_objective(free, key[0])
            add_hints(self.model, self._moved(free, key[0], pin))
            solver = solver_for(limits)
            status = solver.solve(self.model)
        finally:
            for index in [*free, pin]:
                self._hold(index)
            self.model.clear_hints()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return PinOutcome(key, f"{solver.status_name(status).lower()} nearby", None, 0)
        plan, objective = self._found(solver, free)
        return PinOutcome(key, NEARBY, objective,
                          others_moved(self.optimum.placements, plan.placements, key[0]), plan)

    def _hold(self, index: int) -> None:
        value = int(self.values[index])
        self._set(index, value, value)

    def _set(self, index: int, low: int, high: int) -> None:
        domain = self.domains[index].domain
        domain[0], domain[1] = low, high

    def _set_objective(self, free: Sequence[int], psw_id: str) -> None:
        """The objective over what may change (the held decisions add a constant), and
        among equally good plans the one that moves the fewest other people, as on the
        whole model (`solve_pin`)."""
        on = self.model.get_int_var_from_proto_index
        terms = [(on(i), self.coef_of[i]) for i in [*free, *self.helpers]
                 if self.coef_of.get(i)]
        kept = [on(i) for i in free if self.owner.get(i, psw_id) != psw_id]  # others' posts
        maximise_keeping(self.model, terms, kept)

    def _moved(self, free: Sequence[int], psw_id: str, pin: int) -> dict[int, int]:
        """The hint: the optimum with the person moved to the pinned placement, on the free
        decisions (the held ones are fixed, the helpers follow)."""
        hint = {i: int(self.values[i]) for i in free}
        hint.update({i: 0 for i in free if self.owner.get(i) == psw_id})
        hint[pin] = 1
        return hint

    def _found(self, solver: cp_model.CpSolver, free: Sequence[int]) -> tuple[PlanValues, float]:
        """The plan found and its objective (points): the optimum's values with those of
        the free decisions and the helpers read from the solver."""
        on = self.model.get_int_var_from_proto_index
        values = self.values.copy()
        read = [*free, *self.helpers]
        values[read] = [solver.value(on(i)) for i in read]
        chosen = np.flatnonzero(values[self.x_index]).tolist()
        plan = PlanValues.of_model(self.built, chosen,
                                   [int(values[s.var.index]) for s in self.built.vacancies])
        return plan, round(float(self.coefs @ values[self.terms]) / SCALE, 2)


class _NearIndex:
    """The decision variables (by proto index) near a move: the person's, those of their
    current and new services, and, when the move changes how many supervisors a region
    needs (it leaves or enters the region, or a supervisor role), the supervision of those
    regions: every supervisor placement and position there."""

    def __init__(self, built: BuiltModel, optimum: PlanValues):
        self.by_psw: dict[str, list[int]] = defaultdict(list)
        self.by_service: dict[str, list[int]] = defaultdict(list)
        self.supervision: dict[str, list[int]] = defaultdict(list)
        self.region = {s.service_id: s.region or "" for s in built.org.services}
        self.supervisor = {r.role_id for r in built.org.roles if r.supervisor}
        self.placed: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for psw_id, role_id, service_id in sorted(optimum.placements):
            self.placed[psw_id].append((role_id, service_id))
        for var, cand in zip(built.x, built.candidates, strict=True):
            self._add(var.index, cand.service.service_id, cand.role.supervisor)
            self.by_psw[cand.psw.psw_id].append(var.index)
        for slot in built.vacancies:
            self._add(slot.var.index, slot.service.service_id, slot.role.supervisor)

    def _add(self, index: int, service_id: str, supervisor: bool) -> None:
        self.by_service[service_id].append(index)
        if supervisor:
            self.supervision[self.region[service_id]].append(index)

    def free(self, key: PlacementKey) -> list[int]:
        """The decisions set free to re-solve `key` pinned, ascending."""
        psw_id, role_id, service_id = key
        posts = [*self.placed[psw_id], (role_id, service_id)]
        services = {s for _, s in posts}
        regions = {self.region[s] for s in services}
        found = set(self.by_psw[psw_id])
        found.update(*(self.by_service[s] for s in services))
        if len(regions) > 1 or len(posts) == 1 or any(r in self.supervisor for r, _ in posts):
            found.update(*(self.supervision[r] for r in regions))
        return sorted(found)


def solve_pin(built: BuiltModel, i: int, optimum_values: PlanValues, limits: SolveLimits,
               start: PlanValues | None = None) -> PinOutcome:
    """The best plan with placement `i` pinned; among equally good plans, the one that
    moves the fewest other people (each kept placement adds less than any objective step,
    so the tie-break never trades objective). The hint is `start` (a plan with the
    placement that keeps every rule) or else the optimum with the person moved."""
    psw_id = built.candidates[i].key[0]
    model = built.model.clone()
    on = model.get_int_var_from_proto_index
    model.add(on(built.x[i].index) == 1)
    optimum = optimum_values.placements
    kept = [on(built.x[j].index) for j, c in enumerate(built.candidates)
            if c.key in optimum and c.key[0] != psw_id]
    maximise_keeping(model, [(on(var.index), coef) for var, coef in built.objective_terms], kept)
    moved = frozenset({k for k in optimum if k[0] != psw_id} | {built.candidates[i].key})
    add_hints(model, (start or PlanValues(moved, optimum_values.positions)).variables(built))
    result = solve(replace(built, model=model), limits)
    if result.objective is None:
        return PinOutcome(built.candidates[i].key, result.status.value, None, 0)
    found = result.values.variables(built)
    return PinOutcome(built.candidates[i].key, result.status.value,
                      round(objective_points(built.objective_terms, found), 2),
                      others_moved(optimum, result.values.placements, psw_id))


def others_moved(before: frozenset[PlacementKey], after: frozenset[PlacementKey],
                  psw_id: str) -> int:
    """People other than `psw_id` whose placements differ between the two plans."""
    changed = {key[0] for key in before.symmetric_difference(after)}
    return len(changed - {psw_id})
