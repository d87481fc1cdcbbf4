"""Plans of a model with edits: a rule, an objective or a start an analysis adds.

The insights, the frontier and the choice menus ask more of the model than `plan`'s
objective: one more position of a role, total autonomy at least epsilon, a start from
today's plan. An `Edit` says what to add; `plan_edited` builds the model, applies the
edits and solves it whole, or, where the strategy says the model is too large for the
time (`strategy.SolvePath.PART_BY_PART`), improves a start that keeps every rule part by
part (`large.polish`).

Whatever a variant maximises, the Plan's `objective` is the organisation's usual weighted
objective of that plan (Policy weights), so every variant compares with the optimum.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from planner.core.domain import Org
from planner.core.results import Plan, Status
from planner.solve.assemble import plan_of
from planner.solve.greedy import greedy_start
from planner.solve.large.polish import polished_start
from planner.solve.large.submodel import NotLinear
from planner.solve.large.work import (
    WHOLE_WORK_PER_SECOND,
    WorkBudget,
    counted_seconds,
    whole_search_work,
)
from planner.solve.model import (
    SCALE,
    BuiltModel,
    build_model,
    maximise_keeping,
    objective_points,
)
from planner.solve.solver import SolveLimits, SolveResult, add_hints, relative_gap
from planner.solve.strategy import SolvePath, Strategy
from planner.solve.values import PlanValues
from planner.solve.whole import ADDED_RULES_CONFLICT, solve_whole


class Edit(Protocol):
    """Something added to a built model before it is solved: a rule, an objective, a start.

    An edit is a frozen dataclass at module level, so it pickles into a worker process.
    `apply` names what it adds in `built.rules`, so the Plan's report lists it.
    """

    def apply(self, built: BuiltModel) -> None: ...


@dataclass(frozen=True)
class StartFrom:
    """A start: a plan's values as the solver's hint (the helper variables derived, so the
    hint is complete); the solver still searches (and proves) as usual."""

    values: PlanValues

    @classmethod
    def of(cls, plan: Plan) -> StartFrom:
        return cls(PlanValues.of_plan(plan))

    def apply(self, built: BuiltModel) -> None:
        """The solver's hint, unless an earlier start gave one: with several starts, the
        first is the hint and the part-by-part path tries each in turn (`_starts`)."""
        if not built.model.proto.solution_hint.vars:
            add_hints(built.model, self.values.variables(built))


@dataclass(frozen=True)
class StayNear:
    """Among plans of equal value, the one that keeps most of `values`' placements (a
    scenario against its baseline): a lexicographic tie-break, and `values` as the start.
    Used alone, so the plan keeps a bound of the usual objective."""

    values: PlanValues

    def apply(self, built: BuiltModel) -> None:
        kept = [x for x, c in zip(built.x, built.candidates, strict=True)
                if c.key in self.values.placements]
        step = maximise_keeping(built.model, built.objective_terms, kept)
        built.objective_terms = [(var, step * coef) for var, coef in built.objective_terms]
        built.objective_terms += [(var, 1) for var in kept]
        built.tie_break_step = step
        add_hints(built.model, self.values.variables(built))
        built.rules.append("tie-break: among plans of equal value, the fewest changes")


def plan_edited(org: Org, edits: tuple[Edit, ...], limits: SolveLimits,
                strategy: Strategy) -> tuple[Plan, Strategy]:
    """The plan of `org`'s model with `edits`, and the strategy that made it. Solved whole,
    the greedy fallback is off: the greedy start knows none of the added rules."""
    built = build_model(org)
    usual, rules_before = list(built.objective_terms), len(built.rules)
    for edit in edits:
        edit.apply(built)
    counted = (counted_seconds(limits.time_limit, len(built.candidates))
               if limits.reproducible else None)
    found = (_polished(built, edits, limits, counted)
             if strategy.path is SolvePath.PART_BY_PART else None)
    if found is not None:
        plan = plan_of(built, found)
    else:
        if strategy.path is SolvePath.PART_BY_PART:
            strategy = strategy.fell_back("no start keeps every rule")
        plan = solve_whole(org, built, _on_its_work(limits, counted))
        if plan.status is Status.UNKNOWN:  # no plan in the time: a given start, if it keeps
            kept = _kept_start(built, edits, limits)  # every rule, is one
            if kept is not None:  # its seconds: the search's and the check's
                plan = plan_of(built, replace(kept, seconds=plan.solve_seconds + kept.seconds))
                strategy = replace(strategy, reason=f"{strategy.reason}; the search found no "
                                   "plan in the time, so the start given (it keeps every "
                                   "rule)")
    if plan.kpis is None and plan.status is not Status.UNKNOWN:
        return _infeasible(plan, tuple(built.rules[rules_before:])), strategy
    if built.objective_terms is not usual and plan.kpis is not None:
        values = PlanValues.of_plan(plan).variables(built)
        objective = round(objective_points(usual, values), 2)
        plan = replace(plan, objective=objective, **_usual_bound(plan, objective, built))
    return plan, strategy


def _usual_bound(plan: Plan, objective: float, built: BuiltModel) -> dict[str, float | None]:
    """The bound and gap of the usual objective: known under a tie-break alone (its
    bound over the step); under an objective of an edit's own no bound, and the gap
    stays that of the edit's own problem."""
    if built.tie_break_step == 1 or plan.bound is None:
        return {"bound": None}
    bound = max(objective, round(plan.bound / built.tie_break_step, 2))
    return {"bound": bound, "gap": relative_gap(objective, bound)}


