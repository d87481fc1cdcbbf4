"""Plan an organisation under edits to its model, many at a time, in worker processes.

`plan_many` re-plans changed organisations. The insights, the frontier and the choice
menus need more: a rule or an objective of their own on the model `build_model` builds
(one more position of a role, total autonomy at least epsilon, one placement pinned).
An `Edit` says what to add; `plan_variant` builds the model, applies the edits, solves
it with `planning.solve_built` and returns a full Plan. `Workers` runs many variants (or
any picklable task, such as the menus' pinned solves) in spawned processes, as
`planner.analyses.parallel` does, and keeps the processes for the next batch (the frontier's
interior points wait for its extremes; a pool started once saves the second start-up of
every process).

Whatever a variant maximises, the Plan's `objective` is the organisation's usual weighted
objective of that plan (Policy weights), so every variant compares with the optimum.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from ortools.sat.python import cp_model

from planner.analyses.parallel import default_jobs
from planner.core.domain import Org
from planner.core.results import Plan, Status
from planner.solve import planning
from planner.solve.large import blocks
from planner.solve.large.child import no_spare_core
from planner.solve.large.polish import polished_start
from planner.solve.large.submodel import NotLinear
from planner.solve.model import SCALE, BuiltModel, build_model
from planner.solve.planning import limits_for, solve_built, uses_second_core
from planner.solve.solver import SolveLimits, SolveResult, add_hints, greedy_values

Key = tuple[str, str, str]  # (psw_id, role_id, service_id) of a placement
Positions = tuple[tuple[str, str, int], ...]  # (role_id, service_id, positions to recruit)
Task = TypeVar("Task")
Outcome = TypeVar("Outcome")


class Edit(Protocol):
    """Something added to a built model before it is solved: a rule, an objective, a hint.

    An edit is a frozen dataclass at module level, so it pickles into a worker process.
    `apply` names what it adds in `built.rules`, so the Plan's report lists it.
    """

    def apply(self, built: BuiltModel) -> None: ...


@dataclass(frozen=True)
class Variant:
    """An organisation to plan, the edits to its model, and the solver's time and seed
    (None: the org's Policy)."""

    org: Org
    edits: tuple[Edit, ...] = ()
    time_limit: float | None = None
    seed: int | None = None


@dataclass(frozen=True)
class PlanHint:
    """A warm start: a plan's placements and positions to recruit, as the solver's hint.

    The helper variables (lone peers, tiers offered) get the values the plan implies,
    so the hint is complete; the solver still searches (and proves) as usual.
    """

    placements: frozenset[Key]
    vacancies: Positions = ()

    @classmethod
    def of(cls, plan: Plan) -> PlanHint:
        return cls(placement_keys(plan), vacancy_positions(plan))

    def apply(self, built: BuiltModel) -> None:
        add_hints(built.model, plan_values(built, self.placements, self.vacancies))


# placements of a model with edits that CP-SAT takes, per second of the time limit, to a
# first plan of the whole model, about: on the 600-PSW sample (48,000) none at 12 s (the
# frontier's extremes), the first at 13-15 s
WHOLE_MODEL_PER_SECOND = 2_500


def plan_variant(variant: Variant) -> Plan:
    """Build, edit and solve one variant (in whatever process runs it).

    With no edits this is `planning.plan` (so a large organisation is planned block by
    block, with the second core when its process has one to spare). With edits the whole
    model is solved, with the greedy fallback off: the greedy start knows none of the
    added rules, so it cannot stand in for the solver. A model too large for CP-SAT to
    search as a whole in the time (`WHOLE_MODEL_PER_SECOND`, or as large as the block
    path always takes) is instead improved part by part from a start that keeps every
    rule, the edits' too (`_polished`): there CP-SAT on the whole model returns no plan
    at all (measured: the 600-PSW sample's frontier extremes at 12 s, a 2,000-PSW
    organisation's at 30 s).
    """
    org = variant.org
    if not variant.edits:
        return planning.plan(org, time_limit=variant.time_limit, seed=variant.seed)
    built = build_model(org)
    usual, rules_before = list(built.objective_terms), len(built.rules)
    for edit in variant.edits:
        edit.apply(built)
    limits = limits_for(org, time_limit=variant.time_limit, seed=variant.seed)
    polished = (_polished(built, variant.edits, limits) if planned_part_by_part(org, limits)
                else None)
    if polished is not None:
        plan = planning.plan_of(built, polished)
    else:
        plan = solve_built(org, built, replace(limits, greedy_fallback=False))
    if plan.kpis is None and plan.status is not Status.UNKNOWN:
        return _infeasible(plan, tuple(built.rules[rules_before:]))
    if built.objective_terms is not usual and plan.kpis is not None:
        values = plan_values(built, placement_keys(plan), vacancy_positions(plan))
        plan = replace(plan, objective=objective_value(usual, values), bound=None)
    return plan


def planned_part_by_part(org: Org, limits: SolveLimits) -> bool:
    """Whether a variant of `org` with edits is planned part by part (`plan_variant`)."""
    count = blocks.estimated_candidates(org)
    return count >= blocks.LARGE_CANDIDATES or count > WHOLE_MODEL_PER_SECOND * limits.time_limit


def _polished(built: BuiltModel, edits: tuple[Edit, ...], limits: SolveLimits
              ) -> SolveResult | None:
    """The first start that keeps every rule (`_starts`), improved part by part for the
    time limit (`polish.polished_start`); None when no start keeps them, or when an edit
    added a rule that is not a linear row (a part cannot hold it: `submodel.NotLinear`)."""
    deadline = time.perf_counter() + limits.time_limit
    try:
        for start in _starts(built, edits):
            found = polished_start(built, start, deadline, limits.seed)
            if found is not None:
                return found
    except NotLinear:
        pass
    return None


def _starts(built: BuiltModel, edits: tuple[Edit, ...]) -> Iterator[dict[int, int]]:
    """The hints' plans where the caller gave any (a caller comparing with its own plan
    wants the variant near it: from the greedy plan, the insights' variants of the 600-PSW
    sample came out 3,800 points below the plan they are compared with), else the
    greedy plan."""
    hints = [edit for edit in edits if isinstance(edit, PlanHint)]
    for hint in hints:
        yield plan_values(built, hint.placements, hint.vacancies)
    if not hints:
        yield greedy_values(_valued_as_maximised(built))


def _valued_as_maximised(built: BuiltModel) -> BuiltModel:
    """`built` with each placement valued by its term in the objective the model now
    maximises, so the greedy plan takes first what the edits value most (on the 600-PSW
    sample at 15 s, most total fit: 38,686 from this start against 38,377 from the usual
    greedy plan)."""
    coefficient = {var.index: coef for var, coef in built.objective_terms}
    return replace(built, points=[coefficient.get(x.index, 0) / SCALE for x in built.x])


def _infeasible(plan: Plan, added: tuple[str, ...]) -> Plan:
    """No plan keeps the edits and the model's rules together.

    `solve_built` looks for the conflict in the model without the edits, which holds
    (so its Plan has no solution but no conflict either); the edits are what cannot be
    met, so they are named as the conflict.
    """
    return replace(plan, status=Status.INFEASIBLE, objective=None, bound=None, gap=None,
                   conflicts=added or ("the rules added to the model",))


class Workers:
    """Worker processes for batches of independent solves, kept for the next batch.

    Each task runs in a spawned process (a clean interpreter: no solver threads
    inherited) with CP-SAT's single deterministic worker, so a result is the same as when
    solved alone. `jobs=1` runs everything in this process. Use as a context manager; a
    script that uses it needs the usual `if __name__ == "__main__":` guard.
    """

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or default_jobs())
        self._pool: Executor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def map(self, work: Callable[[Task], Outcome], tasks: Mapping[str, Task]) -> dict[str, Outcome]:
        """`work(task)` for every task, in parallel; the outcomes under the same names."""
        names = list(tasks)
        if self.jobs <= 1 or len(names) <= 1:
            return {name: work(tasks[name]) for name in names}
        pool = self._started()
        futures = {name: pool.submit(work, tasks[name]) for name in names}
        return {name: futures[name].result() for name in names}

    def plan(self, variants: Mapping[str, Variant], *,
             large_alone: bool = False) -> dict[str, Plan]:
        """Every variant's plan, under the same names. With `large_alone`, a plan that
        would put the second core to work on its own (a large organisation:
        `planning.uses_second_core`) is made in this process, one after another, so it is
        the plan `planning.plan` gives; side by side with others it has one core and is
        a poorer one. The rest are planned in parallel."""
        alone = [name for name, variant in variants.items()
                 if large_alone and _uses_second_core(variant)]
        plans = self.map(plan_variant, {name: variant for name, variant in variants.items()
                                        if name not in alone})
        plans |= {name: plan_variant(variants[name]) for name in alone}
        return {name: plans[name] for name in variants}

    def _started(self) -> Executor:
        if self._pool is None:
            context = mp.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                             initializer=no_spare_core)
        return self._pool


