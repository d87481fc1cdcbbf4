"""The second core: whether a plan may use it, and work done there in a forked child.

CP-SAT plans with one deterministic worker, so on a machine with two cores one is idle.
A plan puts it to work in one of two ways: the bound on the side (`side_bound`) or, on
the block path, every other block solved in a child (`blocks`). Neither may run where
several plans already run side by side (scenarios, insights: their cores are busy), in
a daemon process (it may have no children), with several CP-SAT workers, with one usable
core, or off Linux (forking a process that has run solver threads is safe only there).

What a child sends is read by a thread of the parent as it arrives (`Child.messages`),
so the child never waits on a full pipe while the parent solves. A child that fails
sends what went wrong (`ChildFailure`); the parent logs it and does without its work.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from planner.solve.solver import SolveLimits

Result = TypeVar("Result")
EXIT_SECONDS = 2.0  # how long a child may take to stop when asked
log = logging.getLogger(__name__)

_cores_taken = False  # set in worker processes that plan side by side (`analyses.workers`)


def no_spare_core() -> None:
    """Called in each of several worker processes planning at once: their cores are busy,
    so none of them starts a child of its own."""
    global _cores_taken
    _cores_taken = True


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (a container's or a job's
    limit), not the machine's count."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return max(1, os.process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def spare_core(limits: SolveLimits) -> bool:
    """A plan with these limits, in this process, may put a forked child on a core of
    its own."""
    return (usable_cores() >= 2 and limits.deterministic and not _cores_taken
            and not mp.current_process().daemon  # a daemon may have no children
            and sys.platform.startswith("linux"))


@dataclass(frozen=True)
class ChildFailure:
    """What went wrong in a child, sent to the parent in place of its work."""

    error: str  # the exception's type and message
    trace: str  # where it happened, for a bug report

    def __str__(self) -> str:
        return self.error


class Child:
    """A forked daemon child running `target(*args, send)`; a thread of this process
    reads everything it sends as it arrives and hands each message to `on_message`
    (in that thread). It sees this process's memory as it is now, so nothing is pickled
    on the way in."""

    def __init__(self, target: Callable[..., None], *args: object,
                 on_message: Callable[[Any], None] | None = None):
        context = mp.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self.on_message = on_message or (lambda _message: None)
        self.failure: ChildFailure | None = None
        self.process = context.Process(target=_guarded, args=(target, args, send), daemon=True)
        self.process.start()
        send.close()
        self._receive = receive
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def finished(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the child to end and its messages to be read."""
        self._reader.join(timeout)
        return not self._reader.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(EXIT_SECONDS)
        self._reader.join(EXIT_SECONDS)
        self._receive.close()

    def _read(self) -> None:
        try:
            while True:
                message = self._receive.recv()
                if isinstance(message, ChildFailure):
                    self.failure = message
                    log.warning("the second core's work failed, the plan goes on without "
                                "it: %s\n%s", message.error, message.trace)
                else:
                    self.on_message(message)
        except (EOFError, OSError):  # the child ended, or the parent closed the pipe
            return


class Forked(Child, Generic[Result]):
    """`work(*args)` computed in a forked child; its result is pickled on the way out."""

    def __init__(self, work: Callable[..., Result], *args: object):
        self._results: list[Result] = []
        super().__init__(_returned, work, args, on_message=self._results.append)

    def result(self, timeout: float) -> Result | None:
        """The child's result, or None when it failed (logged) or took longer than
        `timeout`."""
        try:
            self.finished(timeout)
            return self._results[0] if self._results else None
        finally:
            self.stop()


def _guarded(target: Callable[..., None], args: tuple, send: Connection) -> None:
    """In the child: run `target(*args, send.send)`; a failure is sent, not lost."""
    try:
        target(*args, send.send)
    except Exception as error:  # reported to the parent, which logs it
        with contextlib.suppress(OSError, ValueError):  # unless nobody is listening any more
            send.send(ChildFailure(f"{type(error).__name__}: {error}", traceback.format_exc()))
    finally:
        send.close()


def _returned(work: Callable[..., Result], args: tuple, send: Callable[[Result], None]) -> None:
    send(work(*args))
