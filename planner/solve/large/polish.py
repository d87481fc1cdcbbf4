"""Part of a plan solved exactly, the rest held: to complete a plan and to improve one.

The whole model of a few hundred people is too large for one CP-SAT worker to search well
in a minute, but a region of it (30 services, 100-130 people) is solved in seconds, often
to optimality. Here every placement and vacancy outside the free services is held at the
plan's value (and the people placed there are held out of the free services), and the
free part is solved as a model of its own (`submodel`), while every rule still
counts the held part (budget, supervision in a region, the tier menu, and any rule or
objective a caller added to the model).

`PartSolver.solve` finds the free services' plans for a partial plan (the services
`dive` left) or a better plan of them; `polish` re-solves one region (or part of one) at a
time, from the plan as a hint, and keeps what scores more. Both only ever return plans
that keep every rule of the model. A model too large to build whole is polished the same
way by `neighbourhood.NeighbourhoodParts`, each part on a model of its own neighbourhood.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Protocol

import numpy as np
from ortools.sat.python import cp_model

from planner.core.domain import Org
from planner.core.results import Status
from planner.solve.large.submodel import LinearRows
from planner.solve.large.work import WorkBudget
from planner.solve.model import SCALE, BuiltModel
from planner.solve.regions import region_parts
from planner.solve.solver import (
    CLOCK_CUTS,
    SolveLimits,
    SolveResult,
    against_bound,
    relative_gap,
    scores_more,
    solver_for,
    stopped_by_the_clock,
)
from planner.solve.values import PlanValues

POLISH_SERVICES = 12  # services solved at once when a plan is improved, about
POLISH_WORK = 1.5  # per part, in CP-SAT's deterministic time (about seconds here): parts
# this size are mostly proven optimal in it
MIN_SECONDS = 0.5  # a part is not started with less time than this left
MIN_PART_WORK = 0.1  # nor with less work than this left of a budget
# a polish that may grow its parts (`polish(grow=True)`) doubles them once every cut finds
# nothing better, up to this many services a part, each part's work growing with it: the
# plan of twelve services at a time is a local optimum, and larger parts see past it
GROWN_SERVICES = 48
# a polish that may shuffle (`polish(shuffle=True)`) then cuts each region afresh, in
# parts of about this many services drawn at random: the fixed cuts put each service
# with the same few others, and on S08's shape the plan they leave gained 20 points in
# 20 s from shuffled parts of 12 services, 37 from parts of 36 (bench/README.md)
SHUFFLED_SERVICES = 36
EMPTY_DRAWS = 20  # drawn cuts in a row whose parts are all proven: the polish then ends


class Parts(Protocol):
    """What solves the parts of an organisation's plans, and counts its work."""

    org: Org
    work: float  # CP-SAT's deterministic time over every part solved
    parts: int  # parts solved

    def solve(self, plan: PlanValues, free: set[str], work: float, seconds: float, seed: int,
              hint: PlanValues | None = None) -> SolveResult | None:
        """The best plan found within `work` and `seconds` that keeps `plan` outside the
        `free` services, from `hint`; None when none is found."""
        ...


