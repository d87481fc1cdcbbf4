"""Where independent solves run: this machine's cores, or a Dask cluster.

    with open_pool(None, jobs=2) as pool:                   # spawned processes here
        future = pool.submit(plan_variant, variant)
    with open_pool("tcp://scheduler:8786") as pool:         # the workers of a cluster
        future = pool.submit(plan_variant, variant)

Both give `concurrent.futures` futures, so a caller waits on them the same way. Each task
runs with CP-SAT's single deterministic worker and no child of its own on a second core
(`no_spare_core`: its neighbours keep the cores busy), so a plan is the same wherever it
runs. On a cluster the scheduler places the tasks; what travels is the task itself (an
organisation, a workbook's bytes), never a path, since a worker has no access to this
machine's files. Dask is imported only when a scheduler is asked for.

`use_scheduler(address)` makes a cluster the place for every `Workers` opened inside it,
so that compare, insights and frontier run their plans there without each passing it on.
"""

from __future__ import annotations

import multiprocessing as mp
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from planner.core.errors import UsageError
from planner.solve.large.child import no_spare_core, usable_cores

Task = TypeVar("Task")
Outcome = TypeVar("Outcome")

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"  # Dask's own name for the scheduler's address
CONNECT_SECONDS = 10.0
_scheduler: ContextVar[str | None] = ContextVar("scheduler", default=None)


class TaskPool:
    """Slots for independent tasks: `submit` returns a `concurrent.futures.Future`."""

    where = ""
    generation = 0  # how often the pool was started afresh (`restart`)

    def submit(self, work: Callable[[Task], Outcome], task: Task) -> Future[Outcome]:
        raise NotImplementedError

    def slots(self) -> int:
        """Tasks that can run at once now."""
        raise NotImplementedError

    def restart(self) -> None:
        """After a pool broke (a process died): a fresh one for the tasks still to run."""

    def close(self) -> None:
        raise NotImplementedError


class LocalPool(TaskPool):
    """`jobs` spawned processes of this machine (a clean interpreter each: no solver
    threads inherited), started at the first task."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or usable_cores())
        self.where = f"this machine, {self.jobs} process{'es' if self.jobs > 1 else ''}"
        self._executor: Executor | None = None

    def submit(self, work: Callable[[Task], Outcome], task: Task) -> Future[Outcome]:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=mp.get_context("spawn"),
                initializer=no_spare_core)
        return self._executor.submit(work, task)

    def slots(self) -> int:
        return self.jobs

    def restart(self) -> None:
        self.close(wait=False)
        self.generation += 1

    def close(self, wait: bool = True) -> None:
        """Tasks not started are dropped; with `wait`, the running ones end first."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None


class DaskPool(TaskPool):
    """The workers of a Dask cluster, through a client of its scheduler. A task whose
    worker dies is run again by the scheduler elsewhere (Dask's
    `distributed.scheduler.allowed-failures`, 3 by default, then it fails)."""

    def __init__(self, address: str):
        import distributed  # only here: a cluster is asked for

        reachable(address)
        try:
            self._client = distributed.Client(address, timeout=CONNECT_SECONDS,
                                              set_as_default=False)
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        # pure=False: a task submitted again is run again, not taken for the one that failed
        self._executor = self._client.get_executor(pure=False)
        self.where = f"the Dask cluster at {address}"

    def submit(self, work: Callable[[Task], Outcome], task: Task) -> Future[Outcome]:
        return self._executor.submit(on_busy_core, work, task)

    def slots(self) -> int:
        return max(1, sum(self._client.nthreads().values()))

    def close(self) -> None:
        self._client.close()


def on_busy_core(work: Callable[[Task], Outcome], task: Task) -> Outcome:
    """`work(task)` in a process whose other cores plan too (a cluster's worker)."""
    no_spare_core()
    return work(task)


def scheduler_in_use(given: str | None = None) -> str | None:
    """The scheduler asked for: `given`, else the one `use_scheduler` set (None: here)."""
    return given or _scheduler.get()


@contextmanager
def use_scheduler(address: str | None) -> Iterator[None]:
    """Inside, every `Workers` without a scheduler of its own runs on `address` (None:
    on this machine, as outside)."""
    token = _scheduler.set(address or None)
    try:
        yield
    finally:
        _scheduler.reset(token)


@contextmanager
def open_pool(scheduler: str | None = None, jobs: int | None = None) -> Iterator[TaskPool]:
    """A Dask cluster's workers when `scheduler` is an address, else `jobs` processes of
    this machine (default: one per core); closed on leaving."""
    pool: TaskPool = DaskPool(scheduler) if scheduler else LocalPool(jobs)
    try:
        yield pool
    finally:
        pool.close()


def reachable(address: str) -> None:
    """A UsageError in a second, not Dask's retries for ten, when nothing listens at a
    tcp:// address (Dask checks other protocols itself)."""
    host_port = address.removeprefix("tcp://")
    if "://" in host_port:
        return
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"the Dask scheduler address {address!r} is not tcp://HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: "
                         f"{error.strerror or error}") from error


def first_error(error: BaseException) -> str:
    """A task's failure in one line: its type and message."""
    message = " ".join(str(error).split())[:300]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
