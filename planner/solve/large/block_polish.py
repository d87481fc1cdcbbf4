"""The joined block plan, improved a few services at a time with the rest held.

Blocks hold each person in one block and each block to its share of the budget; the
merges let people and budget cross only between the blocks they join. The joined plan is
then re-solved part by part (`polish`): anyone not placed elsewhere may join a part,
whatever budget the plan leaves is free to it, and the parts are cut three ways in turn.
Where the whole model builds in a small share of the time limit (`strategy`), on the
whole model; above, each part on the model of its neighbourhood (`neighbourhood`), the
parts where the plan falls furthest short of the LP relaxation first (`Shortfall`): there
is work for only a few of them. A reproducible plan's polish has a share of the blocks'
budget of CP-SAT's work, fixed before the first block (`work`), so the plan is still the
same every run; a plan on the clock polishes for the rest of its time limit, on the
whole model after a search by HiGHS near the LP's solution (`_searched_by_highs`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from planner.core.domain import Org
from planner.solve.candidates import Candidate
from planner.solve.large.lp_bound import Relaxation
from planner.solve.large.near_lp import FOUND, highs_near_the_lp
from planner.solve.large.neighbourhood import NeighbourhoodParts
from planner.solve.large.polish import PartSolver, polish, polished_plan
from planner.solve.large.work import (
    NEIGHBOURHOOD_WORK_PER_SECOND,
    POLISH_WORK_PER_SECOND,
    WorkBudget,
)
from planner.solve.model import (
    BuiltModel,
    build_model,
    placement_points,
    vacancy_value,
)
from planner.solve.solver import SolveResult, against_bound, scores_more
from planner.solve.values import PlacementKey, PlanValues

POLISHED = "polished_parts"  # model_stats key: the parts a polish re-solved, better or not
IMPROVED = "improved_by_the_polish"  # model_stats key: 1 when the polish found a better plan


@dataclass(frozen=True)
class Joined:
    """The block plan as `blocks.join` gives it: a view of the block models, the plan
    with the LP bound, and how many blocks it was cut into and merged back to."""

    built: BuiltModel
    result: SolveResult
    blocks: int
    after_merging: int
    # the LP's solution: HiGHS searches near it, and the neighbourhoods' parts are ranked
    # by its points (`Shortfall`)
    relaxation: Relaxation | None = None

    def lp_points(self) -> dict[str, float]:
        """The LP's points in each service (none without its solution)."""
        if self.relaxation is None:
            return {}
        return dict(zip([s.service_id for s in self.built.org.services],
                        self.relaxation.service_points().tolist(), strict=True))


class PolishOn(StrEnum):
    """Which model the joined plan's parts are re-solved on."""

    WHOLE_MODEL = "whole model"  # built once: the plan's model is then the whole model
    NEIGHBOURHOODS = "neighbourhoods"  # each part's own (`neighbourhood`): no whole build


# each polish's share of the blocks' work, taken before the blocks and merges share the
# rest (it also gets what they leave): on the whole model, where the blocks' work is
# plenty, more; from 2,000 PSWs on, where each block's work is scarce, less
SHARE = {PolishOn.WHOLE_MODEL: 0.4, PolishOn.NEIGHBOURHOODS: 0.15}
# on the clock, the share of the polish's time for HiGHS's search near the LP first
HIGHS_SHARE = 0.7


def polished(joined: Joined, work: WorkBudget | None, deadline: float, seed: int,
             on_better: Callable[[SolveResult], None], on: PolishOn = PolishOn.WHOLE_MODEL,
             whole: BuiltModel | None = None) -> tuple[BuiltModel, SolveResult]:
    """The joined plan improved part by part within `work` (in the blocks' units; None:
    the clock alone) and `deadline` (perf_counter), with its model: on the whole model
    (`whole` if already built), or each part on its neighbourhood's (the blocks' view then
    holding the plan)."""
    if on is PolishOn.NEIGHBOURHOODS:
        return _polished_by_neighbourhood(joined, work, deadline, seed, on_better)
    return polished_on_whole(joined, whole or build_model(joined.built.org, prune=True),
                             work, deadline, seed, on_better, shuffle=True)