def _on_its_work(limits: SolveLimits, counted: float | None) -> SolveLimits:
    """The whole model's limits, without the greedy fallback; reproducible (`counted`
    seconds), its search stops on the work of those seconds, at most the work CP-SAT does
    at pace (`PLAN_WORK_AT_PACE`), the clock a guard."""
    kept = replace(limits, greedy_fallback=False)
    if counted is None:
        return kept
    return replace(kept, work_limit=whole_search_work(counted, WHOLE_WORK_PER_SECOND))


def _polished(built: BuiltModel, edits: tuple[Edit, ...], limits: SolveLimits,
              counted: float | None = None) -> SolveResult | None:
    """The first start that keeps every rule (`_starts`), improved part by part for the
    time limit (`polish.polished_start`), or, reproducible, for the work of the `counted`
    seconds; None when no start keeps them, or when an edit added a rule that is not a
    linear row (a part cannot hold it: `submodel.NotLinear`)."""
    deadline = time.perf_counter() + limits.time_limit
    work = (None if counted is None
            else WorkBudget.for_polish(counted))
    try:
        for start in _starts(built, edits):
            found = polished_start(built, start, deadline, limits.seed, work)
            if found is not None:
                return found
    except NotLinear:
        pass
    return None


def _kept_start(built: BuiltModel, edits: tuple[Edit, ...], limits: SolveLimits
                ) -> SolveResult | None:
    """The first start a caller gave that keeps every rule, as a plan (no bound)."""
    try:
        for edit in edits:
            if isinstance(edit, StartFrom):
                found = polished_start(built, edit.values, time.perf_counter(), limits.seed,
                                       WorkBudget(0.0))  # checked, not searched
                if found is not None:
                    return found
    except NotLinear:
        pass
    return None


def _starts(built: BuiltModel, edits: tuple[Edit, ...]) -> Iterator[PlanValues]:
    """The starts the caller gave, if any (a caller comparing with its own plan wants the
    variant near it), else the greedy plan of the edited objective."""
    given = [edit.values for edit in edits if isinstance(edit, StartFrom)]
    yield from given
    if not given:
        yield greedy_start(_valued_as_maximised(built))


def _valued_as_maximised(built: BuiltModel) -> BuiltModel:
    """`built` with each placement valued by its term in the objective the model now
    maximises, so the greedy plan takes first what the edits value most."""
    coefficient = {var.index: coef for var, coef in built.objective_terms}
    return replace(built, points=[coefficient.get(x.index, 0) / SCALE for x in built.x])


def _infeasible(plan: Plan, added: tuple[str, ...]) -> Plan:
    """No plan keeps the edits and the model's rules together.

    `solve_whole` looks for the conflict in the model without the edits. Where that
    model has no plan either, the rules it names conflict; where it holds (its Plan has no
    conflict), the edits are what cannot be met, so they are named as the conflict.
    """
    return replace(plan, status=Status.INFEASIBLE, objective=None, bound=None, gap=None,
                   conflicts=_own_conflicts(plan) or added or ("the rules added to the model",))


def _own_conflicts(plan: Plan) -> tuple[str, ...]:
    """The conflict `solve_whole` named among the organisation's own rules, if it found
    one there (not only that the rules added conflict with them)."""
    return () if plan.conflicts == (ADDED_RULES_CONFLICT,) else plan.conflicts
