"""Solving a built model within bounded time: the limits CP-SAT is given."""

from __future__ import annotations

from planner.solve.solver import SolveLimits, solver_for


def test_a_work_limit_reaches_cp_sat():
    assert solver_for(SolveLimits(5, 0, work_limit=1.5)).parameters.max_deterministic_time == 1.5
