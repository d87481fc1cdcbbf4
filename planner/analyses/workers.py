"""Many plans at once (scenarios, insights, frontier points), in worker processes.

A `Variant` is an organisation to plan with the edits an analysis adds to its model;
`Workers` plans many of them (or runs any picklable task, such as the menus' pinned
solves) in spawned processes, and keeps the processes for the next batch (the frontier's
interior points wait for its extremes). Each plan runs with CP-SAT's single deterministic
worker, so `jobs` processes use `jobs` cores and every plan is the same as when planned
alone. A script that uses them needs the usual `if __name__ == "__main__":` guard.
Given a Dask scheduler (or inside `cluster.use_scheduler`), every task runs on that
cluster's workers instead (`analyses.cluster`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import TypeVar

from planner.analyses.cluster import TaskPool, open_pool, scheduler_in_use
from planner.core.domain import Org
from planner.core.results import Plan
from planner.solve.edits import Edit
from planner.solve.large.child import usable_cores
from planner.solve.planning import limits_for, plan
from planner.solve.solver import SolveLimits
from planner.solve.strategy import choose_strategy

Task = TypeVar("Task")
Outcome = TypeVar("Outcome")


@dataclass(frozen=True)
class Variant:
    """An organisation to plan, the edits to its model, and the solver's time and seed
    (None: the org's Policy); `reproducible`: every search stops on its work
    (`planning.plan`)."""

    org: Org
    edits: tuple[Edit, ...] = ()
    time_limit: float | None = None
    seed: int | None = None
    reproducible: bool = False

    def limits(self) -> SolveLimits:
        return limits_for(self.org, time_limit=self.time_limit, seed=self.seed,
                          reproducible=self.reproducible)


def plan_variant(variant: Variant) -> Plan:
    """The plan of one variant (in whatever process runs it)."""
    return plan(variant.org, edits=variant.edits, time_limit=variant.time_limit,
                seed=variant.seed, reproducible=variant.reproducible)


def plan_many(orgs: Mapping[str, Org], *, time_limit: float | None = None,
              seed: int | None = None, jobs: int | None = None,
              reproducible: bool = False) -> dict[str, Plan]:
    """Plan every org; the plans under the same names, in the same order. Unless `jobs`
    is given, a large organisation's plans are made one after another, each with both
    cores: the plan `planner plan` gives (side by side each would have one core and be a
    poorer plan)."""
    with Workers(jobs) as workers:
        return workers.plan(
            {name: Variant(org, time_limit=time_limit, seed=seed, reproducible=reproducible)
             for name, org in orgs.items()},
            large_alone=jobs is None)


class Workers:
    """Worker processes for batches of independent solves, kept for the next batch.

    Each task runs in a spawned process (a clean interpreter: no solver threads
    inherited) with CP-SAT's single deterministic worker, so a result is the same as when
    solved alone. `jobs=1` runs everything in this process. With a Dask `scheduler`
    (default: the one `cluster.use_scheduler` set) every task runs on that cluster, and
    `jobs` is the number of its worker threads. Use as a context manager.
    """

    def __init__(self, jobs: int | None = None, scheduler: str | None = None):
        self.scheduler = scheduler_in_use(scheduler)
        self._jobs = max(1, jobs or usable_cores())
        self._stack = ExitStack()
        self._pool: TaskPool | None = None

    @property
    def jobs(self) -> int:
        """Tasks run at once: the processes here, or the cluster's worker threads."""
        return self._started().slots() if self.scheduler else self._jobs

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        self._pool = None

    def map(self, work: Callable[[Task], Outcome], tasks: Mapping[str, Task]) -> dict[str, Outcome]:
        """`work(task)` for every task, in parallel; the outcomes under the same names."""
        names = list(tasks)
        if not self.scheduler and (self.jobs <= 1 or len(names) <= 1):
            return {name: work(tasks[name]) for name in names}
        pool = self._started()
        futures = {name: pool.submit(work, tasks[name]) for name in names}
        return {name: futures[name].result() for name in names}

    def plan(self, variants: Mapping[str, Variant], *, large_alone: bool = False,
             reproducible: bool = False) -> dict[str, Plan]:
        """Every variant's plan, under the same names. With `large_alone`, a plan that
        would put the second core to work on its own (`Strategy.uses_second_core`) is made
        in this process, one after another, so it is the plan `plan` gives (on a cluster,
        every plan is the cluster's). The rest are planned in parallel. `reproducible`:
        every variant's searches stop on their work (as `Variant.reproducible`)."""
        if reproducible:
            variants = {name: replace(variant, reproducible=True)
                        for name, variant in variants.items()}
        alone = [name for name, variant in variants.items()
                 if large_alone and not self.scheduler and _uses_second_core(variant)]
        plans = self.map(plan_variant, {name: variant for name, variant in variants.items()
                                        if name not in alone})
        plans |= {name: plan_variant(variants[name]) for name in alone}
        return {name: plans[name] for name in variants}

    def _started(self) -> TaskPool:
        if self._pool is None:
            self._pool = self._stack.enter_context(open_pool(self.scheduler, self._jobs))
        return self._pool


def _uses_second_core(variant: Variant) -> bool:
    strategy = choose_strategy(variant.org, variant.limits(), edited=bool(variant.edits))
    return strategy.uses_second_core
