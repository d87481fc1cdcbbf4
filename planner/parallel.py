"""Plan many organisations (scenarios, insights, frontier points) in parallel processes.

Each plan runs in its own (spawned) process with CP-SAT's single deterministic worker, so `jobs`
processes use `jobs` cores and every plan is the same as when planned alone. A script that calls
`plan_many` needs the usual `if __name__ == "__main__":` guard of multiprocessing.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

from planner.domain import Org
from planner.results import Plan


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def plan_many(
    orgs: Mapping[str, Org],
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    jobs: int | None = None,
) -> dict[str, Plan]:
    """Plan every org; returns the plans under the same names, in the same order."""
    names = list(orgs)
    jobs = min(jobs or default_jobs(), len(names)) if names else 1
    if jobs <= 1:
        return {name: _plan_one(orgs[name], time_limit, seed) for name in names}
    context = mp.get_context("spawn")  # a clean interpreter: no solver threads inherited
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {name: pool.submit(_plan_one, orgs[name], time_limit, seed) for name in names}
        return {name: futures[name].result() for name in names}


def _plan_one(org: Org, time_limit: float | None, seed: int | None) -> Plan:
    from planner.planning import plan

    return plan(org, time_limit=time_limit, seed=seed)
