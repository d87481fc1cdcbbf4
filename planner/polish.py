"""Part of a plan solved exactly, the rest held: to complete a plan and to improve one.

The whole model of a few hundred people is too large for one CP-SAT worker to search well
in a minute, but a region of it (30 services, 100-130 people) is solved in seconds, often
to optimality. Here the whole model is copied with every placement and vacancy outside
the free services held at the plan's value (and the people placed there held out of the
free services), so CP-SAT's presolve leaves only the free part, while every rule still
counts the held part (budget, supervision in a region, the tier menu).

`complete` finds the free services' plans for a partial plan (the services `planner.dive`
left); `polish` re-solves one region (or part of one) at a time, from the plan as a hint,
and keeps what scores more. Both only ever return plans that keep every rule of the model.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import TypeGuard

from planner.model import BuiltModel
from planner.results import Status
from planner.solve import SolveLimits, SolveResult, add_hints, plan_values, solve

POLISH_SERVICES = 12  # services solved at once when a plan is improved, about
POLISH_WORK = 1.5  # per part, in CP-SAT's deterministic time (about seconds here): parts
# this size are mostly proven optimal in it
MIN_SECONDS = 0.5  # a part is not started with less time than this left


def solve_part(built: BuiltModel, chosen: set[int], vacancies: list[int], free: set[str],
               work: float, seconds: float, seed: int, hint: bool = True) -> SolveResult | None:
    """The best plan CP-SAT finds within `work` (its deterministic time, so the same on
    every run) and `seconds` (a guard) that keeps the plan (`chosen` candidate indices,
    positions per vacancy slot) outside the `free` services; the plan itself is the hint
    when `hint`. None when it finds none."""
    model = built.model.clone()
    model.clear_hints()
    domains = model.proto.variables
    for index, value in held_values(built, chosen, vacancies, free).items():
        domain = domains[index].domain
        domain[0] = domain[1] = value
    if hint:
        add_hints(model, plan_values(built, sorted(chosen), vacancies))
    result = solve(replace(built, model=model),
                   SolveLimits(seconds, seed, greedy_fallback=False, work_limit=work))
    if result.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return None
    return result


def held_values(built: BuiltModel, chosen: set[int], vacancies: list[int],
                free: set[str]) -> dict[int, int]:
    """Variable index -> value for every placement and vacancy outside the free services,
    and 0 for the free services' placements of people placed outside them."""
    candidates = built.candidates
    placed_out = {candidates[i].psw.psw_id for i in chosen
                  if candidates[i].service.service_id not in free}
    values: dict[int, int] = {}
    for i, (var, cand) in enumerate(zip(built.x, candidates, strict=True)):
        if cand.service.service_id not in free:
            values[var.index] = int(i in chosen)
        elif cand.psw.psw_id in placed_out:
            values[var.index] = 0
    for slot, positions in zip(built.vacancies, vacancies, strict=True):
        if slot.service.service_id not in free:
            values[slot.var.index] = positions
    return values


def complete(built: BuiltModel, chosen: set[int], vacancies: list[int], free: set[str],
             work: float, seconds: float, seed: int) -> SolveResult | None:
    """Plans for the `free` services, the rest of the partial plan held."""
    return solve_part(built, chosen, vacancies, free, work, seconds, seed, hint=False)


def polish(built: BuiltModel, plan: SolveResult, deadline: float, seed: int,
           on_better: Callable[[SolveResult], None]) -> SolveResult:
    """Improve `plan` one part at a time until `deadline` (perf_counter) comes or the
    parts of every cut (`parts`) find nothing better in a row; `on_better` hears each
    better plan."""
    best, idle = plan, 0
    for cut in itertools.cycle(CUTS):
        improved = False
        for free in parts(built, cut):
            left = deadline - time.perf_counter()
            if left < MIN_SECONDS:
                return best
            found = solve_part(built, set(best.chosen), best.vacancies, free,
                               POLISH_WORK, left, seed)
            if _scores_more(found, best):
                best, improved = found, True
                on_better(best)
        idle = 0 if improved else idle + 1
        if idle == len(CUTS):
            return best
    return best


def _scores_more(found: SolveResult | None, best: SolveResult) -> TypeGuard[SolveResult]:
    return (found is not None and found.objective is not None and best.objective is not None
            and found.objective > best.objective + 1e-6)


CUTS = ("regions", "shifted", "paired")


def parts(built: BuiltModel, cut: str = "regions") -> list[set[str]]:
    """The services in parts of about POLISH_SERVICES, by region. `shifted`: each
    region's cuts half a part further on, so services apart before meet; `paired`: the
    parts two by two, each with one half the list away (mostly another region), so
    budget and people can move between regions."""
    by_region: dict[str, list[str]] = defaultdict(list)
    for service in built.org.services:
        by_region[service.region or ""].append(service.service_id)
    groups = []
    for _, ids in sorted(by_region.items()):
        count = -(-len(ids) // POLISH_SERVICES)
        size = -(-len(ids) // count)
        if cut == "shifted" and count > 1:
            ids = ids[size // 2:] + ids[: size // 2]
        groups += [set(ids[i:i + size]) for i in range(0, len(ids), size)]
    if cut == "paired" and len(groups) > 1:
        half = -(-len(groups) // 2)
        groups = [groups[i] | (groups[i + half] if i + half < len(groups) else set())
                  for i in range(half)]
    return groups
