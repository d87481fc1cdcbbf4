"""The joined block plan, improved a few services at a time on the whole model.

Blocks hold each person in one block and each block to its share of the budget; the
merges let people and budget cross only between the blocks they join. Where the whole
model builds in a small share of the time limit (`strategy`), the joined plan is then
re-solved part by part on it (`polish`): anyone not placed elsewhere may join a part,
whatever budget the plan leaves is free to it, and the parts are cut three ways in turn.
Its work is a share of the blocks' budget of CP-SAT's work, fixed before the first block
(`work`), so the plan is still the same every run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from planner.core.results import Status
from planner.solve.large.polish import PartSolver, polish
from planner.solve.large.work import POLISH_WORK_PER_SECOND, WorkBudget
from planner.solve.model import SCALE, BuiltModel, build_model
from planner.solve.solver import SolveResult, against_bound

POLISHED = "polished_parts"  # model_stats key: the block plan was polished on the whole model


@dataclass(frozen=True)
class Joined:
    """The block plan as `blocks.join` gives it: a view of the block models, the plan
    with the LP bound, and how many blocks it was cut into and merged back to."""

    built: BuiltModel
    result: SolveResult
    blocks: int
    after_merging: int


def polished(joined: Joined, work: WorkBudget, deadline: float, seed: int,
             on_better: Callable[[SolveResult], None]) -> tuple[BuiltModel, SolveResult]:
    """The whole model and the joined plan improved on it part by part within `work`
    (in the blocks' units) and `deadline` (perf_counter). Should the whole model not hold
    the joined plan (it does: the blocks' models are pruned as it is, and the joined plan
    keeps every rule), the blocks' view and the joined plan as they are."""
    began = time.perf_counter()
    org, result = joined.built.org, joined.result
    whole = build_model(org, prune=True)
    if not result.values.fits(whole):
        return joined.built, result
    solver = PartSolver(whole)
    values = result.values.array(whole)
    if not solver.rows.keeps(values):
        return joined.built, result
    start = solver.result(values, Status.FEASIBLE, solver.rows.objective(values) / SCALE,
                          None, 0.0)
    best = polish(whole, start, deadline, seed, on_better, solver,
                  work.at_rate(POLISH_WORK_PER_SECOND))
    whole.stats = {**whole.size(), "blocks": joined.blocks,
                   "blocks_after_merging": joined.after_merging, POLISHED: solver.parts}
    return whole, against_bound(best.objective or 0.0, result.bound,
                                result.seconds + time.perf_counter() - began, best.values)
