"""A plan from the bound's own work, found on the second core (`side_bound`).

Once the Lagrangian bound has converged, its master knows a near-best mix of whole
service plans. This turns it into a plan of the model: the dive fixes most services to
one plan each (`dive`), CP-SAT completes the few left with the rest held, then
improves the plan one region at a time (`polish`). Each plan found is handed on
(`on_plan`) by its keys, so the planning process can check it against its own model and
keep it when it scores more than its own (measured on the 600-PSW sample: 90,983 after
21 s and 91,001 by 60 s, where CP-SAT on the whole model has 90,800 after 60 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.core.domain import Org
from planner.solve.large.dive import dive
from planner.solve.large.lagrange import ServicePlans
from planner.solve.large.polish import MIN_SECONDS, complete, polish
from planner.solve.model import BuiltModel, build_model
from planner.solve.solver import PlanKeys, SolveResult, plan_keys

COMPLETE_WORK = 3.0  # CP-SAT's deterministic time for the services the dive leaves


@dataclass(frozen=True)
class KeyedPlan:
    """A plan by keys that survive a rebuild of the model (`solve.plan_keys`), with its
    objective."""

    objective: float
    keys: PlanKeys


def search_plan(org: Org, search: ServicePlans, keys: list[tuple[str, str, str]],
                deadline: float, seed: int, on_plan: Callable[[KeyedPlan], None]) -> None:
    """Dive, complete and polish until `deadline` (perf_counter); `keys` are the
    relaxation's placements (in column order)."""
    built = build_model(org, prune=True)
    index = {c.key: i for i, c in enumerate(built.candidates)}
    pruned = np.array([key not in index for key in keys], dtype=bool)
    fixed = dive(search, deadline - COMPLETE_WORK, left_out=pruned)
    chosen = {index[keys[c]] for c in fixed.placements().tolist()}
    positions = [0] * len(built.vacancies)  # vacancy columns and slots: one order
    for plan in fixed.plans.values():
        for column, count in plan.vacancies.items():
            positions[column] = count
    free = {s.service_id for k, s in enumerate(org.services) if k not in fixed.plans}
    left = deadline - time.perf_counter()
    if left < MIN_SECONDS:
        return
    found = complete(built, chosen, positions, free, COMPLETE_WORK, left, seed)
    if found is None:
        return
    on_plan(keyed(built, found))
    polish(built, found, deadline, seed, lambda better: on_plan(keyed(built, better)))


def keyed(built: BuiltModel, result: SolveResult) -> KeyedPlan:
    return KeyedPlan(result.objective or 0.0,  # a plan found has its objective
                     plan_keys(built, result.chosen, result.vacancies))
