"""HiGHS on the planner's own model, for reference in `bench/run.py`: the model as
`planner.solve.highs` hands it over, stopped at a gap (so the time says how long HiGHS
takes to reach the default path's gap) or at a time limit."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy

from planner.solve.highs import highs_model
from planner.solve.model import SCALE, BuiltModel


@dataclass(frozen=True)
class ReferenceResult:
    status: str
    objective: float | None
    bound: float | None
    seconds: float


def solve_with_highs(built: BuiltModel, time_limit: float,
                     gap: float | None = None) -> ReferenceResult:
    """Solve `built` with HiGHS until the time limit or, with `gap`, until the relative
    gap is at most `gap`."""
    highs = highs_model(built)
    highs.setOptionValue("time_limit", float(time_limit))
    if gap is not None:
        highs.setOptionValue("mip_rel_gap", max(gap, 1e-4))
    start = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - start
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return ReferenceResult("unknown", None, None, seconds)
    objective = built.model.proto.objective
    scale = (objective.scaling_factor or 1.0) / SCALE
    value = (info.objective_function_value + objective.offset) * scale
    bound = (info.mip_dual_bound + objective.offset) * scale
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return ReferenceResult("optimal" if optimal else "feasible", value, bound, seconds)
