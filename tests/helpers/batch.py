"""What the batch tests share: a folder of small generated organisations, a Dask
cluster of two worker processes, renders that take their time or fail, and a pool that
runs each task at once in this process."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from distributed import LocalCluster

from planner.analyses.cluster import TaskPool
from planner.core.results import Plan, to_json
from planner.workbook.generate import generate_org
from planner.workbook.template import write_workbook

Task = TypeVar("Task")
Outcome = TypeVar("Outcome")

SLOW_SECONDS = 1.5  # a render this slow is still running when a worker is killed
FAILING_ORG = "org-2"


def write_orgs(folder: Path, sizes: Sequence[int],
               scenarios: Sequence[Sequence[object]] = ()) -> list[Path]:
    """org-1.xlsx, org-2.xlsx, ...: generated organisations of these sizes (3 services,
    seeds 1, 2, ...), each with these rows on its Scenarios sheet."""
    return [write_workbook(folder / f"org-{n}.xlsx",
                           generate_org(psws=size, services=3, seed=n), scenarios=scenarios)
            for n, size in enumerate(sizes, start=1)]


@contextmanager
def local_cluster() -> Iterator[str]:
    """A Dask cluster on this machine: a scheduler and two worker processes of one
    thread each; its scheduler's address."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster:
        yield cluster.scheduler_address


def json_render(plan: Plan) -> dict[str, bytes]:
    """plan.json alone: the reports take longer than these tests need."""
    return {"plan.json": to_json(plan).encode()}


def slow_render(plan: Plan) -> dict[str, bytes]:
    """plan.json, after SLOW_SECONDS: long enough to kill a worker meanwhile."""
    time.sleep(SLOW_SECONDS)
    return json_render(plan)


def failing_render(plan: Plan) -> dict[str, bytes]:
    """Raises for FAILING_ORG's plans (as a bug would), renders the others."""
    if plan.source.startswith(FAILING_ORG):
        raise RuntimeError(f"cannot render {plan.source}")
    return json_render(plan)


def process_id(_: object) -> int:
    return os.getpid()


class InlinePool(TaskPool):
    """Runs each task when submitted, in this process: the retry and resume logic without
    processes."""

    where = "this process"

    def submit(self, work: Callable[[Task], Outcome], task: Task) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        try:
            future.set_result(work(task))
        except Exception as error:
            future.set_exception(error)
        return future

    def slots(self) -> int:
        return 1

    def close(self) -> None:
        pass