class PartSolver:
    """Solves parts of one model's plans. The model's rows, and where each placement and
    vacancy is, are read once (on a large model that takes seconds)."""

    def __init__(self, built: BuiltModel):
        self.built = built
        self.org = built.org
        self.rows = LinearRows.of(built.model)
        service = {s.service_id: k for k, s in enumerate(built.org.services)}
        person = {p.psw_id: k for k, p in enumerate(built.org.psws)}
        cands = built.candidates
        self.x_index = np.array([var.index for var in built.x], dtype=np.int64)
        self.x_service = np.array([service[c.service.service_id] for c in cands], dtype=np.int64)
        self.x_person = np.array([person[c.psw.psw_id] for c in cands], dtype=np.int64)
        self.slot_index = np.array([s.var.index for s in built.vacancies], dtype=np.int64)
        self.slot_service = np.array([service[s.service.service_id] for s in built.vacancies],
                                     dtype=np.int64)
        self.service = service
        self.people = len(person)
        self._hinted: tuple[PlanValues, dict[int, int]] | None = None
        self.work = 0.0  # CP-SAT's deterministic time over every part solved
        self.parts = 0  # parts solved

    def solve(self, plan: PlanValues, free: set[str], work: float, seconds: float, seed: int,
              hint: PlanValues | None = None) -> SolveResult | None:
        """The best plan CP-SAT finds within `work` (its deterministic time, so the same on
        every run) and `seconds` (a guard) that keeps `plan` outside the `free` services,
        from `hint`. None when it finds none."""
        index, value = self.held(plan, free)
        part = self.rows.part(index, value, None if hint is None else self._variables(hint))
        limits = SolveLimits(seconds, seed, work_limit=work)
        solver = solver_for(limits)
        status = solver.solve(part.model)
        stopped_by_the_clock(solver, limits, status)
        self.work += solver.deterministic_time
        self.parts += 1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        objective, bound = solver.objective_value / SCALE, solver.best_objective_bound / SCALE
        return self.result(part.values(solver),
                           Status.OPTIMAL if status == cp_model.OPTIMAL else Status.FEASIBLE,
                           objective, bound, solver.wall_time)

    def result(self, values: np.ndarray, status: Status, objective: float,
               bound: float | None, seconds: float) -> SolveResult:
        """A plan given by every variable's value, as a solver result."""
        gap = None if bound is None else relative_gap(objective, bound)
        return SolveResult(status, objective, bound, gap, seconds,
                           PlanValues.of_variables(self.built, values))

    def held(self, plan: PlanValues, free: set[str]) -> tuple[np.ndarray, np.ndarray]:
        """(variable indices, values): every placement and vacancy outside the free
        services at the plan's value, and 0 for the free services' placements of people
        placed outside them."""
        free_services = np.array([self.service[s] for s in free], dtype=np.int64)
        inside = np.isin(self.x_service, free_services)
        placed = np.zeros(len(self.x_index), dtype=bool)
        placed[plan.chosen(self.built)] = True
        placed_out = np.zeros(self.people, dtype=bool)
        placed_out[self.x_person[placed & ~inside]] = True
        held_x = ~inside | placed_out[self.x_person]
        held_slot = ~np.isin(self.slot_service, free_services)
        index = np.concatenate([self.x_index[held_x], self.slot_index[held_slot]])
        positions = np.asarray(plan.vacancies(self.built), dtype=np.int64)
        value = np.concatenate([(placed & ~inside)[held_x].astype(np.int64),
                                positions[held_slot]])
        return index, value

    def _variables(self, plan: PlanValues) -> dict[int, int]:
        """`plan.variables`, kept for the next part while the plan is the same."""
        if self._hinted is None or self._hinted[0] is not plan:
            self._hinted = (plan, plan.variables(self.built))
        return self._hinted[1]


def polish(solver: Parts, plan: SolveResult, deadline: float, seed: int,
           on_better: Callable[[SolveResult], None], work: WorkBudget | None = None,
           rank: Callable[[PlanValues, set[str]], float] | None = None,
           grow: bool = False, shuffle: bool = False) -> SolveResult:
    """Improve `plan` one part at a time (each solved by `solver`) until `deadline`
    (perf_counter) comes, the parts of every cut (`parts`) find nothing better in a row,
    or (if given) the `work` is spent, each part's work taken off it; `on_better` hears
    each better plan. With `rank`, each cut's parts are taken highest first, as ranked
    on the plan as it is when the cut begins. With `grow`, parts that find nothing
    better in a row are doubled (to GROWN_SERVICES) and the cuts begin again. With
    `shuffle` and no `work` (on the clock), once they find nothing better (and can grow
    no further), each region is cut afresh every time, in parts of SHUFFLED_SERVICES
    services drawn at random (`shuffled_parts`, from `seed`), until the deadline (or
    every part of EMPTY_DRAWS cuts in a row is proven): time the polish would otherwise
    leave unused. A part proven optimal with the rest of the plan as it is is not solved
    again until the plan changes (the cuts of a small region, or of grown parts,
    repeat)."""
    best, idle, services, empty = plan, 0, POLISH_SERVICES, 0
    proven: set[frozenset[str]] = set()
    draw = random.Random(seed)
    cuts: Iterator[str | None] = itertools.cycle(CUTS)
    while True:
        cut = next(cuts)
        improved, solved = False, 0
        groups = (shuffled_parts(solver.org, SHUFFLED_SERVICES, draw) if cut is None
                  else parts(solver.org, cut, services))
        for free in _ranked(groups, best, rank):
            if frozenset(free) in proven:
                continue
            left = deadline - time.perf_counter()
            if work is not None and not work.has(MIN_PART_WORK):
                return best
            if left < MIN_SECONDS:
                CLOCK_CUTS.add()
                return best
            width = services if cut is not None else SHUFFLED_SERVICES
            found = _solve_part(solver, best, free, width, work, left, seed)
            solved += 1
            if scores_more(found, best):
                best, improved = found, True
                proven.clear()
                on_better(best)
            elif found is not None and found.status is Status.OPTIMAL:
                proven.add(frozenset(free))
        if cut is None:
            empty = 0 if solved else empty + 1
            if empty == EMPTY_DRAWS:  # every part drawn is proven (a region is one part)
                return best
            continue
        idle = 0 if improved else idle + 1
        if idle == len(CUTS):
            if grow and 2 * services <= min(GROWN_SERVICES, len(solver.org.services)):
                idle, services = 0, 2 * services
            elif shuffle and work is None:  # on its work it would spend it all, and a
                cuts = itertools.repeat(None)  # reproducible run needs the slack it leaves
            else:
                return best