def _uses_second_core(variant: Variant) -> bool:
    """A variant `plan_variant` plans as `planning.plan` does, with the second core."""
    limits = limits_for(variant.org, time_limit=variant.time_limit, seed=variant.seed)
    return not variant.edits and uses_second_core(variant.org, limits)


# -- a plan's values on a model ---------------------------------------------------------


def placement_keys(plan: Plan) -> frozenset[Key]:
    return frozenset((a.psw_id, a.role_id, a.service_id) for a in plan.assignments)


def vacancy_positions(plan: Plan) -> Positions:
    return tuple((v.role_id, v.service_id, v.positions) for v in plan.vacancies)


def candidate_index(built: BuiltModel) -> dict[Key, int]:
    """Where each placement's variable is in `built.x`."""
    return {cand.key: i for i, cand in enumerate(built.candidates)}


def plan_values(
    built: BuiltModel, placements: Iterable[Key], vacancies: Positions
) -> dict[int, int]:
    """The value of every variable of the model (by proto index) for a given plan.

    Placements the model does not hold (another org's plan) are left out. The helper
    variables follow from the decisions by the model's own `derived` rules.
    """
    index = candidate_index(built)
    values = {var.index: 0 for var in built.x}
    for key in placements:
        if key in index:
            values[built.x[index[key]].index] = 1
    positions = {(role, service): n for role, service, n in vacancies}
    for slot in built.vacancies:
        key = (slot.role.role_id, slot.service.service_id)
        values[slot.var.index] = min(positions.get(key, 0), slot.max_positions)
    for var, rule in built.derived:
        values[var.index] = rule(values)
    return values


def objective_value(terms: Sequence[tuple[cp_model.IntVar, int]],
                    values: Mapping[int, int]) -> float:
    """A weighted sum of `(variable, coefficient)` terms at `values`, in points."""
    return round(sum(coef * values.get(var.index, 0) for var, coef in terms) / SCALE, 2)

