"""The block path's schedule in CP-SAT's work: a budget from counts, shared and spent."""

from __future__ import annotations

import pytest

from planner.core.results import Status
from planner.solve.large.work import (
    BUILT_PLACEMENTS_PER_SECOND,
    LP_PLACEMENTS_PER_SECOND,
    POLISH_WORK_PER_SECOND,
    RESERVE_SECONDS,
    WHOLE_BUILT_PER_SECOND,
    WORK_PER_SECOND,
    WorkBudget,
)
from planner.solve.solver import SolveResult


def _solved(work: float) -> SolveResult:
    return SolveResult(Status.FEASIBLE, 1.0, 1.0, 0.0, 9.9, work=work)


def test_the_budget_is_the_time_left_after_the_lp_and_the_builds_in_work() -> None:
    # 60 s, less the reserve, 10 s for the LP of the whole model and 10 s for building
    # the blocks
    budget = WorkBudget.for_blocks(60.0, 10 * LP_PLACEMENTS_PER_SECOND,
                                   10 * BUILT_PLACEMENTS_PER_SECOND)
    assert budget.left == pytest.approx((40.0 - RESERVE_SECONDS) * WORK_PER_SECOND)
    assert WorkBudget.for_blocks(5.0, 10 * LP_PLACEMENTS_PER_SECOND, 0).left == 0.0


def test_a_polish_takes_the_whole_models_build_off_and_counts_at_its_own_rate() -> None:
    # 60 s, less the reserve, 1 s for the LP, nothing for the blocks and 6 s for the
    # whole model
    placements = 6 * WHOLE_BUILT_PER_SECOND
    assert placements == pytest.approx(LP_PLACEMENTS_PER_SECOND, rel=0.01)
    budget = WorkBudget.for_blocks(60.0, placements, 0, whole=True)
    assert budget.left == pytest.approx((53.0 - RESERVE_SECONDS) * WORK_PER_SECOND)
    polishing = budget.split(0.5).at_rate(POLISH_WORK_PER_SECOND)
    assert polishing.left == pytest.approx((53.0 - RESERVE_SECONDS) / 2 * POLISH_WORK_PER_SECOND)


def test_parts_share_what_is_left_and_spend_their_own_work_not_their_seconds() -> None:
    budget = WorkBudget(12.0)
    merging = budget.split(0.25)
    assert (budget.left, merging.left) == (9.0, 3.0)
    assert budget.share(3, least=0.1) == 3.0
    budget.spend([_solved(2.0), _solved(2.5)])  # two at once, on two cores: the longer
    assert budget.left == 6.5
    assert budget.share(100, least=0.1) == 0.1 and budget.has(6.5) and not budget.has(6.6)