def _ranked(groups: list[set[str]], best: SolveResult,
            rank: Callable[[PlanValues, set[str]], float] | None) -> list[set[str]]:
    """The parts of a cut, highest `rank` first (as they are, without one)."""
    if rank is None:
        return groups
    ranks = [rank(best.values, free) for free in groups]
    return [groups[k] for k in sorted(range(len(groups)), key=lambda k: -ranks[k])]


def _solve_part(solver: Parts, best: SolveResult, free: set[str], services: int,
                work: WorkBudget | None, seconds: float, seed: int) -> SolveResult | None:
    """One part of `best` solved, its work (growing with the parts' size) taken off `work`."""
    most = POLISH_WORK * services / POLISH_SERVICES
    before = solver.work
    found = solver.solve(best.values, free, most if work is None else min(most, work.left),
                         seconds, seed, best.values)
    if work is not None:
        work.left -= solver.work - before
    return found


def polished_plan(solver: PartSolver, result: SolveResult, deadline: float, seed: int,
                  on_better: Callable[[SolveResult], None], work: WorkBudget | None = None,
                  grow: bool = False, shuffle: bool = False) -> SolveResult | None:
    """`result` (a plan of the solver's model) improved by `polish` until `deadline`
    (perf_counter) or the `work` is spent, against the same bound (status `optimal` only
    where the plan meets it; `feasible` without one); None when the plan breaks a rule of
    the model."""
    began = time.perf_counter()
    values = result.values.array(solver.built)
    if not solver.rows.keeps(values):
        return None
    start = solver.result(values, Status.FEASIBLE, solver.rows.objective(values) / SCALE,
                          None, 0.0)
    best = polish(solver, start, deadline, seed, on_better, work, grow=grow, shuffle=shuffle)
    seconds = result.seconds + time.perf_counter() - began
    if result.bound is None:  # no bound to measure it against: never called optimal
        return replace(best, status=Status.FEASIBLE, bound=None, gap=None, seconds=seconds)
    return against_bound(best.objective or 0.0, result.bound, seconds, best.values)


def polished_start(built: BuiltModel, start: PlanValues, deadline: float,
                   seed: int, work: WorkBudget | None = None) -> SolveResult | None:
    """A plan of `built` from `start`, improved by `polish` until `deadline`
    (perf_counter) or, if given, the `work` is spent; None when the start breaks a rule
    of the model. For a model too large
    for CP-SAT to search as a whole in the time, with rules or an objective of a caller's
    own. It proves nothing: the plan is `feasible` and has no bound."""
    began = time.perf_counter()
    solver = PartSolver(built)
    plan = SolveResult(Status.FEASIBLE, None, None, None, 0.0, start)
    best = polished_plan(solver, plan, deadline, seed, lambda _: None, work)
    return None if best is None else replace(best, seconds=time.perf_counter() - began)


CUTS = ("regions", "shifted", "paired")


def parts(org: Org, cut: str = "regions", services: int = POLISH_SERVICES) -> list[set[str]]:
    """The services in parts of about `services`, by region. `shifted`: each
    region's cuts half a part further on, so services apart before meet; `paired`: the
    parts two by two, each with one half the list away (mostly another region), so
    budget and people can move between regions."""
    groups = [set(ids) for ids in region_parts(org, services, cut == "shifted")]
    if cut == "paired" and len(groups) > 1:
        half = -(-len(groups) // 2)
        groups = [groups[i] | (groups[i + half] if i + half < len(groups) else set())
                  for i in range(half)]
    return groups


def shuffled_parts(org: Org, services: int, draw: random.Random) -> list[set[str]]:
    """Each region's services in an order drawn by `draw`, cut into as few equal parts as
    hold at most `services`: a new cut each time, services meeting others they have not."""
    return [set(ids) for ids in region_parts(org, services, draw=draw)]