def polished_on_whole(joined: Joined, whole: BuiltModel, work: WorkBudget | None,
                      deadline: float, seed: int, on_better: Callable[[SolveResult], None],
                      grow: bool = False, shuffle: bool = False,
                      ) -> tuple[BuiltModel, SolveResult]:
    """The joined plan improved part by part on `whole` (the org's whole model, which is
    then returned with it) within `work` (None: the clock alone) and `deadline`; with
    `grow`, the parts grow as they find nothing better (`polish`). On the clock, with the
    LP's solution, HiGHS first searches near it (`_searched_by_highs`). The joined plan
    and its view when it is not a plan of `whole` (once what it holds that `whole` prunes
    is swapped for what dominates it: `PlanValues.undominated`)."""
    result = joined.result
    values = result.values.undominated(whole)
    if not values.fits(whole):
        return joined.built, result
    result = replace(result, values=values)
    solver = PartSolver(whole)
    searched = _searched_by_highs(joined, solver, result, work, deadline, seed, on_better)
    # unranked: parts taken by `Shortfall` scored no better here (bench/README.md)
    best = polished_plan(solver, searched, deadline, seed, on_better,
                         None if work is None else work.at_rate(POLISH_WORK_PER_SECOND), grow,
                         shuffle)
    if best is None:
        return joined.built, result
    found = 1 if searched is not result else joined.built.size().get(FOUND, 0)
    whole.stats = {**whole.size(), "blocks": joined.blocks,
                   "blocks_after_merging": joined.after_merging, FOUND: found,
                   **polish_stats(solver.parts, searched, best)}
    return whole, best


def _searched_by_highs(joined: Joined, solver: PartSolver, result: SolveResult,
                       work: WorkBudget | None, deadline: float, seed: int,
                       on_better: Callable[[SolveResult], None]) -> SolveResult:
    """`result` (a plan of the solver's whole model), or the better plan HiGHS finds near
    the LP's solution from it (`near_lp.highs_near_the_lp`) in HIGHS_SHARE of the time to
    `deadline`, on the clock only (`work` None): the parts then polish what it leaves.
    From the local optimum of the parts on S08's shape, HiGHS found 112 points in 13.5 s
    (132 in 47 s) where the parts found 37 in 20 s (bench/README.md)."""
    if work is not None or joined.relaxation is None:
        return result
    until = time.perf_counter() + HIGHS_SHARE * (deadline - time.perf_counter())
    found = highs_near_the_lp(solver.org, joined.relaxation, solver.built, result, until, seed)
    if found is result or not solver.rows.keeps(found.values.array(solver.built)):
        return result
    on_better(found)
    return found


def _polished_by_neighbourhood(joined: Joined, work: WorkBudget | None, deadline: float,
                               seed: int,
                               on_better: Callable[[SolveResult], None],
                               ) -> tuple[BuiltModel, SolveResult]:
    began = time.perf_counter()
    view, result = joined.built, joined.result
    solver = NeighbourhoodParts(view.org, view.candidates)
    lp_points = joined.lp_points()
    best = polish(solver, result, deadline, seed, on_better,
                  None if work is None else work.at_rate(NEIGHBOURHOOD_WORK_PER_SECOND),
                  Shortfall(solver.org, solver.known, lp_points) if lp_points else None)
    view = solver.view(view, best.values)
    view.stats = {**view.size(), **polish_stats(solver.parts, result, best)}
    return view, against_bound(best.objective or 0.0, result.bound,
                               result.seconds + time.perf_counter() - began, best.values)


def polish_stats(parts: int, before: SolveResult, after: SolveResult) -> dict[str, int]:
    """model_stats of a polish that solved `parts` from the plan `before` to `after`: the
    report says the plan was improved part by part only when it was."""
    return {POLISHED: parts, **({IMPROVED: 1} if scores_more(after, before) else {})}


class Shortfall:
    """How far a plan falls short of the LP relaxation's points in a part's services:
    where re-solving it has most to find (the menu's and lone peers' points aside)."""

    def __init__(self, org: Org, known: Mapping[PlacementKey, Candidate],
                 lp_points: dict[str, float]):
        """`known`: at least every placement of the plans it is asked about."""
        self.org, self.known, self.lp_points = org, known, lp_points
        self._seen: tuple[PlanValues, Counter[str]] | None = None

    def __call__(self, plan: PlanValues, free: set[str]) -> float:
        own = self._points(plan)
        return sum(self.lp_points.get(s, 0.0) - own[s] for s in free)

    def _points(self, plan: PlanValues) -> Counter[str]:
        """The plan's points per service, kept while the plan is the same."""
        if self._seen is None or self._seen[0] is not plan:
            org, known = self.org, self.known
            points: Counter[str] = Counter()
            for key in plan.placements:
                points[key[2]] += placement_points(known[key], org)
            for (role, service), n in plan.positions.items():
                points[service] += n * vacancy_value(org.roles_by_id[role],
                                                     org.services_by_id[service], org)
            self._seen = (plan, points)
        return self._seen[1]
