"""The second core: whether a plan may use it, and work done there in a forked child.

CP-SAT plans with one deterministic worker, so on a machine with two cores one is idle.
A plan puts it to work in one of two ways: the bound on the side (`side_bound`)
or, for the largest organisations, every other block solved in a child
(`blocks`). Neither may run where several plans already run side by side
(scenarios, insights: their cores are busy), in a daemon process (it may have no
children), with several CP-SAT workers, or where fork is not available.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from planner.solve.solver import SolveLimits

Result = TypeVar("Result")
EXIT_SECONDS = 2.0  # how long a child may take to stop when asked

_cores_taken = False  # set in worker processes that plan side by side (`planner.analyses.variants`)


def no_spare_core() -> None:
    """Called in each of several worker processes planning at once: their cores are busy,
    so none of them starts a child of its own."""
    global _cores_taken
    _cores_taken = True


def spare_core(limits: SolveLimits) -> bool:
    """A plan with these limits, in this process, may put a forked child on a core of
    its own."""
    return ((os.cpu_count() or 1) >= 2 and limits.deterministic and not _cores_taken
            and not mp.current_process().daemon  # a daemon may have no children
            and "fork" in mp.get_all_start_methods())


class Child:
    """A forked daemon child running `target(*args, send)`, which sends to this process
    through a pipe (`receive`). It sees this process's memory as it is now, so nothing
    is pickled on the way in."""

    def __init__(self, target: Callable[..., None], *args: object):
        context = mp.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self.receive = receive
        self.process = context.Process(target=target, args=(*args, send), daemon=True)
        self.process.start()
        send.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(EXIT_SECONDS)
        self.receive.close()


class Forked(Child, Generic[Result]):
    """`work(*args)` computed in a forked child; its result is pickled on the way out."""

    def __init__(self, work: Callable[..., Result], *args: object):
        super().__init__(_run, work, args)

    def result(self, timeout: float) -> Result | None:
        """The child's result, or None when it failed or took longer than `timeout`."""
        try:
            if self.receive.poll(timeout):
                return self.receive.recv()
        except (EOFError, OSError):  # the child ended without a result
            pass
        finally:
            self.stop()
        return None


def _run(work: Callable[..., object], args: tuple, send: Connection) -> None:
    try:
        send.send(work(*args))
    except Exception:  # the parent sees no result and does the work itself
        pass
    finally:
        send.close()
