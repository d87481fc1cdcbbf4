"""Solving a built model within bounded time: the limits CP-SAT is given, and a stop
another engine may call."""

from __future__ import annotations

import threading
import time

from planner.core.results import Status
from planner.solve.model import build_model, canonical
from planner.solve.solver import SolveLimits, solve, solver_for
from planner.workbook.generate import generate_org


def test_a_work_limit_reaches_cp_sat():
    assert solver_for(SolveLimits(5, 0, work_limit=1.5)).parameters.max_deterministic_time == 1.5


def test_a_stop_set_by_another_engine_ends_the_search_early():
    built = build_model(canonical(generate_org(300, 60, 3, seed=3)), prune=True)
    stop = threading.Event()
    stop.set()  # another engine has proven its plan optimal already
    started = time.perf_counter()
    stopped = solve(built, SolveLimits(30, 0), stop=stop)
    assert time.perf_counter() - started < 10
    assert stopped.status is not Status.OPTIMAL  # cut short, not proven
