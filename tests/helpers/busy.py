"""A machine slower than the one the work rates were measured on (a busy CI runner).

A reproducible plan sizes each search's work from rates measured on an idle machine
(`planner.solve.large.work`); on a machine running slower the clock cuts a search before
its work is done, and the plan no longer claims to repeat. Tests that assert no cut
plan as on a machine at `speed` of those rates, so that they test the work-limited
steps, not the runner's load.
"""

from __future__ import annotations

import sys

import pytest

# work (CP-SAT's deterministic time) or placements a second, wherever a module holds one
RATES = ("WORK_PER_SECOND", "POLISH_WORK_PER_SECOND", "NEIGHBOURHOOD_WORK_PER_SECOND",
         "WHOLE_WORK_PER_SECOND", "PLAN_WORK_PER_SECOND", "NEAR_LP_WORK_PER_SECOND",
         "LP_PLACEMENTS_PER_SECOND",
         "BUILT_PLACEMENTS_PER_SECOND", "WHOLE_BUILT_PER_SECOND")


def as_if_slower(monkeypatch: pytest.MonkeyPatch, speed: float = 0.6) -> None:
    """Every rate of RATES, in every planner module that holds it (some import it by
    name), at `speed` of its value."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("planner."):
            continue
        for rate in RATES:
            value = getattr(module, rate, None)
            if isinstance(value, int | float):
                monkeypatch.setattr(module, rate, value * speed)
